"""Số liệu minh họa của xã Sơn Tây (000.16.21.H42) cho năm 2021 và năm 2024.

Plausible figures of a commune, consistent with every rule, except ONE deliberate inconsistency:
in 2024 the typed total of disciplined staff (3) differs from its parts (1 + 1 = 2), so that the
validation analysis over the demo province has exactly one thing to find.
"""

from __future__ import annotations

from cchc.accounts.actors import SystemActor
from cchc.indicators.catalogue import ensure_catalogue
from cchc.org.models import OrgUnit

DEMO_UNIT = "000.16.21.H42"
SEEDED_INCONSISTENCY = ("2024-NAM", "tong.discipline.total")

_COMMON = {
    "propaganda.tasks_planned": 6,
    "propaganda.meetings": 1,
    "dialogue.held": 1,
    "discipline_directive.compliance": 1,
    "legal.issued": 0,
    "procedures.review_plan": 1,
    "procedures.in_force_district": 0,
    "feedback.address_posted": 1,
    "one_stop.same_level_procedures": 0,
    "job_positions.approved": 1,
    "job_positions.reviewed": 1,
    "appointment.competitive_selection": 0,
    "finance.autonomy": 1,
    "online_meetings.province_to_commune": 1,
    "one_stop_system.communes_connected": 1,
    "iso.communes_announced": 1,
    "iso.communes_internal_audit": 1,
    "iso.communes_management_review": 1,
    "leaders.commune_ppc": 3,
}

DEMO_VALUES: dict[str, dict[str, int]] = {
    "2021-NAM": {
        **_COMMON,
        "propaganda.tasks_done": 6,
        "procedures.announced_new": 12,
        "procedures.abolished": 9,
        "procedures.in_force": 118,
        "procedures.in_force_commune": 118,
        "procedures.published_one_stop_page": 118,
        "procedures.level34_one_stop_page": 40,
        "one_stop.internal_processes": 118,
        "one_stop.digitised_processes": 60,
        "online.procedures_level3": 30,
        "online.procedures_level4": 10,
        "training.planned": 8,
        "training.trained": 8,
        "rotation.target": 1,
        "rotation.done": 1,
        "discipline.total": 0,
        "discipline.commune_leaders": 0,
        "discipline.specialists": 0,
    },
    "2024-NAM": {
        **_COMMON,
        "propaganda.tasks_done": 5,
        "procedures.announced_new": 7,
        "procedures.abolished": 11,
        "procedures.in_force": 114,
        "procedures.in_force_commune": 114,
        "procedures.published_one_stop_page": 114,
        "procedures.level34_one_stop_page": 68,
        "one_stop.internal_processes": 114,
        "one_stop.digitised_processes": 114,
        "online.procedures_level3": 40,
        "online.procedures_level4": 60,
        "training.planned": 10,
        "training.trained": 9,
        "rotation.target": 1,
        "rotation.done": 1,
        # Sai lệch cố ý: tổng 3 nhưng các thành phần cộng lại chỉ 2.
        "discipline.total": 3,
        "discipline.commune_leaders": 1,
        "discipline.specialists": 1,
    },
}


def enter_demo_values(out) -> None:
    from cchc.indicators.services import enter_value

    ensure_catalogue()
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out("Chưa có xã Sơn Tây (nạp tỉnh minh họa trước): bỏ qua số liệu chỉ tiêu.")
        return
    for period, values in DEMO_VALUES.items():
        changed = 0
        for code, value in values.items():
            if enter_value(SystemActor("cchc demo"), unit, period, code, value, note="Số liệu minh họa").changed:
                changed += 1
        out(f"{unit.name}, kỳ {period}: {len(values)} số liệu ({changed} mới hoặc thay đổi).")
    out("Có một sai lệch cố ý (kỳ 2024-NAM: tổng số bị kỷ luật khác tổng các thành phần) để thử phân tích kiểm tra.")
