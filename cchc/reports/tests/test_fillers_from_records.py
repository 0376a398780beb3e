"""A new report lists the period's directive documents and plan tasks, from their registers."""

from datetime import date

from cchc.directives.models import DirectiveDocument
from cchc.indicators.periods import get_period
from cchc.plans.models import Plan, PlanTask, TaskStatus
from cchc.reports.fillers import fill_lines

SON_TAY = "000.16.21.H42"


def test_directives_and_tasks_of_the_period_fill_the_report(demo_org):
    unit = demo_org[SON_TAY]
    DirectiveDocument.objects.create(
        unit=unit,
        symbol="140/QĐ-UBND",
        number=140,
        type_code="QĐ",
        body="UBND",
        issued_on=date(2021, 8, 28),
        summary="Về kiện toàn Bộ phận Một cửa.",
    )
    DirectiveDocument.objects.create(
        unit=unit,
        symbol="12/KH-UBND",
        number=12,
        type_code="KH",
        body="UBND",
        issued_on=date(2021, 1, 25),
        summary="Tuyên truyền CCHC năm 2021",
    )
    DirectiveDocument.objects.create(
        unit=unit,
        symbol="3/KH-UBND",
        number=3,
        type_code="KH",
        body="UBND",
        issued_on=date(2020, 1, 5),
        summary="Ngoài kỳ",
    )
    plan = Plan.objects.create(unit=unit, year=2021, symbol="04/KH-UBND", title="CCHC năm 2021")
    PlanTask.objects.create(
        plan=plan,
        code="1.1",
        area="chi_dao",
        title="Ban hành kế hoạch CCHC",
        deadline=date(2021, 1, 31),
        status=TaskStatus.DONE,
        completed_on=date(2021, 1, 12),
    )
    PlanTask.objects.create(plan=plan, code="1.2", area="chi_dao", title="Kiểm tra CCHC", deadline=date(2021, 11, 30))
    year = get_period("2021-NAM")
    assert fill_lines(["directives.issued"], unit, year) == [
        "Kế hoạch số 12/KH-UBND ngày 25/01/2021 tuyên truyền CCHC năm 2021",
        "Quyết định số 140/QĐ-UBND ngày 28/08/2021 về kiện toàn Bộ phận Một cửa",
    ]
    assert fill_lines(["plans.tasks"], unit, year) == [
        "1.1. Ban hành kế hoạch CCHC — đã hoàn thành ngày 12/01/2021",
        "1.2. Kiểm tra CCHC — chưa hoàn thành (hạn 30/11/2021)",
    ]
    assert fill_lines(["plans.tasks"], unit, get_period("2021-Q3")) == []
