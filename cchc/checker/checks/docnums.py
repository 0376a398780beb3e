"""Số ký hiệu văn bản theo Nghị định 30/2020."""

from __future__ import annotations

import re

from cchc.checker.checks.base import INFO, WARNING, Context, Finding, _finding, rules
from cchc.documents import symbols


# ---- 8. document numbers (Nghị định 30) ----------------------------------------------------------
def check_doc_numbers(ctx: Context) -> list[Finding]:
    r = rules()
    codes_by_name = symbols.codes_by_name()  # the one list of ND 30 type codes, cchc/data/documents/types.yaml
    all_codes = {c for v in codes_by_name.values() for c in v} | {c.upper() for v in codes_by_name.values() for c in v}
    letter_names = {x.lower() for x in r["letter_names"]}
    out = []
    full_symbols: dict[str, set[str]] = {}
    for f in ctx.figures:
        if f.kind == "docref" and f.symbol:
            full_symbols.setdefault(f.text.split("/")[0].strip(), set()).add(f.symbol)
    for f in ctx.figures:
        if f.kind != "docref":
            continue
        if f.extra.get("short"):
            out.append(
                _finding(
                    ctx,
                    INFO,
                    "so_ky_hieu",
                    f.unit,
                    f.start,
                    f.end,
                    f"“{f.doc_type} số {f.text}” thiếu ký hiệu: theo Nghị định 30 ghi đủ "
                    f"<số>/<năm>/<loại>-<cơ quan ban hành>, ví dụ {f.text}/NĐ-CP.",
                    [],
                )
            )
            continue
        if f.extra.get("party"):
            if "/" not in f.symbol:
                out.append(
                    _finding(
                        ctx,
                        INFO,
                        "so_ky_hieu",
                        f.unit,
                        f.start,
                        f.end,
                        f"Ký hiệu văn bản của Đảng “{f.text}” viết sai dạng: đúng là "
                        f"{f.text.split('-')[0]}-{f.symbol.replace('-', '/', 1)}.",
                        [],
                    )
                )
            continue
        parts = re.sub(r"^\d{4}/", "", f.symbol).split("-")
        head = parts[0]
        named = f.doc_type.lower()
        if head in all_codes:
            if len(parts) < 2:
                out.append(
                    _finding(
                        ctx,
                        WARNING,
                        "so_ky_hieu",
                        f.unit,
                        f.start,
                        f.end,
                        f"Số ký hiệu “{f.text}” thiếu chữ viết tắt tên cơ quan ban hành (dạng <số>/{head}-<cơ quan>).",
                        [],
                    )
                )
            elif named in codes_by_name and head not in codes_by_name[named] and named not in letter_names:
                expected = "/".join(sorted(codes_by_name[named]))
                out.append(
                    _finding(
                        ctx,
                        WARNING,
                        "so_ky_hieu",
                        f.unit,
                        f.start,
                        f.end,
                        f"“{f.doc_type}” nhưng ký hiệu “{f.text}” mang loại {head} "
                        f"(loại {f.doc_type.lower()} viết tắt là {expected}).",
                        [],
                    )
                )
            continue
        # no type code: a letter (công văn) <số>/<cơ quan>-<đơn vị>
        if named in codes_by_name:
            expected = "/".join(sorted(codes_by_name[named]))
            out.append(
                _finding(
                    ctx,
                    WARNING,
                    "so_ky_hieu",
                    f.unit,
                    f.start,
                    f.end,
                    f"“{f.doc_type}” nhưng ký hiệu “{f.text}” không có chữ viết tắt tên loại "
                    f"{expected} (Nghị định 30: <số>/{expected}-<cơ quan>).",
                    [],
                )
            )
            continue
        if head in ("CV", "CVăn", "CVAN"):
            out.append(
                _finding(
                    ctx,
                    WARNING,
                    "so_ky_hieu",
                    f.unit,
                    f.start,
                    f.end,
                    f"Số ký hiệu công văn “{f.text}” sai thể thức: công văn không có chữ viết tắt tên "
                    f"loại; theo Nghị định 30 ghi <số>/<cơ quan>-<đơn vị soạn thảo>, "
                    f"ví dụ {f.text.split('/')[0]}/{'-'.join(parts[1:]) or 'UBND'}-VP.",
                    [],
                )
            )
            continue
        if len(parts) == 1:
            others = sorted(s for s in full_symbols.get(f.text.split("/")[0].strip(), ()) if s != f.symbol)
            hint = f" Ở chỗ khác văn bản này được ghi là {f.text.split('/')[0]}/{others[0]}." if others else ""
            out.append(
                _finding(
                    ctx,
                    WARNING,
                    "so_ky_hieu",
                    f.unit,
                    f.start,
                    f.end,
                    f"Số ký hiệu công văn “{f.text}” thiếu chữ viết tắt tên đơn vị soạn thảo "
                    f"(Nghị định 30: <số>/<cơ quan>-<đơn vị>).{hint}",
                    [],
                )
            )
    return out
