"""Entering any figure with its origin, importing figures from CSV/XLSX, exporting them back (issue 12, item 4)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent
from cchc.core.vnformat import format_percent, percent
from cchc.indicators import exporting, importing
from cchc.indicators.models import Indicator, IndicatorValue, Origin
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import value_of
from cchc.indicators.services import enter_value

SON_TAY = "000.16.21.H42"
SON_NINH = "000.12.21.H42"
PHO_CHAU = "000.11.21.H42"  # merged on 1/7/2025
NEW_COMMUNE = "000.00.61.H42"  # exists from 1/7/2025
DISTRICT = "000.00.21.H42"
PROVINCE = "000.00.00.H42"
HEADER = ["don_vi", "ky", "ma_chi_tieu", "gia_tri", "ghi_chu"]


def _csv(rows, sep=",", bom=True, header=HEADER) -> bytes:
    def cell(v):
        text = str(v)
        return f'"{text}"' if (sep in text or '"' in text) and not text.startswith('"') else text

    lines = [sep.join(header)] + [sep.join(cell(v) for v in r) for r in rows]
    return ("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _xlsx(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _audit_values() -> int:
    return AuditEvent.objects.filter(verb__in=["indicators.value_entered", "indicators.value_cleared"]).count()


# ---- A. any figure can be entered, with its origin ------------------------------------------------------
def test_computed_figure_can_be_entered_with_origin_ratio_and_heading_cannot(demo_org, make_user):
    officer = make_user("xamoi", Role.COMMUNE_OFFICER, demo_org[NEW_COMMUNE], full_name="Phan Thị Mới")
    result = enter_value(
        officer,
        demo_org[NEW_COMMUNE],
        "2026-Q3",
        "dossiers.commune.received",
        "2.517",
        "Theo Hệ thống một cửa của tỉnh",
        origin=Origin.API,
        origin_name="Một cửa tỉnh",
    )
    assert result.value.value == 2517 and result.value.origin == Origin.API
    v = value_of(NEW_COMMUNE, "2026-Q3", "dossiers.commune.received")
    assert v.value == 2517 and v.source == "entered"
    assert v.source_text.startswith("Nhập qua API (Một cửa tỉnh): Phan Thị Mới")
    event = AuditEvent.objects.get(verb="indicators.value_entered")
    assert event.actor == officer and event.data["origin"] == "api" and event.data["new"] == "2517"
    with pytest.raises(ValidationError, match="Tỷ lệ không nhập: tính từ tử số và mẫu số"):
        enter_value(officer, demo_org[NEW_COMMUNE], "2026-Q3", "dossiers.commune.on_time_rate", "96,5")
    with pytest.raises(ValidationError, match="dòng tiêu đề"):
        enter_value(officer, demo_org[NEW_COMMUNE], "2026-Q3", "plan", "1")
    # a system actor (a command) is recorded by its name; it may write for an ended district (history)
    enter_value(SystemActor("cchc thử nghiệm"), demo_org[DISTRICT], "2021-NAM", "legal.issued", 4)
    row = IndicatorValue.objects.get(indicator__code="legal.issued")
    assert row.entered_by is None and row.entered_by_label == "cchc thử nghiệm" and row.origin == Origin.PAGE


# ---- D. the two on-time rates, each from its parts --------------------------------------------------------
@pytest.mark.parametrize(
    ("unit", "level", "period"), [(DISTRICT, "district", "2021-6T"), (SON_TAY, "commune", "2026-Q3")]
)
def test_imported_dossier_figures_give_both_on_time_rates(demo_org, tmp_path, unit, level, period):
    path = tmp_path / "mot_cua.csv"
    path.write_bytes(
        _csv(
            [
                [unit, period, f"dossiers.{level}.received", "2.517", "Hệ thống một cửa điện tử tỉnh"],
                [unit, period, f"dossiers.{level}.resolved_early", "800", ""],
                [unit, period, f"dossiers.{level}.resolved_on_time", "1.631", ""],
                [unit, period, f"dossiers.{level}.resolved_late", "86", ""],
            ]
        )
    )
    call_command("indicators", "import", str(path))
    early, on_time, late, received = 800, 1631, 86, 2517
    by_received = value_of(unit, period, f"dossiers.{level}.on_time_received_rate")
    assert by_received.value == percent(Decimal(early + on_time), Decimal(received))
    assert format_percent(by_received.value) == "96,58%"
    by_resolved = value_of(unit, period, f"dossiers.{level}.on_time_rate")
    assert by_resolved.value == percent(Decimal(early + on_time), Decimal(early + on_time + late))
    assert by_resolved.detail["denominator"]["value"] == early + on_time + late
    # the parts are the imported figures, with the file in their provenance
    parts = {p["code"]: p["value"] for p in by_received.detail["numerator"]}
    assert parts[f"dossiers.{level}.resolved_early"] == early
    assert parts[f"dossiers.{level}.resolved_on_time"] == on_time
    received_value = value_of(unit, period, f"dossiers.{level}.received")
    assert received_value.source_text.startswith("Nhập từ tệp mot_cua.csv: cchc indicators import")


# ---- B. import ----------------------------------------------------------------------------------------------
def test_csv_semicolon_bom_quotes_labels_idempotent(demo_org, make_user):
    officer = make_user("sontay", Role.COMMUNE_OFFICER, demo_org[SON_TAY], full_name="Trần Thị Lan")
    content = _csv(
        [
            [SON_TAY, "2025-t01", "legal.issued", "3", '"Gồm; Nghị quyết, Quyết định"'],
            [SON_TAY, "2025-NAM", "survey.method", "Kết hợp", ""],
            [SON_TAY, "2025-NAM", "dialogue.held", "Có", ""],
            [SON_TAY, "2025-NAM", "budget.revenue", "12.345,5", "triệu đồng"],
            [SON_TAY, "2025-NAM", "budget.revenue_estimate", "20000", ""],
            [SON_TAY, "2025-NAM", "training.planned", "", "ô trống: bỏ qua"],
            ["", "", "", "", ""],
        ],
        sep=";",
    )
    result = importing.import_file(officer, "so_lieu_2025.csv", content=content)
    assert (result.count(importing.RowAction.ADD), result.count(importing.RowAction.SKIP)) == (5, 1)
    assert "thêm mới 5" in result.summary()
    note = IndicatorValue.objects.get(indicator__code="legal.issued")
    assert note.note == "Gồm; Nghị quyết, Quyết định" and note.period.code == "2025-T01"
    assert note.origin == Origin.FILE and note.origin_name == "so_lieu_2025.csv" and note.entered_by == officer
    assert value_of(SON_TAY, "2025-NAM", "survey.method").value == 2
    assert value_of(SON_TAY, "2025-NAM", "dialogue.held").value == 1
    revenue = value_of(SON_TAY, "2025-NAM", "budget.revenue")
    assert revenue.value == Decimal("12345.5") and revenue.source_text.startswith(
        f"Nhập từ tệp so_lieu_2025.csv: {officer.display_name}"
    )
    assert value_of(SON_TAY, "2025-NAM", "budget.revenue_rate").value == percent(Decimal("12345.5"), Decimal(20000))
    audited = _audit_values()
    assert audited == 5 and AuditEvent.objects.filter(verb="indicators.figures_imported").count() == 1
    again = importing.import_file(officer, "so_lieu_2025.csv", content=content)
    assert again.count(importing.RowAction.UNCHANGED) == 5 and again.changes == 0
    assert "Không có số liệu nào thay đổi" in again.summary() and _audit_values() == audited
    # one changed figure, one cleared with "xóa", the rest as before
    changed = importing.import_file(
        officer,
        "sua.csv",
        content=_csv(
            [
                [SON_TAY, "2025-NAM", "budget.revenue", "13000", "triệu đồng"],
                [SON_TAY, "2025-NAM", "dialogue.held", "Xóa", ""],
                [SON_TAY, "2025-NAM", "survey.method", "2", ""],
            ]
        ),
    )
    assert [r.action for r in changed.rows] == ["change", "clear", "unchanged"]
    assert changed.rows[0].old == Decimal("12345.5")
    assert value_of(SON_TAY, "2025-NAM", "budget.revenue").source_text.startswith("Nhập từ tệp sua.csv")
    assert not IndicatorValue.objects.filter(indicator__code="dialogue.held").exists()


def test_every_bad_row_is_named_and_nothing_is_saved(demo_org, make_user):
    Indicator.objects.filter(code="iso.communes_announced").update(retired_in=4)
    officer = make_user("sontay", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    rows = [
        [SON_TAY, "2021-NAM", "legal.issued", "5", "đúng"],  # 2
        ["000.99.99.H42", "2021-NAM", "legal.issued", "1", ""],  # 3 unknown unit
        [SON_TAY, "2021-X9", "legal.issued", "1", ""],  # 4 unknown period
        [SON_TAY, "2021-NAM", "legal.unknown", "1", ""],  # 5 unknown indicator
        [SON_TAY, "2021-NAM", "iso.communes_announced", "1", ""],  # 6 retired
        [SON_TAY, "2021-NAM", "dossiers.commune.on_time_rate", "96,5", ""],  # 7 ratio
        [SON_TAY, "2021-NAM", "plan", "1", ""],  # 8 heading
        [SON_TAY, "2021-NAM", "legal.reviewed", "mười", ""],  # 9 not a number
        [SON_TAY, "2021-NAM", "legal.checked", "-3", ""],  # 10 negative
        [SON_TAY, "2021-NAM", "training.planned", "2,5", ""],  # 11 not whole
        [SON_NINH, "2021-NAM", "legal.issued", "1", ""],  # 12 outside the importer's scope
        [SON_TAY, "2021-NAM", "legal.issued", "6", ""],  # 13 duplicate of row 2
        [SON_TAY, "2021-NAM", "survey.method", "Qua điện thoại", ""],  # 14 not one of the choices
        [NEW_COMMUNE, "2021-NAM", "legal.issued", "1", ""],  # 15 unit did not exist in 2021
    ]
    with pytest.raises(ImportRejected) as caught:
        importing.import_file(officer, "sai.csv", content=_csv(rows))
    messages = [str(e) for e in caught.value.errors]
    expected = [
        ("Dòng 3, cột “don_vi”", "Không có đơn vị"),
        ("Dòng 4, cột “ky”", "không hợp lệ"),
        ("Dòng 5, cột “ma_chi_tieu”", "Không có chỉ tiêu"),
        ("Dòng 6, cột “ma_chi_tieu”", "ngừng sử dụng"),
        ("Dòng 7, cột “ma_chi_tieu”", "Tỷ lệ không nhập"),
        ("Dòng 8, cột “ma_chi_tieu”", "dòng tiêu đề"),
        ("Dòng 9, cột “gia_tri”", "không phải là một số"),
        ("Dòng 10, cột “gia_tri”", "không được âm"),
        ("Dòng 11, cột “gia_tri”", "số nguyên"),
        ("Dòng 12, cột “don_vi”", "ngoài phạm vi"),
        ("Dòng 13, cột “ma_chi_tieu”", "Trùng với dòng 2"),
        ("Dòng 14, cột “gia_tri”", "chỉ nhận"),
        ("Dòng 15, cột “ky”", "không tồn tại trong kỳ 2021-NAM (từ 15/12/2020 đến 14/12/2021)"),
        ("Dòng 15, cột “don_vi”", "ngoài phạm vi"),
    ]
    for where, what in expected:
        assert any(m.startswith(where) and what in m for m in messages), (where, messages)
    assert len(messages) == len(expected)
    assert not IndicatorValue.objects.exists() and _audit_values() == 0
    assert not AuditEvent.objects.filter(verb="indicators.figures_imported").exists()


def test_missing_column_and_unreadable_files(demo_org):
    with pytest.raises(ImportRejected) as caught:
        importing.import_file(
            SystemActor("t"),
            "x.csv",
            content=_csv([[SON_TAY, "2021-NAM", "legal.issued"]], header=["don_vi", "ky", "ma_chi_tieu"]),
        )
    assert "Thiếu cột “gia_tri”" in str(caught.value.errors[0])
    with pytest.raises(ImportRejected) as caught:
        importing.import_file(
            SystemActor("t"), "x.csv", content="đơn vị;kỳ".encode("cp1258", errors="replace") + b"\xff"
        )
    assert "UTF-8" in str(caught.value.errors[0])
    with pytest.raises(ImportRejected) as caught:
        importing.import_file(SystemActor("t"), "x.xlsx", content=b"not a workbook")
    assert "không phải là bảng tính Excel" in str(caught.value.errors[0])  # the upload guard (core.uploads)
    with pytest.raises(ImportRejected):
        importing.import_file(SystemActor("t"), "empty.csv", content=_csv([]))


def test_xlsx_with_vietnamese_headers_numbers_and_extra_columns(demo_org, make_user):
    reviewer = make_user("tinh", Role.PROVINCE_REVIEWER, demo_org[PROVINCE])
    content = _xlsx(
        [
            ["Tên chỉ tiêu bỏ qua", PROVINCE, "2026-Q3", "budget.revenue", 1234.75, None],
            ["", PROVINCE, "2026-Q3", "legal.issued", 7, '=HYPERLINK("x")'],
            ["", PROVINCE, "2026-Q3", "steering.boards", "1.234", ""],
        ],
        header=["Tên", "Mã đơn vị", "Kỳ báo cáo", "Mã chỉ tiêu", "Số liệu", "Ghi chú"],
    )
    result = importing.import_file(reviewer, "tinh.xlsx", content=content)
    assert result.count(importing.RowAction.ADD) == 3
    # a number cell is a number (1234.75), a text cell a Vietnamese number (1.234 = 1234)
    assert value_of(PROVINCE, "2026-Q3", "budget.revenue").value == Decimal("1234.75")
    assert value_of(PROVINCE, "2026-Q3", "steering.boards").value == 1234
    # the province reviewer may not enter for a district (EDIT is own unit only)
    with pytest.raises(ImportRejected):
        importing.import_file(reviewer, "huyen.xlsx", content=_xlsx([[DISTRICT, "2021-NAM", "legal.issued", 1, ""]]))


def test_dry_run_saves_nothing_and_json_rows(demo_org):
    rows = importing.rows_from_dicts(
        [
            {"don_vi": DISTRICT, "ky": "2021-NAM", "ma_chi_tieu": "legal.issued", "gia_tri": 3},
            {"don_vi": DISTRICT, "ky": "2021-NAM", "ma_chi_tieu": "budget.revenue", "gia_tri": "2.517,25"},
        ]
    )
    preview = importing.import_rows(SystemActor("api test"), rows, source_name="JSON", dry_run=True)
    assert preview.dry_run and preview.count(importing.RowAction.ADD) == 2
    assert "Kiểm tra thử (chưa lưu)" in preview.summary()
    assert not IndicatorValue.objects.exists() and _audit_values() == 0
    done = importing.import_rows(SystemActor("api test"), rows, source_name="JSON", origin=Origin.API)
    assert done.count(importing.RowAction.ADD) == 2
    assert IndicatorValue.objects.get(indicator__code="budget.revenue").value == Decimal("2517.25")


# ---- export -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_reimport_changes_nothing(demo_org, tmp_path, fmt):
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2021-NAM", "legal.issued", 9, "=1+1 không phải công thức")
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2021-NAM", "budget.revenue", "96,58")
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2021-NAM", "dossiers.district.received", "2.517")
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2021-NAM", "survey.method", "Phát phiếu")
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "legal.issued", 1)  # another unit: not exported
    out = tmp_path / f"xuat.{fmt}"
    call_command("indicators", "export", "--unit", DISTRICT, "--period", "2021-NAM", "--format", fmt, "--out", str(out))
    if fmt == "xlsx":
        sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
        assert sheet[0] == HEADER and len(sheet) == 5
        by_code = {r[2]: r for r in sheet[1:]}
        assert by_code["legal.issued"][4] == "=1+1 không phải công thức"  # text, never run as a formula
        from openpyxl import load_workbook

        cells = {r[2].value: r[4] for r in load_workbook(out).active.iter_rows(min_row=2)}
        assert cells["legal.issued"].data_type == "s" and cells["legal.issued"].quotePrefix
        assert by_code["budget.revenue"][3] == 96.58 and by_code["dossiers.district.received"][3] == 2517
    else:
        text = out.read_bytes().decode("utf-8-sig")
        assert text.splitlines()[0] == ";".join(HEADER)
        assert f"{DISTRICT};2021-NAM;budget.revenue;96,58;" in text and "2021-NAM;survey.method;1;" in text
    again = importing.import_file(SystemActor("test"), out)
    assert again.changes == 0 and again.count(importing.RowAction.UNCHANGED) == 4
    note = IndicatorValue.objects.get(unit__code=DISTRICT, indicator__code="legal.issued").note
    assert note == "=1+1 không phải công thức"


def test_cli_dry_run_and_errors(demo_org, tmp_path, capsys):
    good = tmp_path / "a.csv"
    good.write_bytes(_csv([[DISTRICT, "2021-NAM", "legal.issued", "2", ""]]))
    call_command("indicators", "import", str(good), "--dry-run")
    assert "Kiểm tra thử (chưa lưu) a.csv: thêm mới 1" in capsys.readouterr().out
    assert not IndicatorValue.objects.exists()
    bad = tmp_path / "b.csv"
    bad.write_bytes(_csv([[DISTRICT, "2021-NAM", "legal.issued", "hai", ""]]))
    with pytest.raises(CommandError, match="không có dữ liệu nào được lưu"):
        call_command("indicators", "import", str(bad))
    assert "Dòng 2, cột “gia_tri”" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("indicators", "import", str(good), "--user", "khong_co")


def test_export_all_includes_computed_and_never_ratios(demo_org, computed):
    computed("dossiers.district_received", lambda units, span: 40)
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2021-NAM", "dossiers.district.resolved_early", 10)
    rows = exporting.export_rows(demo_org[DISTRICT], get_period("2021-NAM"), include_all=True)
    codes = {r["ma_chi_tieu"]: r["gia_tri"] for r in rows}
    assert codes["dossiers.district.received"] == 40 and codes["dossiers.district.resolved_early"] == 10
    assert not any(c.endswith("_rate") for c in codes)
