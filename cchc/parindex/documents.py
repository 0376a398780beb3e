"""Văn bản của Chỉ số CCHC, pre-filled from the data: the remediation plan and the remediation report.

Every figure printed here comes from the same analysis as `cchc parindex lost-points` (``selectors``), so
the tables of the documents and the command always agree; what the two documents share (the result, the lost
criteria, each one's task) is ``document_facts``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cchc.core.vnformat import format_date, format_date_long
from cchc.documents.rendering import Signature, official_header
from cchc.parindex import docx_templates, remediation, selectors
from cchc.parindex.document_facts import Facts, Row, facts_for, n
from cchc.parindex.models import Assessment, TaskStatus

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _figures(max_points: Decimal | None, obtained: Decimal | None, lost: Decimal | None) -> dict[str, str]:
    """The three figure cells of a table row (an absent figure prints as an empty cell)."""
    return {"max": n(max_points), "obtained": n(obtained), "lost": n(lost)}


def plan_rows(facts: Facts) -> list[dict[str, Any]]:
    """Phụ lục của kế hoạch: a bold row per field that lost points, a row per lost criterion, the total."""
    rows: list[dict[str, Any]] = []
    ordinal = 0
    blank = {"code": "", "responsible": "", "deadline": "", "note": ""}
    for group in facts.groups:
        if not group.lines:
            continue
        f = group.total
        rows.append(
            {
                **blank,
                "is_group": True,
                "stt": f.code,
                "name": f.name.upper(),
                **_figures(f.max_points, f.obtained, f.lost),
            }
        )
        for line in group.lines:
            ordinal += 1
            rows.append(_plan_line_row(ordinal, line, facts.rows[line.criterion.pk]))
    return rows + _plan_total_rows(facts.grand, blank)


def _plan_line_row(ordinal: int, line: selectors.LostLine, row: Row) -> dict[str, Any]:
    """A lost criterion in the plan's appendix: what it lost and why, who leads the remedy, by when."""
    penalty = line.kind == "điểm trừ"
    return {
        "is_group": False,
        "stt": str(ordinal),
        "code": line.code,
        "name": ("(Điểm trừ) " if penalty else "") + line.name + f" — {remediation.short_reason(line)}",
        **_figures(line.max_points, None if penalty else line.obtained, line.lost),
        "responsible": row.responsible,
        "deadline": row.deadline,
        "note": row.note,
    }


def _plan_total_rows(g: dict[str, Decimal], blank: dict[str, str]) -> list[dict[str, Any]]:
    """The total within the 100 points; bonus and penalty, when there are any, after it with the final total."""
    rows = [
        {
            **blank,
            "is_group": True,
            "stt": "",
            "name": "TỔNG CỘNG (trong 100 điểm)",
            **_figures(g["max"], g["obtained"], g["lost"]),
        }
    ]
    if not (g["penalty"] or g["bonus"]):
        return rows
    # Outside the 100 points: printed apart so that "đạt + mất = tối đa" holds on every row above.
    if g["bonus"]:
        rows.append(
            {
                **blank,
                "is_group": False,
                "stt": "",
                "name": "Điểm thưởng (ngoài 100 điểm)",
                **_figures(None, g["bonus"], None),
            }
        )
    if g["penalty"]:
        rows.append(
            {
                **blank,
                "is_group": False,
                "stt": "",
                "name": "Điểm trừ (ngoài 100 điểm)",
                **_figures(None, None, g["penalty"]),
            }
        )
    rows.append({**blank, "is_group": True, "stt": "", "name": "TỔNG ĐIỂM ĐẠT", **_figures(None, g["total"], None)})
    return rows


PURPOSE = [
    "Khắc phục những tồn tại, hạn chế trong việc thực hiện Chỉ số CCHC năm {year}. Xác định nhiệm vụ, giải pháp "
    "cụ thể cho từng tiêu chí bị mất điểm, góp phần nâng cao chất lượng công tác chỉ đạo, điều hành và tổ chức "
    "thực hiện các nhiệm vụ CCHC tại {unit};",
    "Nâng cao trách nhiệm của người đứng đầu, của các bộ phận, của cán bộ, công chức trong thực hiện công tác "
    "CCHC nói chung và Chỉ số CCHC của {unit} nói riêng;",
    "Phấn đấu Chỉ số CCHC năm {next_year} của {unit} được cải thiện so với năm {year}.",
]
REQUIREMENTS = [
    "a) Việc thực hiện kế hoạch nâng cao Chỉ số CCHC phải gắn với việc thực hiện có hiệu quả Kế hoạch CCHC hàng "
    "năm của {unit}.",
    "b) Mỗi tồn tại, hạn chế có bộ phận, người chủ trì và thời hạn khắc phục cụ thể (Phụ lục kèm theo); tài "
    "liệu kiểm chứng được lưu đầy đủ, đúng quy định ngay khi phát sinh.",
]
ORGANISATION = [
    "1. Các bộ phận, công chức được giao chủ trì căn cứ Kế hoạch này và Phụ lục kèm theo tập trung khắc phục "
    "triệt để các tồn tại, hạn chế; chịu trách nhiệm trước Chủ tịch UBND {kind} về kết quả các tiêu chí thành "
    "phần thuộc lĩnh vực mình phụ trách (thông qua việc cung cấp tài liệu kiểm chứng đầy đủ, đúng quy định).",
    "2. Văn phòng UBND {kind} theo dõi, đôn đốc, tổng hợp tình hình thực hiện Kế hoạch; kịp thời báo cáo Chủ "
    "tịch UBND {kind} những phát sinh và đề xuất giải pháp khắc phục.",
    "Trong quá trình triển khai, nếu có khó khăn, vướng mắc, các bộ phận kịp thời báo cáo UBND {kind} (qua Văn "
    "phòng) để được xem xét, giải quyết./.",
]


def _criterion_task(line: selectors.LostLine, row: Row) -> str:
    what = "bị trừ" if line.kind == "điểm trừ" else "bị mất"
    who = f" Chủ trì: {row.responsible}." if row.responsible else ""
    when = f" Thời hạn: {row.deadline}." if row.deadline else ""
    # The reason first, the points lost after it: "…, dưới mức 95% nên được 0,5/2,5 điểm, bị mất 2 điểm."
    return (
        f"- Tiêu chí {line.code} “{line.name}”: {line.reason}, {what} {n(line.lost)} điểm. "
        f"Giải pháp: {row.measure.rstrip('.')}.{who}{when}"
    )


def plan_context(facts: Facts) -> dict[str, Any]:
    plan, day = facts.plan, facts.day
    year, unit = facts.year, facts.unit
    day = plan.issued_on if plan and plan.issued_on else day
    number = plan.number if plan and plan.number else "      /KH-UBND"
    kind = facts.unit_kind
    header = official_header(
        unit,
        day,
        number=number,
        title="Kế hoạch",
        summary=(
            f"Khắc phục những tồn tại, hạn chế trong công tác cải cách hành chính năm {year}, "
            f"giải pháp nâng cao Chỉ số cải cách hành chính năm {year + 1}"
        ),
        recipients=[
            remediation.home_office(unit, day),
            f"TT Đảng ủy, TT HĐND {kind}",
            "Các bộ phận chuyên môn",
            f"Trang thông tin điện tử {kind}",
            "Lưu: VT, VP",
        ],
        sign=Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], plan.signer if plan else ""),
    )
    words = {"year": year, "next_year": year + 1, "unit": facts.unit_short, "kind": kind}
    body: list[dict[str, str]] = [
        {
            "kind": "text",
            "text": f"Theo kết quả công bố Chỉ số cải cách hành chính (CCHC) năm {year}"
            f"{facts.announcement()}, {facts.result_sentence()}. {facts.self_sentence()}".strip(),
        },
        {
            "kind": "text",
            "text": f"Để khắc phục triệt để, có hiệu quả những tồn tại, hạn chế, Ủy ban nhân dân {kind} "
            "ban hành Kế hoạch khắc phục và giải pháp nâng cao Chỉ số CCHC như sau:",
        },
        {"kind": "heading", "text": "I. MỤC ĐÍCH, YÊU CẦU"},
        {"kind": "heading", "text": "1. Mục đích"},
        *({"kind": "text", "text": "- " + p.format(**words)} for p in PURPOSE),
        {"kind": "heading", "text": "2. Yêu cầu"},
        *({"kind": "text", "text": p.format(**words)} for p in REQUIREMENTS),
        {"kind": "heading", "text": "II. NHIỆM VỤ VÀ GIẢI PHÁP"},
    ]
    number_in_section = 0
    for group in facts.groups:
        if not group.lines:
            continue
        number_in_section += 1
        f = group.total
        body.append(
            {
                "kind": "heading",
                "text": f"{number_in_section}. {f.name} (đạt {n(f.obtained)}/"
                f"{n(f.max_points)} điểm, bị mất {n(f.lost)} điểm)",
            }
        )
        for line in group.lines:
            body.append({"kind": "text", "text": _criterion_task(line, facts.rows[line.criterion.pk])})
    body.append({"kind": "heading", "text": "III. TỔ CHỨC THỰC HIỆN"})
    body.extend({"kind": "text", "text": p.format(**words)} for p in ORGANISATION)
    number_short = number.split("/")[0].strip() or "      "
    appendix = {
        "title": f"CÁC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        "subtitle": (
            f"(Kèm theo Kế hoạch số {number_short}/KH-UBND {format_date_long(day)} của UBND {facts.unit_short})"
        ),
        "rows": plan_rows(facts),
    }
    return {**header.as_context(), "body": body, "appendix": appendix}


def field_rows(facts: Facts) -> list[dict[str, Any]]:
    rows = []
    for i, group in enumerate(facts.groups):
        f = group.total
        rows.append(
            {
                "is_group": False,
                "stt": ROMAN[i] if i < len(ROMAN) else str(i + 1),
                "name": f.name,
                **_figures(f.max_points, f.obtained, f.lost),
            }
        )
    g = facts.grand
    rows.append(
        {
            "is_group": True,
            "stt": "",
            "name": "Tổng điểm (trong 100 điểm)",
            **_figures(g["max"], g["obtained"], g["lost"]),
        }
    )
    if g["bonus"] or g["penalty"]:
        rows.append(
            {
                "is_group": False,
                "stt": "",
                "name": "Điểm thưởng / điểm trừ (ngoài 100 điểm)",
                "max": "",
                "obtained": " / ".join(
                    x
                    for x in (f"+{n(g['bonus'])}" if g["bonus"] else "", f"−{n(g['penalty'])}" if g["penalty"] else "")
                    if x
                ),
                "lost": "",
            }
        )
        rows.append({"is_group": True, "stt": "", "name": "Tổng điểm đạt", **_figures(None, g["total"], None)})
    return rows


def _secured(row: Row, live: remediation.LiveCheck | None) -> tuple[str, bool]:
    """Whether the point is secured now, in words: today's figure for a rule with an indicator, otherwise
    the task's state and its evidence."""
    if live is not None and live.secured is not None:
        if live.secured:
            return f"Theo {live.text}: đã bảo đảm điểm tối đa", True
        return f"Theo {live.text}: chưa bảo đảm điểm tối đa", False
    if live is not None:  # scored from an indicator, but this year's figure is not there yet
        words, ok = _secured(row, None)
        return (
            f"{live.text[:1].upper()}{live.text[1:]} trên phần mềm để tính lại điểm; {words[:1].lower()}{words[1:]}",
            ok,
        )
    if row.status == TaskStatus.DONE and row.evidence:
        return "Đã khắc phục, có tài liệu kiểm chứng; điểm được bảo đảm khi thẩm định", True
    if row.status == TaskStatus.DONE:
        return "Đã thực hiện nhưng chưa cập nhật tài liệu kiểm chứng: chưa bảo đảm điểm", False
    return "Chưa bảo đảm điểm", False


def report_rows(facts: Facts, live: dict[int, remediation.LiveCheck]) -> list[dict[str, Any]]:
    rows = []
    ordinal = 0
    for group in facts.groups:
        if not group.lines:
            continue
        f = group.total
        rows.append(
            {
                "is_group": True,
                "stt": f.code,
                "code": "",
                "name": f.name.upper(),
                **_figures(f.max_points, f.obtained, f.lost),
                "reason": "",
                "action": "",
                "status": "",
            }
        )
        for line in group.lines:
            ordinal += 1
            row = facts.rows[line.criterion.pk]
            secured, _ = _secured(row, live.get(line.criterion.pk))
            action = row.action or "Chưa có kết quả"
            if row.evidence:
                action += f". Tài liệu kiểm chứng: {row.evidence}"
            rows.append(
                {
                    "is_group": False,
                    "stt": str(ordinal),
                    "code": line.code,
                    "name": ("(Điểm trừ) " if line.kind == "điểm trừ" else "") + line.name,
                    **_figures(line.max_points, None if line.kind == "điểm trừ" else line.obtained, line.lost),
                    "reason": line.reason,
                    "action": action,
                    "status": f"{row.status_label}{' (quá hạn)' if row.overdue else ''}. {secured}",
                }
            )
    return rows


def _plan_ref(facts: Facts) -> str:
    plan = facts.plan
    if plan and plan.number:
        ref = f"Kế hoạch số {plan.number}"
        if plan.issued_on:
            ref += f" ngày {format_date(plan.issued_on)}"
        return ref + f" của UBND {facts.unit_kind}"
    return f"Kế hoạch của UBND {facts.unit_kind}"


def directing_text(facts: Facts) -> str:
    """I. Công tác chỉ đạo, triển khai — what the unit did to direct the work (editable on the plan)."""
    if facts.plan and facts.plan.directing.strip():
        return facts.plan.directing.strip()
    rows = list(facts.rows.values())
    leads = sorted({r.responsible for r in rows if r.responsible})
    recurring = str((facts.framework.calendar or {}).get("recurring") or "hằng tháng").lower()
    return (
        f"Ngay sau khi có kết quả công bố Chỉ số CCHC năm {facts.year}{facts.announcement()}, UBND "
        f"{facts.unit_kind} đã ban hành {_plan_ref(facts)}, giao {len(rows)} nhiệm vụ khắc phục các tiêu chí "
        f"bị mất điểm cho {len(leads)} bộ phận, công chức chủ trì, mỗi nhiệm vụ có giải pháp và thời hạn cụ thể. "
        f"Văn phòng UBND {facts.unit_kind} theo dõi, đôn đốc tiến độ {recurring}; các nhiệm vụ được theo dõi "
        "trên phần mềm như nhiệm vụ của kế hoạch CCHC, kèm tài liệu kiểm chứng kết quả."
    )


def _overall(facts: Facts, secured: list[str], at_risk: list[str]) -> str:
    if facts.plan and facts.plan.overall.strip():
        return facts.plan.overall.strip()
    rows = list(facts.rows.values())
    done = sum(1 for r in rows if r.status == TaskStatus.DONE)
    doing = sum(1 for r in rows if r.status == TaskStatus.DOING)
    overdue = [r.criterion.code for r in rows if r.overdue]
    text = (
        f"Đến {format_date_long(facts.day)}, trong số {len(rows)} nhiệm vụ khắc phục đã hoàn thành {done} "
        f"nhiệm vụ, đang thực hiện {doing} nhiệm vụ, chưa thực hiện {len(rows) - done - doing} nhiệm vụ"
    )
    text += f"; quá thời hạn: tiêu chí {', '.join(overdue)}." if overdue else "; không có nhiệm vụ quá thời hạn."
    if secured:
        text += f" Các tiêu chí đã bảo đảm điểm: {', '.join(secured)}."
    if at_risk:
        text += f" Các tiêu chí còn nguy cơ mất điểm: {', '.join(at_risk)}."
    return text


def _next_measures(facts: Facts) -> list[str]:
    if facts.plan and facts.plan.next_measures.strip():
        return [m.strip() for m in facts.plan.next_measures.splitlines() if m.strip()]
    grouped: dict[str, list[Row]] = {}
    for row in facts.rows.values():
        if row.status != TaskStatus.DONE:
            grouped.setdefault(row.measure.rstrip("."), []).append(row)
    out = []
    for measure, rows in grouped.items():
        codes = ", ".join(r.criterion.code for r in rows)
        leads = "; ".join(sorted({r.responsible for r in rows if r.responsible}))
        out.append(f"- {measure} (tiêu chí {codes}" + (f"; chủ trì: {leads}" if leads else "") + ").")
    out.append(
        "- Lưu trữ tài liệu kiểm chứng của từng tiêu chí ngay khi phát sinh; rà soát hằng quý các tiêu chí có "
        "nguy cơ mất điểm theo số liệu trên phần mềm."
    )
    return out


def report_context(facts: Facts) -> dict[str, Any]:
    plan, day = facts.plan, facts.day
    year, unit = facts.year, facts.unit
    day = plan.report_on if plan and plan.report_on else day
    number = plan.report_number if plan and plan.report_number else "      /BC-UBND"
    office = remediation.home_office(unit, day)
    header = official_header(
        unit,
        day,
        number=number,
        title="Báo cáo",
        summary=f"Kết quả khắc phục tồn tại, hạn chế theo kết quả Chỉ số cải cách hành chính năm {year}",
        recipients=[office, f"TT Đảng ủy, TT HĐND {facts.unit_kind}", "Lưu: VT, VP"],
        sign=Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], plan.signer if plan else ""),
        addressee=office,
    )
    live = remediation.live_checks(facts.assessment, [ln.criterion for ln in facts.lost_lines], day)
    secured, at_risk, items = [], [], []
    for group in facts.groups:
        for line in group.lines:
            row = facts.rows[line.criterion.pk]
            words, ok = _secured(row, live.get(line.criterion.pk))
            (secured if ok else at_risk).append(line.code)
            done = row.action.rstrip(". ") or "chưa có kết quả khắc phục"
            evidence = f"; tài liệu kiểm chứng: {row.evidence.rstrip('. ')}" if row.evidence else ""
            items.append(
                {
                    "kind": "text",
                    "text": f"- Tiêu chí {line.code} “{line.name}” (nguyên nhân mất điểm: "
                    f"{line.reason}): {done}{evidence}. {words}.",
                }
            )
    body = [
        {
            "kind": "text",
            "text": f"Thực hiện {_plan_ref(facts)} về khắc phục những tồn tại, hạn chế trong công tác "
            f"cải cách hành chính năm {year}, giải pháp nâng cao Chỉ số CCHC năm {year + 1}, "
            f"UBND {facts.unit_short} báo cáo kết quả thực hiện như sau:",
        },
        {"kind": "heading", "text": "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"},
        {"kind": "text", "text": directing_text(facts)},
        {"kind": "heading", "text": f"II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"},
        {
            "kind": "text",
            "text": f"Theo kết quả công bố Chỉ số CCHC năm {year}{facts.announcement()}, "
            f"{facts.result_sentence()}. {facts.self_sentence()} Kết quả theo từng lĩnh vực "
            "như sau:",
        },
    ]
    body_after = [
        {"kind": "heading", "text": "III. KẾT QUẢ KHẮC PHỤC TỪNG TIÊU CHÍ"},
        *items,
        {"kind": "heading", "text": "IV. ĐÁNH GIÁ CHUNG"},
        {"kind": "text", "text": _overall(facts, secured, at_risk)},
        {"kind": "heading", "text": "V. NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI"},
        *({"kind": "text", "text": m} for m in _next_measures(facts)),
        {
            "kind": "text",
            "text": f"Trên đây là báo cáo kết quả khắc phục tồn tại, hạn chế theo kết quả Chỉ số CCHC "
            f"năm {year} của UBND {facts.unit_short}./.",
        },
    ]
    number_short = number.split("/")[0].strip() or "      "
    appendix = {
        "title": f"KẾT QUẢ KHẮC PHỤC CÁC TIÊU CHÍ BỊ MẤT ĐIỂM TRONG CHỈ SỐ CCHC NĂM {year}",
        "subtitle": f"(Kèm theo Báo cáo số {number_short}/BC-UBND {format_date_long(day)} của UBND {facts.unit_short})",
        "rows": report_rows(facts, live),
    }
    return {
        **header.as_context(),
        "body": body,
        "fields": field_rows(facts),
        "body_after": body_after,
        "appendix": appendix,
    }


# Document kinds of this app, for the sign-off (approval) mechanism of the documents app: each renders the
# DOCX of one assessment. The approval flow (draft → leader → signed → sent) belongs to cchc.documents; this
# app only supplies the bytes and never keeps its own approval state.
def plan_docx(assessment: Assessment, day: date | None = None) -> bytes:
    return docx_templates.render("ke-hoach-khac-phuc", plan_context(facts_for(assessment, day)))


def report_docx(assessment: Assessment, day: date | None = None) -> bytes:
    return docx_templates.render("bao-cao-khac-phuc", report_context(facts_for(assessment, day)))


DOCUMENT_KINDS = {"ke-hoach": ("KH", plan_docx), "bao-cao": ("BC", report_docx)}
