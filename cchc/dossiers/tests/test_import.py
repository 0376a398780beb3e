"""The provincial export import: atomic, precise errors, idempotent, updates, XLSX, aliases, CLI."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.dossiers import stats
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.models import Dossier, DossierStat, Procedure

pytestmark = pytest.mark.django_db
HEADER = [
    "ma_ho_so",
    "don_vi",
    "ma_thu_tuc",
    "ten_thu_tuc",
    "linh_vuc",
    "so_ngay_giai_quyet",
    "kenh",
    "muc_do",
    "ngay_tiep_nhan",
    "ngay_hen_tra",
    "ngay_tra_ket_qua",
    "da_xin_loi",
    "ngay_hen_tra_moi",
]
UNITS = ["000.11.21.H42", "000.16.21.H42", "000.12.22.H42"]


def rows_1000():
    out = []
    for i in range(1000):
        day = date(2024, 1 + i % 12, 1 + i % 27)
        returned = "" if i % 10 == 0 else f"{min(day.day + i % 9, 28):02d}/{day.month:02d}/2024"
        out.append(
            [
                f"{UNITS[i % 3]}-{day:%y%m%d}-{i:04d}",
                UNITS[i % 3],
                "1.004873",
                "",
                "",
                "",
                ["truc_tiep", "truc_tuyen", "buu_chinh"][i % 3],
                "toan_trinh" if i % 3 == 1 else "",
                f"{day:%d/%m/%Y} {8 + i % 9:02d}:{(i * 7) % 60:02d}",
                "",
                returned,
                "có" if i % 50 == 7 else "",
                "",
            ]
        )
    return out


def to_csv(rows, header=HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_three_bad_rows_reject_the_file_with_three_precise_errors(catalogue, demo_org):
    rows = rows_1000()
    rows[10][1] = "000.99.99.H42"  # unknown unit (file row 12)
    rows[500][8] = "31/02/2024"  # no such date (row 502)
    rows[998][6] = "fax"  # unknown channel (row 1000)
    with pytest.raises(ImportRejected) as exc:
        import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows))
    errors = [(e.row, e.field, e.value) for e in exc.value.errors]
    assert errors == [(12, "don_vi", "000.99.99.H42"), (502, "ngay_tiep_nhan", "31/02/2024"), (1000, "kenh", "fax")]
    assert exc.value.total == 3
    assert "Không có đơn vị" in exc.value.errors[0].message
    assert Dossier.objects.count() == 0 and DossierStat.objects.count() == 0

    # The same file fixed imports; twice leaves the same counts.
    rows[10][1], rows[500][8], rows[998][6] = UNITS[10 % 3], "15/02/2024 09:00", "truc_tiep"
    first = import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows))
    assert (first.created, first.updated, first.unchanged) == (1000, 0, 0)
    snapshot = list(Dossier.objects.order_by("code").values_list("code", "due_on", "outcome", "status", "row_hash"))
    stat_rows = DossierStat.objects.count()
    again = import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1000)
    assert (
        list(Dossier.objects.order_by("code").values_list("code", "due_on", "outcome", "status", "row_hash"))
        == snapshot
    )
    assert DossierStat.objects.count() == stat_rows

    # A changed row updates its dossier (and the figures).
    code = rows[0][0]  # pending (i % 10 == 0)
    assert Dossier.objects.get(code=code).status == "dang_xu_ly"
    rows[0][10] = "03/01/2024"
    changed = import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 999)
    d = Dossier.objects.get(code=code)
    assert (d.status, d.returned_on, d.closed_on) == ("da_tra", date(2024, 1, 3), date(2024, 1, 3))
    ids = list(Dossier.objects.values_list("unit_id", flat=True).distinct())
    assert stats.stats(ids, date(2024, 1, 1), date(2024, 12, 31)) == stats.stats(
        ids, date(2024, 1, 1), date(2024, 12, 31), source="dossiers"
    )


def test_due_dates_and_classification_of_imported_rows(catalogue, demo_org):
    rows = [
        # 3 working days from Friday 24/01/2025 (Tết 25/1–2/2) → 05/02/2025, returned that day: on time.
        ["A-1", "000.16.21.H42", "1.004873", "", "", "", "truc_tiep", "", "24/01/2025", "", "05/02/2025", "", ""],
        # Same-day procedure received at 15:30 → due next working day; returned then: on time.
        ["A-2", "000.16.21.H42", "2.000815", "", "", "", "truc_tiep", "", "10/03/2025 15:30", "", "11/03/2025", "", ""],
        # Given due date kept; returned later with an apology: still late.
        [
            "A-3",
            "000.16.21.H42",
            "1.004873",
            "",
            "",
            "",
            "truc_tuyen",
            "toan_trinh",
            "2025-03-10",
            "2025-03-13",
            "2025-03-18",
            "x",
            "18/03/2025",
        ],
        # Unknown procedure with a name and a time: created.
        [
            "A-4",
            "000.16.21.H42",
            "9.999999",
            "Thủ tục thử nghiệm",
            "Hộ tịch",
            "2",
            "buu_chinh",
            "",
            "10/03/2025",
            "",
            "",
            "",
            "",
        ],
    ]
    import_dossiers("x.csv", actor=SystemActor("test"), content=to_csv(rows))
    got = {d.code: d for d in Dossier.objects.all()}
    assert (got["A-1"].due_on, got["A-1"].outcome) == (date(2025, 2, 5), "dung")
    assert (got["A-2"].due_on, got["A-2"].outcome) == (date(2025, 3, 11), "dung")
    assert (got["A-3"].due_on, got["A-3"].outcome, got["A-3"].apology_on) == (
        date(2025, 3, 13),
        "tre",
        date(2025, 3, 13),
    )
    assert (got["A-4"].due_on, got["A-4"].status) == (date(2025, 3, 12), "dang_xu_ly")
    proc = Procedure.objects.get(code="9.999999")
    assert (proc.name, proc.time_value, proc.field.code) == ("Thủ tục thử nghiệm", 2, "HT")


def test_unknown_procedure_without_name_is_an_error_and_aliases_work(catalogue, demo_org):
    header = ["Mã hồ sơ", "Đơn vị", "Mã thủ tục", "Kênh tiếp nhận", "Ngày tiếp nhận", "Ngày trả kết quả"]
    content = to_csv([["B-1", "000.16.21.H42", "0.000000", "truc_tiep", "10/03/2025", ""]], header)
    with pytest.raises(ImportRejected) as exc:
        import_dossiers("y.csv", actor=SystemActor("test"), content=content)
    [e] = exc.value.errors
    assert (e.row, e.field, e.value) == (2, "ma_thu_tuc", "0.000000")
    ok = to_csv([["B-1", "000.16.21.H42", "1.004873", "Trực tuyến", "10/03/2025", "12/03/2025"]], header)
    assert import_dossiers("y.csv", actor=SystemActor("test"), content=ok).created == 1
    assert Dossier.objects.get().channel == "truc_tuyen"


def test_dry_run_saves_nothing_and_xlsx_and_mapping_file(catalogue, demo_org, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["SO_HS", "COQUAN", "TTHC", "KENH_NOP", "NGAY_NHAN"])
    ws.append(["C-1", "000.16.21.H42", "1.004873", "truc_tiep", "10/03/2025 08:00"])
    path = tmp_path / "tinh.xlsx"
    wb.save(path)
    mapping = tmp_path / "anh_xa.yaml"
    mapping.write_text(
        "SO_HS: ma_ho_so\nCOQUAN: don_vi\nTTHC: ma_thu_tuc\nKENH_NOP: kenh\nNGAY_NHAN: ngay_tiep_nhan\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("dossiers", "import", str(path), "--mapping", str(mapping), "--dry-run", stdout=out)
    assert "Kiểm tra thử" in out.getvalue() and Dossier.objects.count() == 0
    call_command("dossiers", "import", str(path), "--mapping", str(mapping), stdout=out)
    assert Dossier.objects.get().due_on == date(2025, 3, 13)
    with pytest.raises(CommandError):
        call_command("dossiers", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_cli_stats_json_keys(catalogue, demo_org):
    import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows_1000()))
    out = io.StringIO()
    call_command(
        "dossiers",
        "stats",
        "--unit",
        "000.00.21.H42",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--descendants",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    for key in (
        "received",
        "carried_over",
        "resolved",
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "on_time_rate",
        "pending",
        "pending_within_deadline",
        "pending_overdue",
        "online",
        "apologies",
        "late_without_apology",
        "by_unit",
        "by_field",
        "by_channel",
    ):
        assert key in data
    # District Hương Sơn: its communes 000.11.21 and 000.16.21 (2/3 of the rows), not 000.12.22.
    assert data["received"] == 667
    assert {u["unit"] for u in data["by_unit"]} == {"000.11.21.H42", "000.16.21.H42"}


def test_more_than_1000_errors_shows_the_first_1000_in_row_order_with_the_total(catalogue, demo_org):
    rows = rows_1000()
    for i, r in enumerate(rows):
        r[6] = "fax"  # every row: unknown channel
        if i < 300:
            r[1] = "000.99.99.H42"  # the first 300 also: unknown unit
    with pytest.raises(ImportRejected) as exc:
        import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows))
    errors = exc.value.errors
    assert exc.value.total == 1300 and len(errors) == 1000
    # Rows 2…301 have two errors each (unit, then channel, as the columns read), then one per row.
    assert [(e.row, e.field) for e in errors[:3]] == [(2, "don_vi"), (2, "kenh"), (3, "don_vi")]
    assert (errors[599].row, errors[599].field) == (301, "kenh")
    assert (errors[-1].row, errors[-1].field) == (701, "kenh")
    assert Dossier.objects.count() == 0 and DossierStat.objects.count() == 0


def test_date_shapes_read_alike_and_impossible_dates_are_errors(catalogue, demo_org):
    shapes = [
        "10/03/2025",
        "10/3/2025",
        "2025-03-10",
        "10/03/2025 09:15",
        "2025-03-10T09:15",
        "10/03/2025 9:15:30",
        "10/03/2025 9:15",
    ]
    rows = [
        [f"D-{i}", "000.16.21.H42", "1.004873", "", "", "", "truc_tiep", "", s, "", "", "", ""]
        for i, s in enumerate(shapes)
    ]
    assert import_dossiers("d.csv", actor=SystemActor("test"), content=to_csv(rows)).created == len(shapes)
    got = dict(Dossier.objects.values_list("code", "received_on"))
    assert set(got.values()) == {date(2025, 3, 10)}
    moments = dict(Dossier.objects.values_list("code", "received_at"))
    assert [moments[f"D-{i}"] is None for i in range(len(shapes))] == [True, True, True, False, False, False, False]
    assert moments["D-3"] == moments["D-4"] == moments["D-6"]

    bad = ["29/02/2023", "2024-13-01", "10/03/2025 24:00", "31/04/2025", "10-03-2025", "00/01/2025", "10/03/2025 9:60"]
    rows = [
        [f"E-{i}", "000.16.21.H42", "1.004873", "", "", "", "truc_tiep", "", s, "", "", "", ""]
        for i, s in enumerate(bad)
    ]
    with pytest.raises(ImportRejected) as exc:
        import_dossiers("e.csv", actor=SystemActor("test"), content=to_csv(rows))
    assert [(e.row, e.field, e.value) for e in exc.value.errors] == [
        (i + 2, "ngay_tiep_nhan", s) for i, s in enumerate(bad)
    ]


@pytest.mark.django_db(transaction=True)
def test_outermost_import_checks_references_once_and_restores_foreign_keys(catalogue, demo_org):
    """Outside any transaction (the CLI, the upload thread) SQLite's per-row foreign-key checks are switched
    off for the import's own transaction and on again afterwards; the rows and the summary are as usual."""
    from django.db import connection

    rows = rows_1000()[:30]
    result = import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows))
    assert result.created == 30 and Dossier.objects.count() == 30
    ids = list(Dossier.objects.values_list("unit_id", flat=True).distinct())
    assert stats.stats(ids, date(2024, 1, 1), date(2024, 12, 31)) == stats.stats(
        ids, date(2024, 1, 1), date(2024, 12, 31), source="dossiers"
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA foreign_keys")
            assert cur.fetchone()[0] == 1
    elif connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT current_setting('session_replication_role')")
            assert cur.fetchone()[0] == "origin"


def test_every_column_of_an_imported_dossier(catalogue, demo_org):
    """The fast write paths (SQLite executemany, PostgreSQL binary COPY + INSERT … SELECT) fill every
    column as a dossier saved by Django would be: the file's values, the computed ones, the defaults."""
    from datetime import UTC, datetime

    from cchc.org.models import OrgUnit

    row = ["A-3", "000.16.21.H42", "1.004873", "", "", "", "truc_tuyen", "toan_trinh", "10/03/2025 09:15"]
    row += ["2025-03-13", "2025-03-18", "x", "20/03/2025"]
    import_dossiers("x.csv", actor=SystemActor("test"), content=to_csv([row]))
    d = Dossier.objects.get(code="A-3")
    unit = OrgUnit.objects.get(code="000.16.21.H42")
    assert (d.unit_id, d.holder_id, d.procedure.code, d.field_id) == (
        unit.pk,
        unit.pk,
        "1.004873",
        d.procedure.field_id,
    )
    assert (d.channel, d.online_form, d.status, d.outcome, d.source) == (
        "truc_tuyen",
        "toan_trinh",
        "da_tra",
        "tre",
        "nhap",
    )
    assert d.received_at == datetime(2025, 3, 10, 2, 15, tzinfo=UTC)  # 09:15 in Việt Nam
    assert (d.received_on, d.original_due_on, d.due_on) == (date(2025, 3, 10), date(2025, 3, 13), date(2025, 3, 13))
    assert (d.apology_on, d.new_due_on) == (date(2025, 3, 13), date(2025, 3, 20))
    assert d.result_ready_on == d.returned_on == d.closed_on == date(2025, 3, 18)
    assert (d.lookup_key, d.applicant_name, d.note, d.sets, d.paused_days, d.import_job_id) == ("", "", "", 1, 0, None)
    assert len(d.row_hash) == 32 and d.due_at is None and d.register_line is None


def test_quoted_semicolon_and_plain_csv_files_import_alike(catalogue, demo_org):
    """A plain CSV is split by str.split; quoted cells, another delimiter or ragged lines go through the
    csv module: the same rows give the same dossiers either way."""
    rows = rows_1000()[:50]
    rows[3][3] = "Tên có dấu phẩy, và “ngoặc”"  # only quoting can carry this cell

    def fingerprint():
        return list(Dossier.objects.order_by("code").values_list("code", "row_hash", "due_on", "received_at"))

    import_dossiers("a.csv", actor=SystemActor("test"), content=to_csv(rows))
    expected = fingerprint()
    Dossier.objects.all().delete()
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL)
    w.writerow(HEADER)
    w.writerows(rows)
    assert import_dossiers("b.csv", actor=SystemActor("test"), content=buf.getvalue().encode()).created == 50
    assert fingerprint() == expected
    Dossier.objects.all().delete()
    plain = "\n".join(",".join(r) for r in [HEADER, *[[c.replace(",", " ") for c in r] for r in rows]])
    assert import_dossiers("c.csv", actor=SystemActor("test"), content=plain.encode()).created == 50  # no final newline
    assert fingerprint() == expected


@pytest.mark.django_db(transaction=True)
def test_postgresql_import_without_the_right_to_skip_foreign_key_triggers(catalogue, demo_org, monkeypatch):
    """A role that may not set session_replication_role gets the ordinary per-row checks: same rows."""
    from django.db import connection

    from cchc.dossiers.importing import locking

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setattr(locking, "postgresql_foreign_key_triggers_off", lambda: None)
    result = import_dossiers("hs.csv", actor=SystemActor("test"), content=to_csv(rows_1000()[:30]))
    assert result.created == 30
    ids = list(Dossier.objects.values_list("unit_id", flat=True).distinct())
    assert stats.stats(ids, date(2024, 1, 1), date(2024, 12, 31)) == stats.stats(
        ids, date(2024, 1, 1), date(2024, 12, 31), source="dossiers"
    )
