"""The upload page (preview = dry run, then confirm), the export download, and the entry of a computed figure."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from cchc.accounts.models import Role
from cchc.core.models import AuditEvent
from cchc.indicators.models import IndicatorValue, Origin
from cchc.indicators.selectors import value_of
from conftest import TEST_PASSWORD

SON_TAY = "000.16.21.H42"
SON_NINH = "000.12.21.H42"
COMMUNE = "000.00.61.H42"  # Xã Hương Sơn, from 1/7/2025 (an ended district is read-only for its reviewer)


def _file(rows, name="so_lieu.csv"):
    text = "don_vi;ky;ma_chi_tieu;gia_tri;ghi_chu\n" + "\n".join(";".join(r) for r in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def district_user(demo_org, make_user, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    user = make_user("xamoi", Role.COMMUNE_OFFICER, demo_org[COMMUNE], full_name="Lê Văn Huyện")
    client.force_login(user)
    return user


def test_preview_saves_nothing_then_confirm_imports(district_user, client):
    rows = [
        [COMMUNE, "2026-6T", "dossiers.commune.received", "2.517", "một cửa tỉnh"],
        [COMMUNE, "2026-6T", "budget.revenue", "45.120,5", ""],
    ]
    preview = client.post(reverse("indicators:import"), {"tep": _file(rows)})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Xem trước — chưa lưu" in html
    assert "Kiểm tra thử (chưa lưu) so_lieu.csv: thêm mới 2" in html and "Thêm mới" in html
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="indicators.value").exists()
    token = html.split('name="ma" value="')[1].split('"')[0]
    done = client.post(reverse("indicators:import_confirm"), {"ma": token})
    assert done.status_code == 200 and "Đã nhập so_lieu.csv: thêm mới 2" in done.content.decode()
    v = value_of(COMMUNE, "2026-6T", "dossiers.commune.received")
    assert v.value == 2517 and v.source_text.startswith("Nhập từ tệp so_lieu.csv: Lê Văn Huyện")
    assert IndicatorValue.objects.get(indicator__code="budget.revenue").origin == Origin.FILE
    # the same token cannot import twice
    again = client.post(reverse("indicators:import_confirm"), {"ma": token}, follow=True)
    assert "đã hết hạn hoặc đã được nhập" in again.content.decode()
    assert IndicatorValue.objects.count() == 2


def test_bad_file_lists_every_row_and_a_foreign_token_is_refused(district_user, client):
    response = client.post(
        reverse("indicators:import"),
        {
            "tep": _file(
                [
                    [SON_NINH, "2021-NAM", "legal.issued", "1", ""],
                    [COMMUNE, "2026-NAM", "dossiers.commune.on_time_rate", "96,5", ""],
                ]
            )
        },
    )
    html = response.content.decode()
    assert response.status_code == 422 and "không có dữ liệu nào được lưu: 2 lỗi" in html
    # the check runs as a job (inline for a small file): its errors table names each row and column
    assert '<td class="num">2</td><td>don_vi</td>' in html and '<td class="num">3</td><td>ma_chi_tieu</td>' in html
    assert "Tỷ lệ không nhập: tính từ tử số và mẫu số" in html
    assert client.post(reverse("indicators:import_confirm"), {"ma": "../../etc"}).status_code == 302


def test_export_download_is_a_get_that_writes_nothing(district_user, client, demo_org):
    from cchc.indicators.services import enter_value

    enter_value(district_user, demo_org[COMMUNE], "2026-NAM", "legal.issued", 3, "=SUM(A1)")
    before = AuditEvent.objects.count()
    response = client.get(reverse("indicators:export"), {"don-vi": COMMUNE, "ky": "2026-NAM", "dinh-dang": "xlsx"})
    assert response.status_code == 200 and "so_lieu_000.00.61.H42_2026-NAM.xlsx" in response["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content)).get_sheet_by_index(0)
    assert sheet.to_python()[1] == [COMMUNE, "2026-NAM", "legal.issued", 3.0, "=SUM(A1)"]
    csv = client.get(reverse("indicators:export"), {"don-vi": COMMUNE, "ky": "2026-NAM"})
    assert csv.content.decode("utf-8-sig").splitlines()[1] == f"{COMMUNE};2026-NAM;legal.issued;3;'=SUM(A1)"
    assert AuditEvent.objects.count() == before
    # a unit outside the user's view (the province, above the commune) is 404
    assert client.get(reverse("indicators:export"), {"don-vi": "000.00.00.H42", "ky": "2026-NAM"}).status_code == 404


def test_computed_figure_has_an_entry_form_on_the_page(district_user, client):
    page = client.get(reverse("indicators:index"), {"don-vi": COMMUNE, "ky": "2026-6T"})
    html = page.content.decode()
    assert 'name="chi-tieu" value="dossiers.commune.received"' in html
    assert 'name="chi-tieu" value="dossiers.commune.resolved_early"' in html  # a part, entered
    assert 'name="chi-tieu" value="dossiers.commune.on_time_rate"' not in html  # a ratio, never
    assert "Nhập số liệu từ tệp" in html
    client.post(
        reverse("indicators:enter"),
        {"don-vi": COMMUNE, "ky": "2026-6T", "chi-tieu": "dossiers.commune.received", "so-lieu": "2.517"},
    )
    v = value_of(COMMUNE, "2026-6T", "dossiers.commune.received")
    assert v.value == 2517 and v.source_text.startswith("Nhập tay: Lê Văn Huyện")


def test_upload_in_a_real_browser(district_user, page, login, live_server, tmp_path):
    """Choose a file, read the preview table, confirm: the figures are saved, the page says so."""
    path = tmp_path / "mot_cua_6t.csv"
    path.write_text(
        "don_vi,ky,ma_chi_tieu,gia_tri,ghi_chu\n"
        f'{COMMUNE},2026-6T,dossiers.commune.received,2.517,"Theo Hệ thống một cửa, tỉnh"\n'
        f"{COMMUNE},2026-6T,steering.boards,4,\n",
        encoding="utf-8",
    )
    login("xamoi", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('indicators:import')}")
    page.set_input_files("#tep", str(path))
    page.click("text=Kiểm tra tệp")
    page.wait_for_selector("table.import-preview")
    assert page.locator("table.import-preview tbody tr").count() == 2
    assert "Xem trước — chưa lưu" in page.inner_text("h2") and not IndicatorValue.objects.exists()
    page.click("text=Xác nhận nhập 2 thay đổi")
    page.wait_for_selector("text=Đã nhập mot_cua_6t.csv")
    assert IndicatorValue.objects.get(indicator__code="steering.boards").value == 4
    note = IndicatorValue.objects.get(indicator__code="dossiers.commune.received").note
    assert note == "Theo Hệ thống một cửa, tỉnh"
