"""The dossier list: search without diacritics or by ID number, page links that keep the filters, a count;
the same folding in the feedback search."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.core.templatetags.paging import page_numbers
from cchc.dossiers.services import Applicant, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
COMMUNE = "000.16.21.H42"


@pytest.fixture
def many(catalogue, clerk, demo_org):
    proc = catalogue["1.004873"]
    made = [
        receive(
            clerk,
            unit=demo_org[COMMUNE],
            procedure=proc,
            received_at=datetime(2026, 3, 2 + i % 20, 9, tzinfo=VN),
            applicant=Applicant(f"Trần Thị Số {i}"),
        )
        for i in range(120)
    ]
    thu = receive(
        clerk,
        unit=demo_org[COMMUNE],
        procedure=proc,
        received_at=datetime(2026, 3, 5, 10, tzinfo=VN),
        applicant=Applicant("Nguyễn Văn Thu", "042090001234"),
    )
    return made, thu


@pytest.mark.parametrize("typed", ["Nguyen Van Thu", "nguyễn thu", "NGUYEN   VAN", "042090001234", "0420900"])
def test_search_without_diacritics_or_by_id_number(client, clerk, many, typed):
    _, thu = many
    client.force_login(clerk)
    page = client.get("/ho-so/", {"q": typed}).content.decode()
    assert thu.code in page and 'id="dossier-count">1 hồ sơ<' in page


def test_search_by_part_of_the_code(client, clerk, many):
    _, thu = many
    client.force_login(clerk)
    page = client.get("/ho-so/", {"q": thu.code[-9:]}).content.decode()
    assert thu.code in page


def test_pages_keep_the_filters_and_are_numbered(client, clerk, many):
    client.force_login(clerk)
    html = client.get("/ho-so/", {"q": "tran thi", "trang": "2"}).content.decode()
    assert "51–100 trong 120 hồ sơ" in html
    links = re.findall(r'<a href="\?([^"]+)"', html.split('class="pager"')[1].split("</nav>")[0])
    assert links and all(link.count("trang=") == 1 and "q=tran+thi" in link for link in links)
    assert '<strong aria-current="page">2</strong>' in html and "trang=3" in links[-1]
    # Following a link keeps one page parameter, however often it is followed.
    again = client.get("/ho-so/?" + links[-1].replace("&amp;", "&")).content.decode()
    assert "101–120 trong 120 hồ sơ" in again


def test_page_numbers_window():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert page_numbers(2, 5) == [1, 2, 3, 4, 5]


def test_feedback_search_folds(demo_org, make_user):
    from cchc.feedback import selectors, services

    officer = make_user("canbo.fb", "commune_officer", demo_org[COMMUNE])
    services.save_item(
        officer,
        demo_org[COMMUNE],
        services.FeedbackData(date(2026, 3, 2), "truc_tiep", "Nguyễn Văn Thu", "Đường liên thôn xuống cấp"),
        today=date(2026, 3, 3),
    )
    assert selectors.items_for(officer, q="nguyen van thu").count() == 1
    assert selectors.items_for(officer, q="duong lien thon").count() == 1
    assert selectors.items_for(officer, q="cau treo").count() == 0
