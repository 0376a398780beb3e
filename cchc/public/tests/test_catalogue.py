"""The public procedure catalogue of a unit: search without diacritics or with a slip, the procedure page."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.dossiers.models import Field, Procedure, ProcedurePaper
from cchc.dossiers.selectors import find_procedures, procedures_of_unit
from cchc.public.tests.conftest import DEMO_COMMUNE

pytestmark = pytest.mark.django_db

URL = f"/cong-khai/{DEMO_COMMUNE}/thu-tuc/"
BIRTH = "Thủ tục đăng ký khai sinh"


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("q", ["dang ky khai sinh", "đăng kí khai sinh", "dang ky khai snh", "kahi sinh", "1.001193"])
def test_search_without_diacritics_or_with_a_slip(client, desk, catalogue, q):
    page = listed(client.get(URL, {"q": q}))
    assert BIRTH in page
    assert "Thủ tục đăng ký kết hôn" not in page
    assert "Không tìm thấy" not in page


def test_search_ranks_the_closest_first(desk, catalogue):
    today = timezone.localdate()
    found = find_procedures("dang ky khai sinh", today, among=procedures_of_unit(desk.unit, today))
    assert [p.name for p in found] == [BIRTH, "Thủ tục đăng ký lại khai sinh"]


def test_chung_thuc_finds_the_certifications(client, desk, catalogue):
    page = listed(client.get(URL, {"q": "chung thuc"}))
    assert "Thủ tục chứng thực bản sao từ bản chính giấy tờ văn bản" in page
    assert "Tìm thấy <strong>5</strong> thủ tục" in page
    assert BIRTH not in page


def test_no_result_suggests_checking_the_spelling(client, desk, catalogue):
    page = listed(client.get(URL, {"q": "cap ho chieu"}))
    assert "Không tìm thấy thủ tục nào khớp “cap ho chieu”" in page
    assert "kiểm tra lại chính tả" in page


def test_catalogue_is_grouped_by_field_with_counts(client, desk, catalogue):
    page = listed(client.get(URL))
    assert "30 thủ tục" in page
    # Hộ tịch has 10 procedures in the demo catalogue, Chứng thực 5.
    assert 'Hộ tịch <span class="cat-n">(10 thủ tục)</span>' in page
    assert 'Chứng thực <span class="cat-n">(5 thủ tục)</span>' in page
    assert page.index("Chứng thực <span") < page.index("Hộ tịch <span")  # fields by name
    assert "Trực tuyến toàn trình" in page and "Trực tuyến một phần" in page
    assert "Trong ngày (nhận trước 15:00)" in page  # the processing time, as Procedure.time_label says it
    assert 'name="q"' in page and 'method="get"' in page  # the search works without JavaScript


def test_htmx_gets_the_list_only(client, desk, catalogue):
    response = client.get(URL, {"q": "khai sinh"}, headers={"HX-Request": "true"})
    page = listed(response)
    assert BIRTH in page and "<html" not in page
    assert "HX-Request" in response["Vary"]
    # Going back in history to a page htmx has not cached asks for the whole page.
    restore = client.get(URL, {"q": "khai sinh"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in listed(restore)


def test_only_procedures_of_the_units_level_in_force(client, desk, catalogue):
    field = Field.objects.get(code="HT")
    Procedure.objects.create(code="9.000001", name="Thủ tục cấp tỉnh khai sinh", field=field, level="tinh")
    Procedure.objects.create(
        code="9.000002", name="Thủ tục khai sinh đã bãi bỏ", field=field, level="xa", valid_to=date(2020, 1, 1)
    )
    page = listed(client.get(URL, {"q": "khai sinh"}))
    assert "cấp tỉnh khai sinh" not in page and "đã bãi bỏ" not in page
    assert client.get(f"{URL}9.000001/").status_code == 404
    assert client.get(f"{URL}9.000002/").status_code == 404
    assert client.get(f"{URL}khong-co/").status_code == 404


def test_procedure_page_has_everything_a_citizen_needs(client, desk, catalogue):
    page = listed(client.get(f"{URL}1.001193/"))
    assert f"<h1>{BIRTH}</h1>" in page
    # Papers: a numbered checklist, with kind and number of copies.
    assert '<ol class="cat-papers">' in page
    assert "Tờ khai đăng ký khai sinh" in page and "Giấy chứng sinh" in page
    assert "Bản chính · Số lượng: 1" in page
    assert page.index("Tờ khai đăng ký khai sinh") < page.index("Giấy chứng sinh")
    assert "Trong ngày (nhận trước 15:00)" in page
    assert "Miễn lệ phí đăng ký khai sinh đúng hạn" in page
    assert "Toàn trình" in page
    # Where to submit: the desk.
    assert "Bộ phận Một cửa UBND xã Sơn Tây" in page and "Trụ sở UBND xã Sơn Tây, tỉnh Hà Tĩnh" in page
    assert 'href="tel:02393870001"' in page and "7h30 - 17h00" in page
    # Legal basis, one document a line.
    assert "<li>Luật Hộ tịch 2014</li>" in page and "<li>Nghị định 123/2015/NĐ-CP</li>" in page


def test_procedure_page_papers_are_the_counters_checklist(client, desk, catalogue):
    """The public list and the intake form's checklist both read ProcedurePaper in its order."""
    proc = catalogue["2.000815"]
    papers = list(ProcedurePaper.objects.filter(procedure=proc).order_by("position"))
    page = listed(client.get(f"{URL}{proc.code}/"))
    positions = [page.index(p.name) for p in papers]
    assert positions == sorted(positions) and len(papers) >= 1


def test_procedure_page_is_printable(client, desk, catalogue):
    page = listed(client.get(f"{URL}1.001193/"))
    assert "/static/public/catalogue.css" in page
    assert "In trang này" in page and "data-print" in page  # app.js prints it (no inline script: CSP)
    css = Path(finders.find("public/catalogue.css")).read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css and ".cat-search" in css


def test_back_link_keeps_the_search(client, desk, catalogue):
    page = listed(client.get(f"{URL}1.001193/", {"q": "khai sinh"}))
    assert f'href="{URL}?q=khai%20sinh"' in page


def test_unpublished_unit_has_no_catalogue(client, desk, catalogue):
    desk.published = False
    desk.save()
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}1.001193/").status_code == 404


def test_the_counter_search_is_as_tolerant(client, demo_org, make_user, catalogue):
    """The clerk's search at the intake form uses the same matcher as the public catalogue."""
    client.force_login(make_user("motcua", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"]))
    page = listed(client.get("/ho-so/tiep-nhan/thu-tuc/", {"q": "dang ki khai snh"}, headers={"HX-Request": "true"}))
    assert page.index("Thủ tục đăng ký khai sinh") < page.index("Thủ tục đăng ký lại khai sinh")
    assert "kết hôn" not in page
