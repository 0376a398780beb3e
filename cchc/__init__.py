"""cchc — cải cách hành chính cho chính quyền địa phương."""

__version__ = "0.1.0"
