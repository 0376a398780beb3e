from pathlib import Path

import pytest
import yaml

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent
from cchc.indicators.catalogue import CATALOGUE_FILE, load_catalogue, parse_choices, shipped_version
from cchc.indicators.models import CatalogueVersion, Indicator, IndicatorValue, Source, ValueType
from cchc.indicators.services import enter_value

REFERENCE = Path("/work/shared/reference/001_1e7ef463a3936192.txt")


def _appendix_rows_in_reference() -> list[str]:
    """Rows of "PHỤ LỤC 2, BẢNG 2" in the reference report (repeated page headers left out)."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("I\tCông tác chỉ đạo"))
    rows = []
    for line in lines[start:]:
        if not line.strip() or line.startswith("STT\t") or line.startswith("\t\tĐơn vị tính"):
            continue
        rows.append(line)
    return rows


def test_shipped_catalogue_covers_every_appendix_row(no_catalogue):
    result = load_catalogue(CATALOGUE_FILE)
    assert result.created == Indicator.objects.count()
    reference_rows = _appendix_rows_in_reference() if REFERENCE.exists() else []
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    groups = data["groups"]
    printed = Indicator.objects.filter(in_appendix=True).count()
    # 7 section rows (I–VII) + 176 rows under them = 183 rows in the printed appendix
    assert len(groups) == 7
    assert printed == 176
    if reference_rows:
        assert len(reference_rows) == len(groups) + printed
    assert Indicator.objects.filter(source=Source.HEADING).count() == 32
    # ratios are declared from their parts, never typed
    for ind in Indicator.objects.filter(value_type=ValueType.PERCENT):
        assert ind.source == Source.RATIO and ind.numerator and ind.denominator, ind.code
    on_time = Indicator.objects.get(code="dossiers.commune.on_time_rate")
    assert on_time.numerator == ["dossiers.commune.resolved_early", "dossiers.commune.resolved_on_time"]
    assert on_time.denominator == "dossiers.commune.resolved"
    method = Indicator.objects.get(code="survey.method")
    assert method.choices == {"0": "Trực tuyến", "1": "Phát phiếu", "2": "Kết hợp"}
    total = Indicator.objects.get(code="discipline.total")
    assert total.shown_unit == "" and total.unit_label == "Người" and len(total.sum_of) == 5


def test_names_are_as_printed(no_catalogue):
    load_catalogue(CATALOGUE_FILE)
    if not REFERENCE.exists():
        pytest.skip("reference not available")
    text = REFERENCE.read_text(encoding="utf-8")
    for ind in Indicator.objects.filter(in_appendix=True).exclude(code__startswith="finance.sncl_"):
        assert ind.name in text, ind.code


def test_load_is_idempotent_and_dry_run_saves_nothing(no_catalogue):
    dry = load_catalogue(CATALOGUE_FILE, dry_run=True)
    assert dry.dry_run and dry.created > 200
    assert Indicator.objects.count() == 0 and CatalogueVersion.objects.count() == 0
    load_catalogue(CATALOGUE_FILE)
    again = load_catalogue(CATALOGUE_FILE)
    assert again.created == 0 and again.updated == 0 and again.unchanged == Indicator.objects.count()
    assert CatalogueVersion.objects.count() == 1
    assert AuditEvent.objects.filter(verb="indicators.catalogue_loaded").count() == 1


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SMALL = """version: {version}
groups:
- code: "I"
  name: "Nhóm một"
  rows:
  - {{code: a.total, name: "Tổng", unit: "Hồ sơ", type: integer, rollup: sum, source: entered, sum_of: [a.x, a.y]}}
  - {{code: a.x, name: "X", unit: "Hồ sơ", type: integer, rollup: sum, source: entered}}
  - {{code: a.y, name: "{y_name}", unit: "Hồ sơ", type: integer, rollup: sum, source: entered}}
{extra}"""


def test_errors_name_row_and_field_and_nothing_is_saved(no_catalogue, tmp_path):
    bad = SMALL.format(
        version=1,
        y_name="Y",
        extra="""\
  - {code: a.rate, name: "Tỷ lệ", unit: "%", type: percent, rollup: ratio, source: entered}
  - {code: a.flag, name: "Cờ", unit: "Có", type: boolean, rollup: any, source: entered}
  - {code: a.z, name: "Z", unit: "Hồ sơ", type: integer, rollup: sum, source: entered, sum_of: [a.x, a.missing]}
""",
    )
    with pytest.raises(ImportRejected) as exc:
        load_catalogue(_write(tmp_path, bad))
    messages = [str(e) for e in exc.value.errors]
    assert any(m.startswith("Dòng 9, cột “type”") and "ratio" in m for m in messages), messages
    assert any(m.startswith("Dòng 10, cột “unit”") for m in messages), messages
    assert any(m.startswith("Dòng 11, cột “sum_of” (giá trị “a.missing”)") for m in messages), messages
    assert Indicator.objects.count() == 0


def test_versions_never_rewrite_history(no_catalogue, tmp_path):
    load_catalogue(_write(tmp_path, SMALL.format(version=1, y_name="Y", extra="")))
    unit_value_setup = Indicator.objects.get(code="a.y")
    # same version, other content: refused
    with pytest.raises(ImportRejected, match="lỗi"):
        load_catalogue(_write(tmp_path, SMALL.format(version=1, y_name="Y mới", extra="")))
    # a new version renames a row and drops a.x: a.x is retired, not deleted
    v2 = SMALL.format(version=2, y_name="Y mới", extra="").replace(
        '  - {code: a.x, name: "X", unit: "Hồ sơ", type: integer, rollup: sum, source: entered}\n', ""
    ).replace("sum_of: [a.x, a.y]", "sum_of: [a.y, a.w]") + (
        '  - {code: a.w, name: "W", unit: "Hồ sơ", type: integer, rollup: sum, source: entered}\n'
    )
    result = load_catalogue(_write(tmp_path, v2))
    assert result.created == 1 and result.details["retired"] == 1
    assert Indicator.objects.get(code="a.x").retired_in == 2
    assert Indicator.objects.get(code="a.y").name == "Y mới"
    assert Indicator.objects.get(code="a.y").pk == unit_value_setup.pk
    # an older version is refused
    with pytest.raises(ImportRejected):
        load_catalogue(_write(tmp_path, SMALL.format(version=1, y_name="Y", extra="")))
    assert sorted(CatalogueVersion.objects.values_list("version", flat=True)) == [1, 2]


def test_values_keep_their_indicator_after_a_new_version(demo_org, tmp_path):
    # Versions above the shipped file's, or entering a value would load the shipped catalogue over this one.
    first = shipped_version() + 1
    load_catalogue(_write(tmp_path, SMALL.format(version=first, y_name="Y", extra="")))
    enter_value(SystemActor("test"), demo_org["000.16.21.H42"], "2021-NAM", "a.x", 4)
    load_catalogue(
        _write(
            tmp_path,
            SMALL.format(version=first + 1, y_name="Y", extra="")
            .replace('  - {code: a.x, name: "X", unit: "Hồ sơ", type: integer, rollup: sum, source: entered}\n', "")
            .replace("sum_of: [a.x, a.y]", "sum_of: [a.y, a.y2]")
            + ('  - {code: a.y2, name: "Y2", unit: "Hồ sơ", type: integer, rollup: sum, source: entered}\n'),
        )
    )
    row = IndicatorValue.objects.get()
    assert row.indicator.code == "a.x" and row.value == 4


def test_parse_choices():
    assert parse_choices("Có = 1 Không = 0") == {"1": "Có", "0": "Không"}
    assert parse_choices("Tốt = 1 Có vi phạm = 0") == {"1": "Tốt", "0": "Có vi phạm"}


def test_a_misspelt_key_is_refused_at_its_row(no_catalogue, tmp_path):
    bad = SMALL.format(version=1, y_name="Y", extra="").replace('a.x, name: "X", unit:', 'a.x, name: "X", units:')
    with pytest.raises(ImportRejected) as exc:
        load_catalogue(_write(tmp_path, bad))
    messages = [str(e) for e in exc.value.errors]
    assert "Dòng 7, cột “unit”: Thiếu đơn vị tính (unit)." in messages
    assert any(m.startswith("Dòng 7, cột “units” (giá trị “Hồ sơ”): Trường không được hỗ trợ") for m in messages)
    assert Indicator.objects.count() == 0
