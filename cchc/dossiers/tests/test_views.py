"""The screens answer, in Vietnamese, within scope."""

from html.parser import HTMLParser

import pytest
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.test_import import rows_1000, to_csv

pytestmark = pytest.mark.django_db


def test_pages_render_for_the_clerk(catalogue, clerk, client):
    import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows_1000()))
    client.force_login(clerk)
    own = Dossier.objects.filter(unit__code="000.16.21.H42").first()
    for url in [
        "/ho-so/",
        "/ho-so/?tre=tre",
        "/ho-so/tre-han-chua-xin-loi/",
        "/ho-so/tiep-nhan/",
        "/ho-so/thu-tuc/",
        "/ho-so/thu-tuc/?q=khai+sinh",
        f"/ho-so/{own.pk}/",
        "/ho-so/nap/",
        "/ho-so/thong-ke/?don_vi=000.16.21.H42&tu=01/01/2024&den=31/12/2024",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/ho-so/tiep-nhan/thu-tuc/?q=khai sinh").content.decode()
    assert "Thủ tục đăng ký khai sinh" in page
    data = client.get("/ho-so/thong-ke.json?don_vi=000.16.21.H42&tu=2024-01-01&den=2024-12-31").json()
    assert data["received"] == 333 and data["unit"] == "000.16.21.H42"


def test_intake_form_receives_a_dossier(catalogue, clerk, client):
    client.force_login(clerk)
    proc = catalogue["1.004873"]
    response = client.post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": proc.pk,
            "channel": "truc_tiep",
            "applicant_name": "Lê Văn Cường",
            "sets": 1,
            f"giay_{proc.papers.first().pk}": "1",
        },
    )
    d = Dossier.objects.get()
    assert response.status_code == 302 and d.unit.code == "000.16.21.H42"
    assert d.code.startswith("000.16.21.H42-") and d.papers.count() == 1 and d.due_on > d.received_on
    assert d.received_on == timezone.localdate() and d.events.get().user == clerk
    # The clerk sees the lookup key the receipt carries, to hand it to the applicant only.
    assert len(d.lookup_key) == 6 and d.lookup_key in client.get(f"/ho-so/{d.pk}/").content.decode()


# ---- statistics charts -------------------------------------------------------------------------------------
PHO_CHAU, SON_NINH = "000.11.21.H42", "000.12.21.H42"
CHART_ROWS = [
    # code, unit, procedure, channel, received, due, returned
    ("PC-1", PHO_CHAU, "1.004873", "truc_tiep", "06/01/2025", "09/01/2025", "08/01/2025"),  # early
    ("PC-2", PHO_CHAU, "1.004873", "truc_tuyen", "06/01/2025", "09/01/2025", "07/01/2025"),  # early
    ("PC-3", PHO_CHAU, "2.001035", "truc_tiep", "06/01/2025", "09/01/2025", "09/01/2025"),  # on time
    ("PC-4", PHO_CHAU, "1.004873", "truc_tiep", "06/01/2025", "09/01/2025", "15/01/2025"),  # late
    ("PC-5", PHO_CHAU, "1.004873", "truc_tiep", "28/03/2025", "02/04/2025", ""),  # pending within deadline
    ("PC-6", PHO_CHAU, "1.004873", "truc_tuyen", "10/03/2025", "13/03/2025", ""),  # pending overdue
    *[(f"SN-{i}", SON_NINH, "1.004873", "truc_tiep", "03/02/2025", "06/02/2025", "06/02/2025") for i in range(31)],
    ("SN-31", SON_NINH, "1.004873", "truc_tiep", "03/02/2025", "06/02/2025", "10/02/2025"),  # late
]


class _Charts(HTMLParser):
    """aria-labels of the role="img" bars, and the written values, per chart (figure id)."""

    def __init__(self):
        super().__init__()
        self.figure, self.in_value = None, False
        self.labels: dict[str, list[str]] = {}
        self.values: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.figure = a.get("id")
        elif self.figure and a.get("role") == "img":
            self.labels.setdefault(self.figure, []).append(a["aria-label"])
        self.in_value = self.figure is not None and a.get("class") == "chart-value"

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figure = None
        self.in_value = False

    def handle_data(self, data):
        if self.in_value:
            self.values.setdefault(self.figure, []).append(data.strip())


def _bar(name, total, *parts):
    labels = ("trước hạn", "đúng hạn", "quá hạn")
    resolved = [f"giải quyết {lab} {n} ({share})" for lab, (n, share) in zip(labels, parts[:3], strict=True)]
    pending = [
        f"đang giải quyết {lab} {n} ({share})"
        for lab, (n, share) in zip(("trong hạn", "quá hạn"), parts[3:], strict=True)
    ]
    return f"{name}: {total} hồ sơ, " + ", ".join(resolved + pending)


def test_stats_page_draws_the_charts_with_the_tables_figures(catalogue, demo_org, make_user, client):
    content = to_csv([[c, u, p, "", "", "", ch, "", r, d, ret, "", ""] for c, u, p, ch, r, d, ret in CHART_ROWS])
    import_dossiers("bieu-do.csv", actor=SystemActor("test"), content=content)
    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]))
    page = client.get("/ho-so/thong-ke/?don_vi=000.00.21.H42&tu=01/01/2025&den=31/03/2025&cap_duoi=1")
    assert page.status_code == 200
    html = page.content.decode()
    charts = _Charts()
    charts.feed(html)

    # (b) on-time rate per unit, written the Vietnamese way; 31/32 = 96,875 rounds half up to 96,88%.
    assert charts.labels["chart-rate"] == [
        "Thị trấn Phố Châu: tỷ lệ giải quyết đúng hạn 75,00% (3 trên 4 hồ sơ đã giải quyết)",
        "Xã Sơn Ninh: tỷ lệ giải quyết đúng hạn 96,88% (31 trên 32 hồ sơ đã giải quyết)",
    ]
    assert charts.values["chart-rate"] == ["75,00%", "96,88%"]
    assert 'style="width: 96.88%"' in html  # a CSS length keeps its decimal point
    # The same figure in the table (the text alternative of every bar).
    assert html.count("96,88%") >= 3

    # (a) resolved early / on time / late, pending within deadline / overdue: one bar per unit, field, channel.
    q = "16,67%"
    assert charts.labels["chart-unit"] == [
        _bar("Thị trấn Phố Châu", 6, (2, "33,33%"), (1, q), (1, q), (1, q), (1, q)),
        _bar("Xã Sơn Ninh", 32, (0, "0,00%"), (31, "96,88%"), (1, "3,13%"), (0, "0,00%"), (0, "0,00%")),
    ]
    assert charts.values["chart-unit"] == ["6", "32"]
    assert charts.labels["chart-field"] == [
        _bar("Chứng thực", 1, (0, "0,00%"), (1, "100,00%"), (0, "0,00%"), (0, "0,00%"), (0, "0,00%")),
        _bar("Hộ tịch", 37, (2, "5,41%"), (31, "83,78%"), (2, "5,41%"), (1, "2,70%"), (1, "2,70%")),
    ]
    assert charts.labels["chart-channel"] == [
        _bar("Trực tiếp", 36, (1, "2,78%"), (32, "88,89%"), (2, "5,56%"), (1, "2,78%"), (0, "0,00%")),
        _bar("Trực tuyến", 2, (1, "50,00%"), (0, "0,00%"), (0, "0,00%"), (0, "0,00%"), (1, "50,00%")),
    ]
    # Only the segments that hold dossiers are drawn; each says what it is when hovered.
    assert 'title="Giải quyết trước hạn: 2 (33,33%)"' in html and 'style="width: 33.33%"' in html
    assert 'title="Đang giải quyết quá hạn: 0' not in html
    assert "dossiers/dossiers.css" in html  # colours and the print rules


def test_stats_page_without_resolved_dossiers_says_so(catalogue, clerk, client):
    client.force_login(clerk)
    empty = client.get("/ho-so/thong-ke/?don_vi=000.16.21.H42&tu=01/08/2025&den=31/08/2025").content.decode()
    assert 'id="chart-rate"' not in empty and 'id="chart-unit"' not in empty  # no rows, no charts
    row = ["ST-1", "000.16.21.H42", "1.004873", "", "", "", "truc_tiep", "", "04/08/2025", "07/08/2025", "", "", ""]
    import_dossiers("mot.csv", actor=SystemActor("test"), content=to_csv([row]))
    charts = _Charts()
    charts.feed(client.get("/ho-so/thong-ke/?don_vi=000.16.21.H42&tu=01/08/2025&den=31/08/2025").content.decode())
    assert charts.labels["chart-rate"] == [
        "Xã Sơn Tây: tỷ lệ giải quyết đúng hạn — (chưa có hồ sơ giải quyết trong kỳ)"
    ]
    assert charts.values["chart-rate"] == ["—"]
    assert charts.labels["chart-unit"] == [
        _bar("Xã Sơn Tây", 1, (0, "0,00%"), (0, "0,00%"), (0, "0,00%"), (0, "0,00%"), (1, "100,00%"))
    ]
