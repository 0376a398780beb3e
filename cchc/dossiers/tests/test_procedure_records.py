"""The procedure catalogue's QĐ 766 columns: optional in the import (a file without them leaves the values
alone), Vietnamese dates and có/không, re-import idempotent; editable on the procedure page."""

from datetime import date

import pytest

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.dossiers.models import Procedure
from cchc.dossiers.services import import_procedures

pytestmark = pytest.mark.django_db
BASE = "ma_thu_tuc,ten_thu_tuc,ma_linh_vuc,ten_linh_vuc,thoi_han,phi_le_phi"
ROW = "1.004884,Thủ tục đăng ký lại khai sinh,HT,Hộ tịch,5,5.000 đồng"
NEW = ",".join(
    (
        "quyet_dinh_cong_bo",
        "ngay_cong_bo",
        "ngay_hieu_luc_van_ban",
        "ngay_cong_khai",
        "cong_khai_du",
        "co_phi",
        "thanh_toan_truc_tuyen",
        "du_lieu_dan_cu",
    )
)


def _import(text: str):
    return import_procedures("tt.csv", actor=SystemActor("test"), content=text.encode("utf-8"))


def test_import_with_the_new_columns_then_without_them():
    result = _import(f"{BASE},{NEW}\n{ROW},1120/QĐ-UBND,20/06/2025,01/07/2025,24/06/2025,có,Có,không,\n")
    assert result.created == 1
    p = Procedure.objects.get()
    assert (p.announced_in, p.announced_on, p.basis_effective_on, p.published_on) == (
        "1120/QĐ-UBND",
        date(2025, 6, 20),
        date(2025, 7, 1),
        date(2025, 6, 24),
    )
    # Empty is "not known" (NULL), never "không".
    assert (p.published_complete, p.has_fee, p.online_payment, p.population_data_linked) == (True, True, False, None)
    again = _import(f"{BASE},{NEW}\n{ROW},1120/QĐ-UBND,20/06/2025,01/07/2025,24/06/2025,có,Có,không,\n")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # An older file without the columns imports and leaves what is known as it is.
    older = _import(f"{BASE}\n{ROW}\n")
    assert (older.updated, older.unchanged) == (0, 1)
    p.refresh_from_db()
    assert (p.announced_on, p.has_fee, p.online_payment) == (date(2025, 6, 20), True, False)


def test_import_without_the_new_columns_knows_nothing():
    assert _import(f"{BASE}\n{ROW}\n").created == 1
    p = Procedure.objects.get()
    assert (p.announced_in, p.announced_on, p.published_on, p.has_fee, p.online_payment) == ("", None, None, None, None)


def test_bad_values_are_refused_by_row_and_column():
    text = f"{BASE},{NEW}\n{ROW},1/QĐ,31/02/2025,01/07/2025,10/06/2025,hơi hơi,có,có,có\n"
    with pytest.raises(ImportRejected) as exc:
        _import(text)
    found = {(e.row, e.field, e.message) for e in exc.value.errors}
    assert (2, "ngay_cong_bo", "Ngày “31/02/2025” không tồn tại.") in found
    message = "Phải ghi “có” hoặc “không” (có/không, x, 1/0, đúng/sai, true/false; để trống nếu chưa rõ)."
    assert (2, "cong_khai_du", message) in found
    assert not Procedure.objects.exists()
    text = f"{BASE},{NEW}\n{ROW},1/QĐ,20/06/2025,01/07/2025,10/06/2025,có,có,có,có\n"
    with pytest.raises(ImportRejected) as exc:
        _import(text)
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("ngay_cong_khai", "Ngày công khai trước ngày quyết định công bố.")
    ]


def test_demo_catalogue_carries_the_new_fields(catalogue):
    p = catalogue["2.001824"]  # hộ kinh doanh: announced late, published late, with a fee paid online
    assert (p.announced_on, p.basis_effective_on, p.published_on) == (
        date(2026, 11, 12),
        date(2026, 11, 15),
        date(2026, 11, 25),
    )
    assert (p.has_fee, p.online_payment) == (True, True)
    assert catalogue["1.000894"].has_fee is False and catalogue["1.000894"].online_payment is None


def test_procedure_page_edits_the_new_fields(client, make_user, demo_org, catalogue):
    from cchc.accounts.models import Role

    client.force_login(make_user("quantri", Role.SYSTEM_ADMIN))
    p = catalogue["1.004884"]
    url = f"/ho-so/thu-tuc/{p.pk}/sua/"
    page = client.get(url).content.decode()
    assert "ngày quyết định công bố" in page.lower() and '<option value="unknown"' in page
    form = {
        "code": p.code,
        "name": p.name,
        "field": p.field_id,
        "level": p.level,
        "time_unit": p.time_unit,
        "time_value": p.time_value,
        "fee": p.fee,
        "online_form": p.online_form,
        "announced_in": "99/QĐ-UBND",
        "announced_on": "02/12/2026",
        "published_on": "01/12/2026",
        "has_fee": "true",
        "online_payment": "unknown",
        "published_complete": "false",
        "population_data_linked": "unknown",
    }
    page = client.post(url, form).content.decode()
    assert "Ngày công khai trước ngày quyết định công bố." in page
    form["published_on"] = "04/12/2026"
    assert client.post(url, form).status_code == 302
    p.refresh_from_db()
    assert (p.announced_in, p.announced_on, p.published_on) == ("99/QĐ-UBND", date(2026, 12, 2), date(2026, 12, 4))
    assert (p.has_fee, p.online_payment, p.published_complete, p.population_data_linked) == (True, None, False, None)
    listing = client.get("/ho-so/thu-tuc/?q=1.004884").content.decode()
    assert "QĐ 99/QĐ-UBND ngày 02/12/2026" in listing and "công khai 04/12/2026, chưa đủ nội dung" in listing
