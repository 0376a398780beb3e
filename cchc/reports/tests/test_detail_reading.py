"""The report page reads its period once (issue #19, the officer's report page of the province load test):
the draft's figures, their readable sources and the trend's own period come from one reading of the indicator
store, and every figure, source and chart equals what reading each part on its own gives."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.dossiers.demo import PROCEDURES_FILE
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.services import import_procedures
from cchc.dossiers.tests.test_import import to_csv
from cchc.reports import provenance, selectors, views
from cchc.reports.models import Report

from .conftest import SON_TAY

ACTOR = SystemActor("test")
# The page's queries: 69 with one reading of the period; reading the figures, their sources and each trend
# period apart took 112 on the same data.
MAX_QUERIES = 75


def _dossiers() -> None:
    """Xã Sơn Tây's dossiers of 2021: resolved early, late, and one still pending, over several quarters."""
    rows = [
        [f"ST-{i}", SON_TAY, "1.004873", "", "", "", channel, "", rec, due, ret, "", ""]
        for i, (channel, rec, due, ret) in enumerate(
            [("truc_tiep", "05/01/2021", "08/01/2021", "07/01/2021")] * 5
            + [("truc_tuyen", "06/04/2021", "09/04/2021", "14/04/2021")] * 3
            + [("truc_tiep", "07/07/2021", "12/07/2021", "")] * 2
        )
    ]
    import_procedures(PROCEDURES_FILE, actor=ACTOR)
    import_dossiers("st.csv", actor=ACTOR, content=to_csv(rows))


def test_the_report_page_reads_its_period_once_and_shows_the_same_figures(client, demo_values, make_user):
    _dossiers()
    officer = make_user("xa-son-tay", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    client.force_login(officer)
    client.post(reverse("reports:create"), {"don-vi": SON_TAY, "ky": "2021-NAM"})
    report = Report.objects.get()
    assert report.is_editable

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200

    # Each part on its own reading, as the page read them before.
    rows, by_unit = selectors.report_rows(report)
    alone = selectors.appendix_rows(provenance.readable_rows(report, rows))
    shown = page.context["appendix"]
    assert [(r["stt"], r["value"], r["note"]) for r in shown] == [(r["stt"], r["value"], r["note"]) for r in alone]
    assert [r["row"] for r in shown] == [r["row"] for r in alone]  # values, displays and sources
    received = next(r for r in shown if r["code"] == "dossiers.commune.received")
    assert received["value"] == "10"
    assert page.context["charts"] == views._charts(report, by_unit, None)  # the trend read period by period
    trend = selectors.trend(report.unit, 2021, until=report.period.end)
    assert trend["received"][-1] == 10 and len(trend["labels"]) == 4
    assert len(queries) <= MAX_QUERIES, len(queries)
