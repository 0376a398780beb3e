"""Done-when of issue 12: the demo district's own figures, imported with `cchc indicators import`, show in its
report with provenance "nhập từ tệp" and the importer's name; Sơn Tây's own figures do not change."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.accounts.models import Role
from cchc.indicators.demo import enter_demo_values
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import value_of, values_for
from cchc.reports.selectors import appendix_rows, live_rows

DISTRICT = "000.00.21.H42"
SON_TAY = "000.16.21.H42"
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "so_lieu_huyen_huong_son_2021.csv"


def test_district_own_figures_from_the_example_file(demo_org, make_user, computed, capsys):
    enter_demo_values(lambda text: None)
    # Sơn Tây keeps its plan in the product: 28 tasks; the district keeps none (its own line is missing).
    computed("plans.tasks_planned", lambda units, span: 28 if any(u.code == SON_TAY for u in units) else None)
    before_son_tay = {v.code: (v.value, v.source) for v in values_for(SON_TAY, "2021-NAM")}
    assert value_of(DISTRICT, "2021-NAM", "plan.tasks_planned").value is None
    area_before = value_of(DISTRICT, "2021-NAM", "dossiers.commune.received").value
    # The district ended on 30/6/2025: its reviewer may no longer write (every row is refused, nothing saved);
    # the province's system administrator imports its history.
    make_user("huyen", Role.DISTRICT_REVIEWER, demo_org[DISTRICT])
    with pytest.raises(CommandError):
        call_command("indicators", "import", str(EXAMPLE), "--user", "huyen")
    assert "Dòng 2, cột “don_vi”" in capsys.readouterr().err
    make_user("quantri", Role.SYSTEM_ADMIN, demo_org["000.00.00.H42"], full_name="Nguyễn Quản Trị")
    call_command("indicators", "import", str(EXAMPLE), "--user", "quantri")
    assert "thêm mới 23" in capsys.readouterr().out
    planned = value_of(DISTRICT, "2021-NAM", "plan.tasks_planned")
    assert planned.value == 32
    assert planned.source_text.startswith("Nhập từ tệp so_lieu_huyen_huong_son_2021.csv: Nguyễn Quản Trị")
    rows = live_rows(demo_org[DISTRICT], get_period("2021-NAM"))
    printed = {r["code"]: r for r in appendix_rows(rows) if r["code"]}
    assert printed["plan.tasks_planned"]["value"] == "32" and printed["inspection.departments"]["value"] == "5"
    assert rows["dossiers.district.on_time_rate"].display == "96,58%"
    assert rows["dossiers.district.on_time_received_rate"].display == "96,58%"
    assert rows["budget.revenue_rate"].display == "105,06%" and rows["investment.disbursement_rate"].display == "84,20%"
    assert rows["training.sessions"].value == 8  # the sum of the kinds entered
    # the area lines are as before; Sơn Tây's own figures did not change
    assert value_of(DISTRICT, "2021-NAM", "dossiers.commune.received").value == area_before
    assert {v.code: (v.value, v.source) for v in values_for(SON_TAY, "2021-NAM")} == before_son_tay
    assert before_son_tay["plan.tasks_planned"] == (28, "computed")
    # importing the same file again changes nothing
    call_command("indicators", "import", str(EXAMPLE), "--user", "quantri")
    assert "không đổi 23" in capsys.readouterr().out
