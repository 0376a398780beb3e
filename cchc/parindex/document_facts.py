"""The facts both remediation documents print (kế hoạch and báo cáo khắc phục): the unit's result and rank, the
criteria that lost points by field, and for each one the plan's task or, when there is none, the defaults.

Every figure comes from the same analysis as `cchc parindex lost-points` (``selectors``), so the tables of the
documents and the command always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from cchc.core.vnformat import format_date, format_number, format_percent
from cchc.parindex import remediation, selectors
from cchc.parindex.models import Assessment, Criterion, RemediationPlan, TaskStatus


def n(value: Decimal | None) -> str:
    """A figure as the documents print it (Vietnamese marks); nothing for no figure."""
    return "" if value is None else format_number(value)


@dataclass
class Row:
    """One remediation row as the documents print it: the plan's task, or the defaults when there is none."""

    criterion: Criterion
    responsible: str
    deadline: str
    measure: str
    note: str = ""
    status: str = TaskStatus.TODO
    status_label: str = TaskStatus.TODO.label
    action: str = ""
    evidence: str = ""
    overdue: bool = False


@dataclass
class Facts:
    """What a remediation document needs about one unit's assessment, read once (``facts_for``)."""

    assessment: Assessment
    result: selectors.Result
    groups: list[selectors.LostField]
    grand: dict[str, Decimal]
    plan: RemediationPlan | None
    rows: dict[int, Row]
    day: date

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def framework(self):
        return self.assessment.framework

    @property
    def year(self) -> int:
        return self.framework.year

    @property
    def unit_short(self) -> str:
        name = self.unit.name
        return name[0].lower() + name[1:]

    @property
    def unit_kind(self) -> str:
        """“xã”, “phường”, “thị trấn”: how the unit calls itself in its own documents."""
        return (self.unit.kind or "xã").lower()

    @property
    def lost_lines(self) -> list[selectors.LostLine]:
        return [ln for g in self.groups for ln in g.lines]

    def announcement(self) -> str:
        """“tại Quyết định số 125/QĐ-UBND ngày 20/02/2024 của Ủy ban nhân dân tỉnh Hà Tĩnh” (entered once per set)."""
        fw = self.framework
        if not fw.announced_number:
            return ""
        when = f" ngày {format_date(fw.announced_on)}" if fw.announced_on else ""
        who = f" của {fw.announced_by}" if fw.announced_by else ""
        return f" tại Quyết định số {fw.announced_number}{when}{who}"

    def rank_text(self) -> str:
        r = self.result
        if not r.rank:
            return ""
        text = f", xếp thứ {r.rank}/{r.of} toàn tỉnh"
        if r.group_rank:
            text += f", xếp thứ {r.group_rank}/{r.group_of} trong {_lower(r.group)}"
        return text

    def result_sentence(self) -> str:
        s = self.result.sheet
        band = f", xếp loại {s.band()}" if s.band() else ""
        extra = []
        if s.bonus:
            extra.append(f"điểm thưởng {n(s.bonus)}")
        if s.penalty:
            extra.append(f"điểm trừ {n(s.penalty)}")
        extra_text = f" (trong đó {', '.join(extra)})" if extra else ""
        na = ""
        if s.applicable_max != self.framework.total:
            na = f" trên tổng điểm tối đa được áp dụng {n(s.applicable_max)} điểm"
        return (
            f"tổng điểm của {self.unit_short} đạt {n(s.total)} điểm{extra_text}{na}, Chỉ số CCHC đạt "
            f"{format_percent(s.index)}{self.rank_text()}{band}"
        )

    def self_sentence(self) -> str:
        s = self.result.sheet
        if s.self_total is None:
            return ""
        return f"Điểm tự đánh giá của {self.unit_short} là {n(s.self_total)} điểm."


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def _deadline_text(deadline: date | None, text: str) -> str:
    if text and deadline:
        return f"{text}, xong trước {format_date(deadline)}"
    return text or (format_date(deadline) if deadline else "")


def _rows(
    assessment: Assessment, plan: RemediationPlan | None, lost: list[selectors.LostLine], day: date
) -> dict[int, Row]:
    """Every lost criterion gets a row: from the plan's task, or from the defaults (library and calendar)."""
    tasks = {t.criterion_id: t for t in plan.tasks.select_related("criterion")} if plan else {}
    out = {}
    for line in lost:
        c = line.criterion
        c.framework = assessment.framework
        d = remediation.defaults_for(c)
        t = tasks.get(c.pk)
        if t is None:
            out[c.pk] = Row(c, d.responsible, _deadline_text(d.deadline, d.deadline_text), d.measure)
            continue
        out[c.pk] = Row(
            c,
            t.responsible or d.responsible,
            _deadline_text(t.deadline, t.deadline_text) or _deadline_text(d.deadline, d.deadline_text),
            t.measure or d.measure,
            t.note,
            t.status,
            t.get_status_display(),
            t.action_taken,
            t.result_evidence,
            overdue=t.status != TaskStatus.DONE and t.deadline is not None and t.deadline < day,
        )
    return out


def facts_for(assessment: Assessment, day: date | None = None) -> Facts:
    result = selectors.result_of(assessment)
    groups, grand = selectors.lost_points(result.sheet)
    plan = RemediationPlan.objects.filter(assessment=assessment).first()
    day = day or timezone.localdate()
    lost = [ln for g in groups for ln in g.lines]
    return Facts(assessment, result, groups, grand, plan, _rows(assessment, plan, lost, day), day)
