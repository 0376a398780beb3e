"""Demo: the commune criteria set of 2023, and the 20 communes of the demo province (those valid on
31/12/2023) scored through self-assessment and appraisal, deterministically, so that the results page
shows a ranking (with one tie) and every rule type has been used.

The pattern of each commune is a pure function of its position in code order: re-running the demo on a
fresh database gives the same scores. A commune already assessed is left as it is (idempotent).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph
from cchc.parindex import selectors, services
from cchc.parindex.framework import DEMO_FRAMEWORK_FILE, load_framework_file
from cchc.parindex.models import Assessment, Criterion, RuleType, Status

ACTOR_UNIT = SystemActor("cchc demo (xã tự đánh giá)")
ACTOR_REVIEWER = SystemActor("cchc demo (thẩm định)")
DEMO_PROVINCE = "000.00.00.H42"
DEMO_DAY = date(2023, 12, 31)
NOT_APPLICABLE = ("4.3",)  # one commune has no villages to rearrange: the criterion leaves its maximum
QUARTER = Decimal("0.25")


def demo_communes() -> list[OrgUnit]:
    """Các xã, thị trấn của tỉnh minh họa còn hiệu lực ngày 31/12/2023 (20 đơn vị)."""
    province = OrgUnit.objects.get(code=DEMO_PROVINCE)
    graph = load_graph()
    units = graph.descendants_on(province.pk, DEMO_DAY, include_self=False)
    return sorted((u for u in units if u.level == Level.COMMUNE), key=lambda u: u.code)


def _seed(position: int) -> int:
    # Communes 12 and 13 (in code order) follow the same pattern: the ranking shows a shared rank.
    return 12 if position == 13 else position


def _plan(seed: int, j: int, c: Criterion) -> dict:
    """What commune ``seed`` declares and self-scores for the ``j``-th sub-criterion."""
    m = c.max_points
    k = ((seed + 1) * (j + 3)) % 7
    deficit = min(m, QUARTER * k) if k < 3 else Decimal(0)
    if c.rule_type == RuleType.SURVEY:
        share = Decimal(80 + (seed * 5 + j) % 16) / 100
        return {"self_score": (m * share / QUARTER).to_integral_value() * QUARTER}
    if c.rule_type == RuleType.BONUS:
        return {"self_score": Decimal("0.5") if seed % 4 == 0 else None}
    if c.rule_type == RuleType.PENALTY:
        return {"declared_value": Decimal(1) if seed % 6 == 5 else Decimal(0)}
    if c.rule_type == RuleType.MANUAL:
        return {"self_score": m - deficit}
    if c.indicator:
        # Scored from the indicator store when the commune has the figure; by hand only where it has none
        # (see score_commune), so a printed figure never contradicts its points.
        return {}
    if c.rule_type == RuleType.YES_NO:
        return {"declared_value": Decimal(0) if (seed + j) % 9 == 0 else Decimal(1)}
    if c.rule_type in (RuleType.THRESHOLDS, RuleType.PROPORTIONAL):
        return {"declared_value": Decimal(100 - ((seed * 3 + j) % 4) * 5)}
    if c.rule_type == RuleType.DEDUCTION:
        return {"declared_value": Decimal((seed + j) % 3)}
    return {"self_score": m - deficit}


def score_commune(framework, unit: OrgUnit, position: int) -> Assessment:
    assessment = services.start_assessment(ACTOR_UNIT, framework, unit)
    seed = _seed(position)
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion", "assessment__unit")}
    leaves = list(framework.criteria.filter(is_leaf=True).order_by("position"))
    context = selectors.value_context(framework)
    for j, c in enumerate(leaves):
        score = scores[c.code]
        changes = _plan(seed, j, c)
        if c.indicator and context.value(unit.pk, c.indicator).value is None:
            m = c.max_points
            k = ((seed + 1) * (j + 3)) % 7
            changes = {
                "self_score": m - (min(m, QUARTER * k) if k < 3 else Decimal(0)),
                "explanation": "Chưa có số liệu trên hệ thống; chấm theo hồ sơ lưu tại đơn vị.",
            }
        if seed == 3 and c.code in NOT_APPLICABLE:
            changes = {"not_applicable": True, "declared_text": "Xã không có thôn, tổ dân phố phải sắp xếp."}
        changes = {k: v for k, v in changes.items() if v is not None}
        if c.rule_type not in (RuleType.SURVEY,) and not c.indicator:
            changes.setdefault("declared_text", f"Thực hiện năm {framework.year}")
        if changes:
            score = services.save_score(ACTOR_UNIT, score, score.version, **changes)
        if c.rule_type not in (RuleType.SURVEY,) and not c.indicator and not changes.get("not_applicable"):
            if (seed + j) % 5 == 0:
                services.save_score(
                    ACTOR_UNIT, score, score.version, explanation="Tài liệu lưu bản giấy tại Văn phòng UBND xã."
                )
            else:
                services.add_evidence(
                    ACTOR_UNIT,
                    score,
                    f"Tài liệu kiểm chứng tiêu chí {c.code}",
                    url=f"https://vanban.example.gov.vn/{unit.code}/{framework.year}/{c.code}",
                )
    services.submit(ACTOR_UNIT, assessment)
    # Appraisal: the reviewer takes a quarter point where the evidence is thin, and confirms the rest.
    sheet = selectors.build_sheet(assessment)
    for j, line in enumerate(ln for ln in sheet.lines if ln.criterion.is_leaf and not ln.not_applicable):
        score = line.score
        self_points = line.self_points or Decimal(0)
        if (seed + j) % 11 == 0 and self_points >= QUARTER and line.criterion.rule_type == RuleType.MANUAL:
            services.save_score(
                ACTOR_REVIEWER,
                score,
                score.version,
                appraised_score=self_points - QUARTER,
                comment="Tài liệu kiểm chứng chưa đầy đủ, chưa chứng minh được kết quả.",
            )
    services.finalise(ACTOR_REVIEWER, assessment, accept_self_for_rest=True)
    return assessment


def run(out: Callable[[str], None]) -> None:
    framework, result = load_framework_file(DEMO_FRAMEWORK_FILE, "cchc demo")
    out(f"Bộ tiêu chí {framework.code}: {result.summary()}")
    scored = 0
    for position, unit in enumerate(demo_communes()):
        existing = Assessment.objects.filter(framework=framework, unit=unit).first()
        if existing is not None and existing.status == Status.FINALISED:
            continue
        if existing is not None:  # an interrupted run: start this unit again from a clean slate
            existing.delete()
        score_commune(framework, unit, position)
        scored += 1
    total = framework.assessments.filter(status=Status.FINALISED).count()
    out(f"Chỉ số CCHC {framework.year}: chấm mới {scored} xã; {total} xã có kết quả chính thức.")
    planned = remediate(framework)
    out(f"Kế hoạch khắc phục: {planned} xã lập mới (mỗi tiêu chí bị mất điểm là một nhiệm vụ trong Kế hoạch CCHC).")


PLAN_DAY, REPORT_DAY = date(2024, 3, 5), date(2024, 11, 25)
DONE_ACTIONS = [
    (
        "Đã ban hành văn bản chỉ đạo, phân công công chức theo dõi; thực hiện đúng yêu cầu của tiêu chí "
        "từ quý II/2024.",
        "Văn bản chỉ đạo và sổ theo dõi lưu tại Văn phòng UBND xã",
    ),
    (
        "Đã rà soát, bổ sung đầy đủ hồ sơ còn thiếu; lưu tài liệu kiểm chứng theo từng tiêu chí.",
        "Hồ sơ tài liệu kiểm chứng năm 2024 (bản điện tử trên phần mềm)",
    ),
]


def remediate(framework) -> int:
    """Every finalised commune draws up its remediation plan (issued 05/03/2024) and, by 25/11/2024, has done
    part of it: a deterministic mix of done (with what was done and the evidence), in progress and not
    started rows, so the report shows each state."""
    made = 0
    for position, a in enumerate(
        framework.assessments.filter(status=Status.FINALISED).select_related("unit").order_by("unit__code")
    ):
        if hasattr(a, "remediation_plan"):
            continue
        plan = services.ensure_plan(ACTOR_UNIT, a)
        services.update_plan(ACTOR_UNIT, plan, issued_on=PLAN_DAY, report_on=REPORT_DAY)
        services.issue_plan_number(ACTOR_UNIT, plan, "KH")
        services.issue_plan_number(ACTOR_UNIT, plan, "BC")
        for j, task in enumerate(plan.tasks.select_related("criterion", "plan__assessment__unit")):
            turn = (position + j) % 3
            if turn == 0:
                action, evidence = DONE_ACTIONS[j % len(DONE_ACTIONS)]
                services.update_task(
                    ACTOR_UNIT,
                    task,
                    task.version,
                    status="done",
                    action_taken=action,
                    result_evidence=evidence,
                    completed_on=date(2024, 6 + j % 4, 10 + j % 15),
                )
            elif turn == 1:
                services.update_task(
                    ACTOR_UNIT,
                    task,
                    task.version,
                    status="doing",
                    progress=50,
                    action_taken="Đang triển khai theo kế hoạch.",
                )
        made += 1
    return made
