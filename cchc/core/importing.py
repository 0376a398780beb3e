"""What every import shares: row errors in Vietnamese, all-or-nothing, counts of what changed."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    """One bad value: the row as the user counts it (the header is row 1), the column and the value."""

    row: int | None
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row is not None else "Tệp"
        column = f", cột “{self.field}”" if self.field else ""
        value = f" (giá trị “{self.value}”)" if self.value not in ("", None) else ""
        return f"{where}{column}{value}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "value": self.value, "message": self.message}


class ImportRejected(Exception):
    """The file was refused as a whole; nothing was saved."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.total = total if total is not None else len(errors)
        self.errors = errors[:MAX_REPORTED_ERRORS]
        super().__init__(self.summary())

    def summary(self) -> str:
        shown = len(self.errors)
        more = f" (hiển thị {shown} lỗi đầu tiên)" if shown < self.total else ""
        return f"Tệp bị từ chối, không có dữ liệu nào được lưu: {self.total} lỗi{more}."


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    details: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        head = "Kiểm tra thử (không lưu)" if self.dry_run else "Đã nạp"
        return f"{head}: thêm mới {self.created}, cập nhật {self.updated}, không đổi {self.unchanged}."


class ErrorCollector:
    """Collects row errors up to the reporting cap while still counting all of them."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.total = 0
        self.bad_rows: set[int | None] = set()

    def add(self, row: int | None, field_name: str, value: object, message: str) -> None:
        self.total += 1
        self.bad_rows.add(row)
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, field_name, "" if value is None else str(value), message))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportRejected(self.errors, self.total)
