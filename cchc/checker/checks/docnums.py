"""Số ký hiệu văn bản theo Nghị định 30/2020."""

from __future__ import annotations

import re

from cchc.checker.checks.base import INFO, WARNING, Context, Finding, Severity, _finding, rules
from cchc.checker.figures import Figure
from cchc.documents import symbols


# ---- 8. document numbers (Nghị định 30) ----------------------------------------------------------
def _ref(ctx: Context, severity: Severity, f: Figure, message: str) -> Finding:
    return _finding(ctx, severity, "so_ky_hieu", f.unit, f.start, f.end, message, [])


def check_doc_numbers(ctx: Context) -> list[Finding]:
    r = rules()
    codes_by_name = symbols.codes_by_name()  # the one list of ND 30 type codes, cchc/data/documents/types.yaml
    all_codes = {c for v in codes_by_name.values() for c in v} | {c.upper() for v in codes_by_name.values() for c in v}
    letter_names = {x.lower() for x in r["letter_names"]}
    full_symbols: dict[str, set[str]] = {}
    for f in ctx.figures:
        if f.kind == "docref" and f.symbol:
            full_symbols.setdefault(f.text.split("/")[0].strip(), set()).add(f.symbol)
    out = []
    for f in ctx.figures:
        if f.kind != "docref":
            continue
        if f.extra.get("short") or f.extra.get("party"):
            message = _short_or_party(f)
            if message:
                out.append(_ref(ctx, INFO, f, message))
            continue
        message = _symbol_problem(f, codes_by_name, all_codes, letter_names, full_symbols)
        if message:
            out.append(_ref(ctx, WARNING, f, message))
    return out


def _short_or_party(f: Figure) -> str:
    if f.extra.get("short"):
        return (
            f"“{f.doc_type} số {f.text}” thiếu ký hiệu: theo Nghị định 30 ghi đủ "
            f"<số>/<năm>/<loại>-<cơ quan ban hành>, ví dụ {f.text}/NĐ-CP."
        )
    if "/" not in f.symbol:
        return (
            f"Ký hiệu văn bản của Đảng “{f.text}” viết sai dạng: đúng là "
            f"{f.text.split('-')[0]}-{f.symbol.replace('-', '/', 1)}."
        )
    return ""


def _symbol_problem(f: Figure, codes_by_name: dict, all_codes: set, letter_names: set, full_symbols: dict) -> str:
    """What is wrong with a document number under Nghị định 30, or ""."""
    parts = re.sub(r"^\d{4}/", "", f.symbol).split("-")
    head = parts[0]
    named = f.doc_type.lower()
    if head in all_codes:
        if len(parts) < 2:
            return f"Số ký hiệu “{f.text}” thiếu chữ viết tắt tên cơ quan ban hành (dạng <số>/{head}-<cơ quan>)."
        if named in codes_by_name and head not in codes_by_name[named] and named not in letter_names:
            expected = "/".join(sorted(codes_by_name[named]))
            return (
                f"“{f.doc_type}” nhưng ký hiệu “{f.text}” mang loại {head} "
                f"(loại {f.doc_type.lower()} viết tắt là {expected})."
            )
        return ""
    # no type code: a letter (công văn) <số>/<cơ quan>-<đơn vị>
    if named in codes_by_name:
        expected = "/".join(sorted(codes_by_name[named]))
        return (
            f"“{f.doc_type}” nhưng ký hiệu “{f.text}” không có chữ viết tắt tên loại "
            f"{expected} (Nghị định 30: <số>/{expected}-<cơ quan>)."
        )
    if head in ("CV", "CVăn", "CVAN"):
        return (
            f"Số ký hiệu công văn “{f.text}” sai thể thức: công văn không có chữ viết tắt tên "
            f"loại; theo Nghị định 30 ghi <số>/<cơ quan>-<đơn vị soạn thảo>, "
            f"ví dụ {f.text.split('/')[0]}/{'-'.join(parts[1:]) or 'UBND'}-VP."
        )
    if len(parts) == 1:
        others = sorted(s for s in full_symbols.get(f.text.split("/")[0].strip(), ()) if s != f.symbol)
        hint = f" Ở chỗ khác văn bản này được ghi là {f.text.split('/')[0]}/{others[0]}." if others else ""
        return (
            f"Số ký hiệu công văn “{f.text}” thiếu chữ viết tắt tên đơn vị soạn thảo "
            f"(Nghị định 30: <số>/<cơ quan>-<đơn vị>).{hint}"
        )
    return ""
