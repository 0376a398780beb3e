"""Văn bản của Chỉ số CCHC, pre-filled from the data: the remediation plan and the remediation report.

Every figure printed here comes from the same analysis as `cchc parindex lost-points` (``selectors``), so
the tables of the documents and the command always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cchc.core.vnformat import format_date, format_date_long, format_number, format_percent
from cchc.documents.rendering import Signature, official_header
from cchc.org import selectors as org_selectors
from cchc.parindex import docx_templates, selectors
from cchc.parindex.models import Assessment, RemediationPlan, TaskStatus

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def n(value: Decimal | None) -> str:
    return "" if value is None else format_number(value)


@dataclass
class Facts:
    assessment: Assessment
    result: selectors.Result
    groups: list[selectors.LostField]
    grand: dict[str, Decimal]
    plan: RemediationPlan | None

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def year(self) -> int:
        return self.assessment.framework.year

    @property
    def unit_short(self) -> str:
        name = self.unit.name
        return name[0].lower() + name[1:]

    def result_sentence(self) -> str:
        s = self.result.sheet
        rank = f", xếp thứ {self.result.rank}/{self.result.of}" if self.result.rank else ""
        band = f", xếp loại {s.band()}" if s.band() else ""
        extra = []
        if s.bonus:
            extra.append(f"điểm thưởng {n(s.bonus)}")
        if s.penalty:
            extra.append(f"điểm trừ {n(s.penalty)}")
        extra_text = f" (trong đó {', '.join(extra)})" if extra else ""
        na = ""
        if s.applicable_max != self.assessment.framework.total:
            na = f" trên tổng điểm tối đa được áp dụng {n(s.applicable_max)} điểm"
        return (f"tổng điểm của {self.unit_short} đạt {n(s.total)} điểm{extra_text}{na}, Chỉ số CCHC đạt "
                f"{format_percent(s.index)}{rank}{band}; điểm tự đánh giá của {self.unit_short} là "
                f"{n(s.self_total)} điểm")


def facts_for(assessment: Assessment) -> Facts:
    result = selectors.result_of(assessment)
    groups, grand = selectors.lost_points(result.sheet)
    plan = RemediationPlan.objects.filter(assessment=assessment).first()
    return Facts(assessment, result, groups, grand, plan)


def _tasks(facts: Facts) -> dict[int, Any]:
    if facts.plan is None:
        return {}
    return {t.criterion_id: t for t in facts.plan.tasks.select_related("criterion")}


def _deadline(task) -> str:
    if task is None:
        return ""
    if task.deadline:
        return format_date(task.deadline)
    return task.deadline_text


def _governing_line(unit, year: int) -> str:
    parent = org_selectors.ancestors_on(unit, date(year, 12, 31))
    parent = next((p for p in parent if p.level != "bo_phan"), None)
    return f"UBND {parent.name[0].lower() + parent.name[1:]}" if parent else "UBND cấp trên"


def plan_rows(facts: Facts) -> list[dict[str, Any]]:
    """Phụ lục của kế hoạch: a bold row per field that lost points, a row per lost criterion, the total."""
    tasks = _tasks(facts)
    rows: list[dict[str, Any]] = []
    ordinal = 0
    for group in facts.groups:
        if not group.lines:
            continue
        f = group.total
        rows.append({"is_group": True, "stt": f.code, "code": "", "name": f.name.upper(), "max": n(f.max_points),
                     "obtained": n(f.obtained), "lost": n(f.lost + f.penalty), "responsible": "", "deadline": "",
                     "note": ""})
        for line in group.lines:
            ordinal += 1
            task = tasks.get(line.criterion.pk)
            penalty = line.kind == "điểm trừ"
            rows.append({
                "is_group": False, "stt": str(ordinal), "code": line.code,
                "name": ("(Điểm trừ) " if penalty else "") + line.name + (f" — {line.reason}" if line.reason else ""),
                "max": n(line.max_points), "obtained": "" if penalty else n(line.obtained), "lost": n(line.lost),
                "responsible": task.responsible if task else line.criterion.responsible_hint,
                "deadline": _deadline(task), "note": task.note if task else "",
            })
    g = facts.grand
    rows.append({"is_group": True, "stt": "", "code": "", "name": "TỔNG CỘNG", "max": n(g["max"]),
                 "obtained": n(g["obtained"]), "lost": n(g["lost"] + g["penalty"]), "responsible": "",
                 "deadline": "", "note": ""})
    return rows


PURPOSE = [
    "Khắc phục những tồn tại, hạn chế trong việc thực hiện Chỉ số CCHC năm {year}. Xác định nhiệm vụ, giải pháp "
    "để cải thiện các chỉ số thành phần, góp phần nâng cao chất lượng công tác chỉ đạo, điều hành và tổ chức "
    "thực hiện các nhiệm vụ CCHC tại {unit};",
    "Nâng cao trách nhiệm của người đứng đầu, của các bộ phận, của cán bộ, công chức trong thực hiện công tác "
    "CCHC nói chung và Chỉ số CCHC của {unit} nói riêng;",
    "Phấn đấu Chỉ số CCHC năm {next_year} của {unit} được cải thiện so với năm {year}.",
]
REQUIREMENTS = [
    "a) Việc thực hiện kế hoạch nâng cao Chỉ số CCHC phải gắn với việc thực hiện có hiệu quả Kế hoạch CCHC hàng "
    "năm của {unit}.",
    "b) Mỗi tồn tại, hạn chế có bộ phận, người chủ trì và thời hạn khắc phục cụ thể (Phụ lục kèm theo); tài "
    "liệu kiểm chứng được lưu đầy đủ, đúng quy định.",
]
ORGANISATION = [
    "1. Các bộ phận, công chức được giao chủ trì căn cứ Kế hoạch này và Phụ lục kèm theo tập trung khắc phục "
    "triệt để các tồn tại, hạn chế; chịu trách nhiệm trước Chủ tịch UBND về kết quả các tiêu chí thành phần "
    "thuộc lĩnh vực mình phụ trách (thông qua việc cung cấp tài liệu kiểm chứng đầy đủ, đúng quy định).",
    "2. Văn phòng UBND theo dõi, đôn đốc, tổng hợp tình hình thực hiện Kế hoạch; kịp thời báo cáo Chủ tịch UBND "
    "những phát sinh và đề xuất giải pháp khắc phục.",
    "Trong quá trình triển khai, nếu có khó khăn, vướng mắc, các bộ phận kịp thời báo cáo UBND (qua Văn phòng) "
    "để được xem xét, giải quyết./.",
]


def plan_context(facts: Facts, day: date | None = None) -> dict[str, Any]:
    plan = facts.plan
    year, unit = facts.year, facts.unit
    day = (plan.issued_on if plan and plan.issued_on else None) or day or timezone.localdate()
    number = plan.number if plan and plan.number else "      /KH-UBND"
    header = official_header(
        unit, day, number=number, title="Kế hoạch",
        summary=(f"Khắc phục những tồn tại, hạn chế trong công tác cải cách hành chính năm {year}, "
                 f"giải pháp nâng cao Chỉ số cải cách hành chính năm {year + 1}"),
        recipients=[_governing_line(unit, year), "TT Đảng ủy, TT HĐND", "Các bộ phận chuyên môn",
                    "Trang thông tin điện tử", "Lưu: VT, VP"],
        sign=Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], plan.signer if plan else ""),
    )
    words = {"year": year, "next_year": year + 1, "unit": facts.unit_short}
    tasks = _tasks(facts)
    body: list[dict[str, str]] = [
        {"kind": "text", "text": f"Theo kết quả công bố Chỉ số cải cách hành chính (CCHC) năm {year}, "
                                 f"{facts.result_sentence()}."},
        {"kind": "text", "text": "Để khắc phục triệt để, có hiệu quả những tồn tại, hạn chế, Ủy ban nhân dân ban "
                                 "hành Kế hoạch khắc phục và giải pháp nâng cao Chỉ số CCHC như sau:"},
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
        body.append({"kind": "heading", "text": f"{number_in_section}. {f.name} (đạt {n(f.obtained)}/"
                                                f"{n(f.max_points)} điểm, bị mất {n(f.lost + f.penalty)} điểm)"})
        for line in group.lines:
            task = tasks.get(line.criterion.pk)
            who = task.responsible if task and task.responsible else line.criterion.responsible_hint
            when = _deadline(task)
            tail = "".join([f" Chủ trì: {who}." if who else "", f" Thời hạn: {when}." if when else ""])
            what = ("bị trừ" if line.kind == "điểm trừ" else f"đạt {n(line.obtained)}/{n(line.max_points)} điểm, "
                    "bị mất")
            reason = f" ({line.reason})" if line.reason else ""
            body.append({"kind": "text", "text": f"- Tiêu chí {line.code} “{line.name}”: {what} {n(line.lost)} "
                                                 f"điểm{reason}. Khắc phục để đạt tối đa điểm của tiêu chí.{tail}"})
    body.append({"kind": "heading", "text": "III. TỔ CHỨC THỰC HIỆN"})
    body.extend({"kind": "text", "text": p} for p in ORGANISATION)
    number_short = number.split("/")[0].strip() or "      "
    appendix = {
        "title": f"CÁC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        "subtitle": (f"(Kèm theo Kế hoạch số {number_short}/KH-UBND {format_date_long(day)} của "
                     f"UBND {facts.unit_short})"),
        "rows": plan_rows(facts),
    }
    return {**header.as_context(), "body": body, "appendix": appendix}


def field_rows(facts: Facts) -> list[dict[str, Any]]:
    rows = []
    for i, group in enumerate(facts.groups):
        f = group.total
        rows.append({"is_group": False, "stt": ROMAN[i] if i < len(ROMAN) else str(i + 1), "name": f.name,
                     "max": n(f.max_points), "obtained": n(f.obtained), "lost": n(f.lost)})
    g = facts.grand
    rows.append({"is_group": True, "stt": "", "name": "Tổng điểm (trong 100 điểm)", "max": n(g["max"]),
                 "obtained": n(g["obtained"]), "lost": n(g["lost"])})
    if g["bonus"] or g["penalty"]:
        rows.append({"is_group": False, "stt": "", "name": "Điểm thưởng / điểm trừ (ngoài 100 điểm)", "max": "",
                     "obtained": " / ".join(x for x in (f"+{n(g['bonus'])}" if g["bonus"] else "",
                                                          f"−{n(g['penalty'])}" if g["penalty"] else "") if x),
                     "lost": ""})
        rows.append({"is_group": True, "stt": "", "name": "Tổng điểm đạt", "max": "", "obtained": n(g["total"]),
                     "lost": ""})
    return rows


def report_rows(facts: Facts) -> list[dict[str, Any]]:
    tasks = _tasks(facts)
    rows = []
    ordinal = 0
    for group in facts.groups:
        if not group.lines:
            continue
        f = group.total
        rows.append({"is_group": True, "stt": f.code, "code": "", "name": f.name.upper(), "max": n(f.max_points),
                     "obtained": n(f.obtained), "lost": n(f.lost + f.penalty), "reason": "", "action": "",
                     "status": ""})
        for line in group.lines:
            ordinal += 1
            task = tasks.get(line.criterion.pk)
            rows.append({
                "is_group": False, "stt": str(ordinal), "code": line.code,
                "name": ("(Điểm trừ) " if line.kind == "điểm trừ" else "") + line.name,
                "max": n(line.max_points), "obtained": "" if line.kind == "điểm trừ" else n(line.obtained),
                "lost": n(line.lost), "reason": line.reason, "action": task.action_taken if task else "",
                "status": task.get_status_display() if task else TaskStatus.TODO.label,
            })
    return rows


def report_context(facts: Facts, day: date | None = None) -> dict[str, Any]:
    plan = facts.plan
    year, unit = facts.year, facts.unit
    day = (plan.report_on if plan and plan.report_on else None) or day or timezone.localdate()
    number = plan.report_number if plan and plan.report_number else "      /BC-UBND"
    governing = _governing_line(unit, year)
    header = official_header(
        unit, day, number=number, title="Báo cáo",
        summary=f"Kết quả khắc phục tồn tại, hạn chế theo kết quả Chỉ số cải cách hành chính năm {year}",
        recipients=[governing, "TT Đảng ủy, TT HĐND", "Lưu: VT, VP"],
        sign=Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], plan.signer if plan else ""), addressee=governing,
    )
    tasks = list(_tasks(facts).values())
    done = sum(1 for t in tasks if t.status == TaskStatus.DONE)
    doing = sum(1 for t in tasks if t.status == TaskStatus.DOING)
    todo = len(tasks) - done - doing
    plan_ref = f"Kế hoạch số {plan.number}" if plan and plan.number else "Kế hoạch khắc phục"
    if plan and plan.issued_on:
        plan_ref += f" ngày {format_date(plan.issued_on)}"
    body = [
        {"kind": "heading", "text": f"I. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"},
        {"kind": "text", "text": f"Theo kết quả công bố Chỉ số CCHC năm {year}, {facts.result_sentence()}. "
                                 "Kết quả theo từng lĩnh vực như sau:"},
    ]
    lost_count = sum(len(g.lines) for g in facts.groups)
    overall = (plan.overall if plan and plan.overall else
               f"{plan_ref} đã xác định {lost_count} tiêu chí bị mất điểm với tổng số "
               f"{n(facts.grand['lost'] + facts.grand['penalty'])} điểm. Đến nay đã khắc phục xong {done} tiêu chí, "
               f"đang thực hiện {doing} tiêu chí, chưa thực hiện {todo} tiêu chí.")
    open_tasks = [t for t in tasks if t.status != TaskStatus.DONE]
    if plan and plan.next_measures:
        measures = [m.strip() for m in plan.next_measures.splitlines() if m.strip()]
    else:
        measures = [f"- Tiếp tục khắc phục tiêu chí {t.criterion.code} “{t.criterion.name}”"
                    + (f" (chủ trì: {t.responsible})" if t.responsible else "") + ";" for t in open_tasks]
        measures.append("- Lưu trữ đầy đủ tài liệu kiểm chứng của từng tiêu chí ngay khi phát sinh; rà soát định kỳ "
                        "hằng quý các tiêu chí có nguy cơ mất điểm.")
    body_after = [
        {"kind": "heading", "text": "II. KẾT QUẢ KHẮC PHỤC"},
        {"kind": "text", "text": f"Thực hiện {plan_ref}, kết quả khắc phục từng tiêu chí bị mất điểm (nguyên "
                                 "nhân, việc đã làm, tình trạng) tại Phụ lục kèm theo."},
        {"kind": "heading", "text": "III. ĐÁNH GIÁ CHUNG"},
        {"kind": "text", "text": overall},
        {"kind": "heading", "text": "IV. GIẢI PHÁP TRONG THỜI GIAN TỚI"},
        *({"kind": "text", "text": m} for m in measures),
    ]
    number_short = number.split("/")[0].strip() or "      "
    appendix = {
        "title": f"KẾT QUẢ KHẮC PHỤC CÁC TIÊU CHÍ BỊ MẤT ĐIỂM TRONG CHỈ SỐ CCHC NĂM {year}",
        "subtitle": f"(Kèm theo Báo cáo số {number_short}/BC-UBND {format_date_long(day)} của UBND {facts.unit_short})",
        "rows": report_rows(facts),
    }
    return {**header.as_context(), "body": body, "fields": field_rows(facts), "body_after": body_after,
            "appendix": appendix}


def plan_docx(assessment: Assessment, day: date | None = None) -> bytes:
    return docx_templates.render("ke-hoach-khac-phuc", plan_context(facts_for(assessment), day))


def report_docx(assessment: Assessment, day: date | None = None) -> bytes:
    return docx_templates.render("bao-cao-khac-phuc", report_context(facts_for(assessment), day))
