"""Biểu thức của quy tắc kiểm tra: số, mã chỉ tiêu, + - * / và ngoặc.

A tokenizer and a recursive-descent parser; nothing is ever handed to ``eval``. Grammar::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | FUNC "(" expr ("," expr)* ")" | CODE | "(" expr ")"

FUNC is ``min`` or ``max`` (added for the QĐ 766 index formulas, cchc.index766:
``min(max, max * ratio / 0.8)``); a name is a function only when "(" follows it, so ``max`` alone is still
a code. A CODE is an indicator code (``dossiers.commune.received``): letters, digits, ``_`` and ``.``,
starting with a letter. Numbers use a dot for decimals (``0.5``), as in every data file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


class ExpressionError(ValueError):
    """Biểu thức viết sai (lỗi cú pháp, mã chỉ tiêu không có trong danh mục)."""


class EvaluationError(ArithmeticError):
    """Không tính được giá trị biểu thức (chia cho 0)."""


@dataclass(frozen=True)
class Token:
    kind: str  # NUMBER | CODE | OP | LPAREN | RPAREN | COMMA | END
    text: str
    pos: int


_OPERATORS = "+-*/"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            start = i
            seen_dot = False
            while i < n and (text[i].isdigit() or (text[i] == "." and not seen_dot)):
                seen_dot = seen_dot or text[i] == "."
                i += 1
            tokens.append(Token("NUMBER", text[start:i], start))
        elif ch.isascii() and ch.isalpha():
            start = i
            while i < n and text[i].isascii() and (text[i].isalnum() or text[i] in "_."):
                i += 1
            code = text[start:i]
            if code.endswith("."):
                raise ExpressionError(f"Mã chỉ tiêu “{code}” không được kết thúc bằng dấu chấm (vị trí {start + 1}).")
            tokens.append(Token("CODE", code, start))
        elif ch in _OPERATORS:
            tokens.append(Token("OP", ch, i))
            i += 1
        elif ch == "(":
            tokens.append(Token("LPAREN", ch, i))
            i += 1
        elif ch == ")":
            tokens.append(Token("RPAREN", ch, i))
            i += 1
        elif ch == ",":
            tokens.append(Token("COMMA", ch, i))
            i += 1
        else:
            raise ExpressionError(f"Ký tự không hợp lệ “{ch}” ở vị trí {i + 1}.")
    tokens.append(Token("END", "", n))
    return tokens


# ---- syntax tree ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """min(a, b, …) or max(a, b, …)."""

    name: str
    args: tuple[Node, ...]


Node = Num | Ref | Neg | BinOp | Call

FUNCTIONS = {"min": min, "max": max}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if self.current.kind == "END":
            raise ExpressionError("Biểu thức trống.")
        node = self.expr()
        if self.current.kind != "END":
            raise ExpressionError(f"Thừa “{self.current.text}” ở vị trí {self.current.pos + 1}.")
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.current.kind == "OP" and self.current.text in "+-":
            op = self.advance().text
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.current.kind == "OP" and self.current.text in "*/":
            op = self.advance().text
            node = BinOp(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.current.kind == "OP" and self.current.text == "-":
            self.advance()
            return Neg(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.current
        if token.kind == "NUMBER":
            self.advance()
            return Num(Decimal(token.text))
        if token.kind == "CODE":
            self.advance()
            if self.current.kind == "LPAREN" and token.text in FUNCTIONS:
                return self.call(token.text)
            return Ref(token.text)
        if token.kind == "LPAREN":
            self.advance()
            node = self.expr()
            if self.current.kind != "RPAREN":
                raise ExpressionError(f"Thiếu dấu “)” ở vị trí {self.current.pos + 1}.")
            self.advance()
            return node
        if token.kind == "END":
            raise ExpressionError("Biểu thức kết thúc giữa chừng (thiếu số hoặc mã chỉ tiêu ở cuối).")
        raise ExpressionError(f"Không mong đợi “{token.text}” ở vị trí {token.pos + 1}.")

    def call(self, name: str) -> Node:
        self.advance()  # "("
        args = [self.expr()]
        while self.current.kind == "COMMA":
            self.advance()
            args.append(self.expr())
        if self.current.kind != "RPAREN":
            raise ExpressionError(f"Thiếu dấu “)” của hàm {name} ở vị trí {self.current.pos + 1}.")
        self.advance()
        return Call(name, tuple(args))


@dataclass(frozen=True)
class Expression:
    """Một biểu thức đã phân tích: giữ văn bản gốc, cây cú pháp và các mã chỉ tiêu nó dùng."""

    text: str
    tree: Node
    codes: tuple[str, ...]

    def evaluate(self, values: Mapping[str, Decimal | None], missing_as_zero: bool = True) -> Decimal | None:
        return evaluate(self.tree, values, missing_as_zero)


def parse(text: str, known_codes: Iterable[str] | Callable[[str], bool] | None = None) -> Expression:
    """Phân tích ``text``; với ``known_codes`` thì mọi mã phải có trong danh mục."""
    tree = _Parser(str(text)).parse()
    codes = tuple(dict.fromkeys(_codes(tree)))
    if known_codes is not None:
        is_known = known_codes if callable(known_codes) else set(known_codes).__contains__
        unknown = [c for c in codes if not is_known(c)]
        if unknown:
            raise ExpressionError("Mã chỉ tiêu không có trong danh mục: " + ", ".join(unknown) + ".")
    return Expression(str(text), tree, codes)


def _codes(node: Node) -> Iterable[str]:
    if isinstance(node, Ref):
        yield node.code
    elif isinstance(node, Neg):
        yield from _codes(node.operand)
    elif isinstance(node, BinOp):
        yield from _codes(node.left)
        yield from _codes(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from _codes(arg)


def evaluate(node: Node, values: Mapping[str, Decimal | None], missing_as_zero: bool = True) -> Decimal | None:
    """Giá trị của biểu thức. A missing code counts as 0 (``missing_as_zero``) or makes the result None."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        value = values.get(node.code)
        if value is None:
            return Decimal(0) if missing_as_zero else None
        return Decimal(value)
    if isinstance(node, Neg):
        inner = evaluate(node.operand, values, missing_as_zero)
        return None if inner is None else -inner
    if isinstance(node, Call):
        args = [evaluate(arg, values, missing_as_zero) for arg in node.args]
        return None if any(a is None for a in args) else FUNCTIONS[node.name](args)
    left = evaluate(node.left, values, missing_as_zero)
    right = evaluate(node.right, values, missing_as_zero)
    if left is None or right is None:
        return None
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        raise EvaluationError("Phép chia cho 0 trong biểu thức.")
    return left / right
