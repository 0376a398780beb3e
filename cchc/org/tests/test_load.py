"""Loading unit files: atomic, idempotent, with Vietnamese errors naming the row and field."""

from datetime import date

import pytest
from django.core.management import call_command

from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent
from cchc.org.demo import DEMO_ORG_FILE
from cchc.org.models import OrgUnit, OrgUnitParent, UnitLineage
from cchc.org.services import load_org_file

pytestmark = pytest.mark.django_db


def test_demo_file_loads_and_reloading_changes_nothing():
    first = load_org_file(DEMO_ORG_FILE)
    assert first.created == OrgUnit.objects.count() == 63
    counts = (OrgUnitParent.objects.count(), UnitLineage.objects.count(), AuditEvent.objects.count())
    again = load_org_file(DEMO_ORG_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 63)
    assert again.details == {"parent_links_changed": 0, "lineage_changed": 0}
    assert (OrgUnitParent.objects.count(), UnitLineage.objects.count(), AuditEvent.objects.count()) == counts


def test_dry_run_saves_nothing():
    result = load_org_file(DEMO_ORG_FILE, dry_run=True)
    assert result.dry_run and result.created == 63
    assert OrgUnit.objects.count() == 0


def test_a_changed_row_updates_its_unit(tmp_path):
    load_org_file(DEMO_ORG_FILE)
    changed = tmp_path / "org.yaml"
    changed.write_text(
        DEMO_ORG_FILE.read_text(encoding="utf-8").replace("name: Xã Sơn Tây", "name: Xã Sơn Tây Mới"), encoding="utf-8"
    )
    result = load_org_file(changed)
    assert (result.created, result.updated) == (0, 1)
    assert OrgUnit.objects.get(code="000.16.21.H42").name == "Xã Sơn Tây Mới"
    assert AuditEvent.objects.filter(verb="org.unit.update").count() == 1


CSV_HEADER = "ma_don_vi,ten_don_vi,loai_hinh,cap,ma_cap_tren,hieu_luc_tu,hieu_luc_den,sap_nhap_vao\n"


def test_csv_with_a_reparented_unit_and_a_merge(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(
        CSV_HEADER
        + "T1,Tỉnh A,Tỉnh,tinh,,01/01/2000,,\n"
        + "H1,Huyện B,Huyện,huyen,T1,01/01/2000,30/06/2025,\n"
        + "X1,Xã C,Xã,xa,H1,01/01/2000,30/06/2025,\n"
        + "X1,Xã C,Xã,xa,T1,01/07/2025,,\n"
        + "X2,Xã D,Xã,xa,H1,01/01/2000,30/06/2025,X1\n",
        encoding="utf-8",
    )
    result = load_org_file(path)
    assert result.created == 4
    x1 = OrgUnit.objects.get(code="X1")
    assert x1.valid_to is None and x1.parent_links.count() == 2
    lineage = UnitLineage.objects.get()
    assert (lineage.from_unit.code, lineage.to_unit.code, lineage.date) == ("X2", "X1", date(2025, 7, 1))


def test_bad_rows_are_all_reported_and_nothing_is_saved(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(
        CSV_HEADER
        + "T1,Tỉnh A,Tỉnh,tinh,,01/01/2000,,\n"
        + "X1,Xã C,Xã,xa,KHONGCO,01/01/2000,,\n"  # row 3: unknown parent
        + "X2,Xã D,Xã,cap_la,T1,01/01/2000,,\n"  # row 4: bad level
        + "X3,Xã E,Xã,xa,T1,31/02/2020,,\n"  # row 5: impossible date
        + "X4,Xã F,Xã,xa,T1,01/01/2020,01/01/2019,\n",  # row 6: ends before it starts
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        load_org_file(path)
    errors = {(e.row, e.field) for e in caught.value.errors}
    assert errors == {(3, "ma_cap_tren"), (4, "cap"), (5, "hieu_luc_tu"), (6, "hieu_luc_den")}
    messages = " ".join(str(e) for e in caught.value.errors)
    assert "Dòng 3, cột “ma_cap_tren” (giá trị “KHONGCO”): Không có đơn vị cấp trên với mã này." in messages
    assert "Ngày “31/02/2020” không tồn tại." in messages
    assert OrgUnit.objects.count() == 0


def test_a_link_outside_the_parents_life_is_refused(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(
        """
units:
  - {code: T1, name: Tỉnh A, kind: Tỉnh, level: tinh, valid_from: 2000-01-01}
  - {code: H1, name: Huyện B, kind: Huyện, level: huyen, valid_from: 2000-01-01, valid_to: 2025-06-30, parent: T1}
  - {code: X1, name: Xã C, kind: Xã, level: xa, valid_from: 2000-01-01, parent: H1}
  - {code: X2, name: Xã D, kind: Xã, level: tinh, valid_from: 2000-01-01, parent: H1}
""",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        load_org_file(path)
    messages = [e.message for e in caught.value.errors]
    assert any("không tồn tại trong suốt thời kỳ trực thuộc" in m for m in messages)
    assert any("Cấp của đơn vị cấp trên phải cao hơn" in m for m in messages)


def test_org_tree_command_prints_different_trees_across_the_reform(capsys):
    call_command("org", "load", str(DEMO_ORG_FILE))
    call_command("org", "tree", "--date", "2024-06-30")
    before = capsys.readouterr().out
    call_command("org", "tree", "--date", "2025-08-01")
    after = capsys.readouterr().out
    assert "Cơ cấu đơn vị tại ngày 30/06/2024" in before
    assert "  Huyện Hương Sơn\n    Thị trấn Phố Châu\n" in before and "Huyện Hương Sơn" not in after
    assert "Xã Sơn Lâm" in before and "Xã Sơn Lâm" not in after
    assert "  Xã Sơn Giang\n    Trung tâm Phục vụ hành chính công xã Sơn Giang\n" in after
    assert before != after


def test_org_successor_command(capsys):
    call_command("org", "load", str(DEMO_ORG_FILE))
    capsys.readouterr()
    call_command("org", "successor", "000.13.21.H42", "--date", "01/08/2025")
    assert capsys.readouterr().out.strip() == "Xã Sơn Giang  [000.00.62.H42]"
