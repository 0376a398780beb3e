"""The import's one column specification: it drives the template and the docs' table; the optional QĐ 766
columns (issue #15) are read, checked by row and column, left NULL when absent, and fingerprinted so that a
re-import of the same file changes nothing while a file bringing values updates the rows."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.dossiers.importing import COLUMNS, import_dossiers
from cchc.dossiers.importing.columns import OPTIONAL_DIRECT, markdown_table
from cchc.dossiers.importing.template import DATA_SHEET, HELP_SHEET
from cchc.dossiers.importing.writing import written
from cchc.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
ACTOR = SystemActor("test import columns")
BASE = ["ma_ho_so", "don_vi", "ma_thu_tuc", "kenh", "ngay_tiep_nhan", "ngay_tra_ket_qua"]
NEW = [c.name for c in OPTIONAL_DIRECT]
FIELDS = [c.field for c in OPTIONAL_DIRECT]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode()


def _base_rows(count: int = 4) -> list[list[str]]:
    return [[f"Q-{i}", "000.16.21.H42", "1.004873", "truc_tuyen", f"{10 + i}/03/2025", ""] for i in range(count)]


def _values() -> dict[str, tuple]:
    return {d.code: tuple(getattr(d, f) for f in FIELDS) for d in Dossier.objects.all()}


def test_the_template_is_the_spec_and_its_example_row_imports(catalogue, demo_org, tmp_path):
    out = tmp_path / "mau.xlsx"
    call_command("dossiers", "import-template", str(out), stdout=io.StringIO())
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names == [DATA_SHEET, HELP_SHEET]
    header, example = wb.get_sheet_by_name(DATA_SHEET).to_python()[:2]
    assert header == [c.name for c in COLUMNS]
    explained = wb.get_sheet_by_name(HELP_SHEET).to_python()
    assert [row[0] for row in explained[2:]] == [c.name for c in COLUMNS]  # title line, header, one per column
    required = {row[0]: row[3] for row in explained[2:]}
    assert required["ma_ho_so"] == "có" and required["ket_qua_dien_tu"] == "không"

    assert import_dossiers(out, actor=ACTOR).created == 1
    d = Dossier.objects.get()
    assert d.code == example[0] and (d.fee_due, d.supplement_requests, d.paid_online, d.synced_to_portal) == (
        50_000,
        0,
        True,
        True,
    )


def test_the_docs_column_table_is_generated_from_the_spec():
    text = (Path(__file__).resolve().parents[3] / "docs" / "dossiers.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- import-columns:start[^\n]*-->\n(.*?)<!-- import-columns:end -->", text, re.S)
    assert match, "docs/dossiers.md lost its import-columns markers"
    assert match.group(1) == markdown_table(), "regenerate: cchc dossiers import-template --markdown"


def test_the_writers_fill_every_field_the_spec_names():
    filled = {Dossier._meta.get_field(f).column for c in COLUMNS for f in c.fills if not f.startswith("procedure.")}
    assert filled <= {w.column for w in written(OPTIONAL_DIRECT)}
    assert not {c.field for c in OPTIONAL_DIRECT} & {w.column for w in written(())}


def test_every_optional_column_is_read_and_a_file_without_them_leaves_null(catalogue, demo_org):
    import_dossiers("a.csv", actor=ACTOR, content=_csv(BASE, _base_rows(2)))
    assert set(_values().values()) == {(None,) * len(FIELDS)}

    header = [*BASE, "Số lần yêu cầu bổ sung", "Phí, lệ phí (đồng)", *NEW[2:]]  # labels read like names
    yes = ["2", "1.200.000đ", "có", "x", "1", "Đúng", "TRUE", "yes", "Có", "có"]
    no = ["0", "0", "không", "0", "sai", "False", "no", "KHÔNG", "0", "không"]
    blank = ["", "", "", "", "", "", "", "", "", ""]
    rows = [r + v for r, v in zip(_base_rows(5)[2:], (yes, no, blank), strict=True)]
    result = import_dossiers("b.csv", actor=ACTOR, content=_csv(header, rows))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    got = _values()
    assert got["Q-2"] == (2, 1_200_000, *[True] * 8)
    assert got["Q-3"] == (0, 0, *[False] * 8)
    assert got["Q-4"] == (None,) * len(FIELDS)
    assert got["Q-0"] == (None,) * len(FIELDS)


def test_bad_optional_values_are_named_by_row_and_column(catalogue, demo_org):
    header = [*BASE, "ket_qua_dien_tu", "so_lan_bo_sung", "phi_le_phi"]
    rows = [[*r, "có", "1", "50.000"] for r in _base_rows(4)]
    rows[1][6] = "có lẽ"  # file row 3
    rows[2][7] = "1,5"  # file row 4: not a whole number
    rows[3][8] = "-50.000"  # file row 5: negative
    with pytest.raises(ImportRejected) as exc:
        import_dossiers("c.csv", actor=ACTOR, content=_csv(header, rows))
    assert [(e.row, e.field, e.value) for e in exc.value.errors] == [
        (3, "ket_qua_dien_tu", "có lẽ"),
        (4, "so_lan_bo_sung", "1,5"),
        (5, "phi_le_phi", "-50.000"),
    ]
    assert exc.value.errors[0].message.startswith("Kết quả điện tử phải là có/không")
    assert "số nguyên không âm" in exc.value.errors[1].message
    assert not Dossier.objects.exists()


def test_reimports_change_only_what_a_file_brings(catalogue, demo_org):
    import_dossiers("a.csv", actor=ACTOR, content=_csv(BASE, _base_rows()))
    hashes = dict(Dossier.objects.values_list("code", "row_hash"))
    again = import_dossiers("a.csv", actor=ACTOR, content=_csv(BASE, _base_rows()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    # The same file with the column added but no value in it: nothing changes either.
    empty = [[*r, "", ""] for r in _base_rows()]
    same = import_dossiers("b.csv", actor=ACTOR, content=_csv([*BASE, "ket_qua_dien_tu", "phi_le_phi"], empty))
    assert (same.updated, same.unchanged) == (0, 4)
    assert dict(Dossier.objects.values_list("code", "row_hash")) == hashes

    # Values for two rows: those two are updated, and a second run of that file changes nothing.
    rows = [r + v for r, v in zip(_base_rows(), (["có", "50.000"], ["không", ""], ["", ""], ["", ""]), strict=True)]
    content = _csv([*BASE, "ket_qua_dien_tu", "phi_le_phi"], rows)
    brought = import_dossiers("c.csv", actor=ACTOR, content=content)
    assert (brought.created, brought.updated, brought.unchanged) == (0, 2, 2)
    got = dict(Dossier.objects.values_list("code", "e_result"))
    assert got == {"Q-0": True, "Q-1": False, "Q-2": None, "Q-3": None}
    assert Dossier.objects.get(code="Q-0").fee_due == 50_000
    assert import_dossiers("c.csv", actor=ACTOR, content=content).updated == 0

    # The old file again (no such column): its rows re-read, the values it does not carry stay.
    old = import_dossiers("a.csv", actor=ACTOR, content=_csv(BASE, _base_rows()))
    assert (old.updated, old.unchanged) == (2, 2)
    assert dict(Dossier.objects.values_list("code", "e_result")) == got
