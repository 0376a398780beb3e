"""The formulas as data: redistribution, the payment formula, no data ≠ 0, the version of a period, loading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from cchc.accounts.actors import SystemActor
from cchc.feedback.models import FeedbackItem
from cchc.index766.formulas import DATA_DIR, version_for
from cchc.index766.models import FormulaVersion
from cchc.index766.selectors import index_for

ACTOR = SystemActor("test")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
SHIPPED = DATA_DIR / "qd766-2022.1.yaml"


def _returned(returned, unit, **fields):
    return returned(unit, date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 5), **fields)


def test_shipped_version_is_loaded_at_migrate(db):
    version = FormulaVersion.objects.get(code="2022.1")
    assert "766/QĐ-TTg" in version.source and version.valid_from == date(2022, 6, 23)


def test_no_feedback_moves_its_points_to_the_other_component_of_the_group(org, dossier, returned):
    _returned(returned, org["A"])
    group = next(g for g in index_for(org["A"], *MARCH, actor=ACTOR).groups if g.code == "hai_long")
    comps = {c.code: c for c in group.components}
    assert comps["phan_anh_dung_han"].no_data and comps["phan_anh_dung_han"].max_points == 0
    assert comps["hai_long_phan_anh"].no_data and comps["hai_long_phan_anh"].max_points == 0
    # The one on-time, uncomplained dossier: 6 × 100% ÷ 90% capped at 6, spread to 18 (6 + 12 × 6/6).
    assert comps["hai_long_ho_so"].max_points == Decimal("18.00") and comps["hai_long_ho_so"].points == Decimal("18.00")
    assert (group.points, group.max_points) == (Decimal("18.00"), Decimal("18.00"))


def test_with_feedback_nothing_is_spread(org, dossier, returned):
    _returned(returned, org["A"])
    FeedbackItem.objects.create(
        unit=org["A"],
        received_on=date(2026, 3, 2),
        channel="truc_tiep",
        citizen_name="B",
        content="x",
        deadline=date(2026, 3, 20),
        answered_on=date(2026, 3, 25),
        satisfied=True,
    )
    group = next(g for g in index_for(org["A"], *MARCH, actor=ACTOR).groups if g.code == "hai_long")
    comps = {c.code: c for c in group.components}
    assert (comps["phan_anh_dung_han"].points, comps["phan_anh_dung_han"].max_points) == (Decimal(0), Decimal(6))
    assert comps["hai_long_phan_anh"].points == Decimal(6)
    assert comps["hai_long_ho_so"].max_points == Decimal(6)


def test_payment_formula_with_a_b_c_by_hand(org, dossier, returned, procs):
    # Procedures with fees: TT1 (online payment, fee dossiers), TT2 (online payment), TT3 (neither) → B = 2/3,
    # C = 1/3. Fee dossiers 4, paid online 1 → A = 1/4. Score 6 × 0,25 + min(2; 2,5 × 2/3) + 2,5 × 1/3
    # = 1,5 + 1,6667 + 0,8333 = 4,00.
    from cchc.dossiers.models import Procedure

    Procedure.objects.filter(pk=procs["full"].pk).update(has_fee=True, online_payment=True)
    Procedure.objects.filter(pk=procs["plain"].pk).update(has_fee=True, online_payment=True)
    Procedure.objects.create(
        code="TT3", name="Cấp bản sao", field=procs["field"], level="xa", has_fee=True, online_payment=False
    )
    for paid in (True, False, False, False):
        _returned(returned, org["A"], procedure=procs["full"], fee_due=8000, paid_online=paid)
    result = index_for(org["A"], *MARCH, actor=ACTOR).component("thanh_toan_truc_tuyen")
    assert (result.numerator, result.denominator, result.ratio) == (1, 4, Decimal("0.2500"))
    assert result.points == Decimal("4.00")


def test_nothing_known_is_no_data_never_zero(org, dossier, returned):
    _returned(returned, org["A"])  # e_result, digitised… left NULL (an import without those columns)
    result = index_for(org["A"], *MARCH, actor=ACTOR)
    e_result = result.component("ket_qua_dien_tu")
    assert e_result.no_data and e_result.points is None and e_result.max_points == Decimal(6)
    assert "ket_qua_dien_tu" in result.no_data_components
    # Left out of the total and of its maximum, not counted as 0 out of 6.
    assert result.max_total == sum(g.max_points for g in result.groups)
    assert all(c.code != "ket_qua_dien_tu" for g in result.groups for c in g.components if not c.no_data)
    _returned(returned, org["A"], e_result=False)
    again = index_for(org["A"], *MARCH, actor=ACTOR).component("ket_qua_dien_tu")
    assert (again.no_data, again.points, again.denominator) == (False, Decimal(0), 1)


def _second_version(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "qd766-test.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path, data


def test_the_version_valid_on_the_period_end_is_used(org, dossier, returned, tmp_path):
    path, data = _second_version(tmp_path, version="2026.1", valid_from=date(2026, 4, 1))
    tien_do = next(c for c in data["components"] if c["code"] == "tien_do")
    tien_do["score"] = "max * ratio * ratio"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("index766", "load-formulas", str(path))
    _returned(returned, org["A"])
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 4))  # pending and late: tiến độ 1/2
    returned(org["A"], date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 3))
    dossier(org["A"], date(2026, 4, 2), date(2026, 4, 3))
    assert version_for(date(2026, 3, 31)).code == "2022.1" and version_for(date(2026, 4, 30)).code == "2026.1"
    march = index_for(org["A"], *MARCH, actor=ACTOR)
    april = index_for(org["A"], date(2026, 4, 1), date(2026, 4, 30), actor=ACTOR)
    assert (march.version, march.component("tien_do").points) == ("2022.1", Decimal("10.00"))
    assert (april.version, april.component("tien_do").points) == ("2026.1", Decimal("5.00"))


def test_load_formulas_refuses_an_unknown_measure_naming_component_and_field(db, tmp_path):
    path, data = _second_version(tmp_path, version="2026.2")
    data["components"][0]["numerator"] = "procedures_announced_by_magic"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("index766", "load-formulas", str(path), "--dry-run")
    assert "Tệp bị từ chối" in str(caught.value)
    from cchc.core.importing import ImportRejected
    from cchc.index766.formulas import read_text

    with pytest.raises(ImportRejected) as rejected:
        read_text(path.read_text(encoding="utf-8"))
    (error,) = rejected.value.errors
    assert error.field == "numerator" and error.value == "procedures_announced_by_magic"
    assert "Thành phần “cong_bo_dung_han”" in error.message and "không có số đo" in error.message
    assert not FormulaVersion.objects.filter(code="2026.2").exists()


def test_loading_the_same_version_again_changes_nothing_and_other_content_is_refused(db, tmp_path):
    call_command("index766", "load-formulas", str(SHIPPED))
    assert FormulaVersion.objects.count() == 1
    path, data = _second_version(tmp_path)  # same version code, other content
    data["name"] = "khác"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("index766", "load-formulas", str(path))


def test_online_dossier_counts_with_an_electronic_result_and_full_points_at_half(org, returned, procs):
    full = procs["full"]
    returned(org["A"], date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 5), procedure=full, channel="truc_tuyen")
    returned(
        org["A"],
        date(2026, 3, 2),
        date(2026, 3, 20),
        date(2026, 3, 5),
        procedure=full,
        channel="truc_tuyen",
        e_result=False,
    )  # paper result only: not counted as online
    for _ in range(2):
        returned(org["A"], date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 5), procedure=full)
    returned(org["A"], date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 5), channel="truc_tuyen")  # not eligible
    result = index_for(org["A"], *MARCH, actor=ACTOR).component("ho_so_truc_tuyen")
    # 1 of 4 = 25%: 8 × 0,25 ÷ 0,5 = 4 (full points from 50%).
    assert (result.numerator, result.denominator, result.points) == (1, 4, Decimal("4.00"))


def test_errors_name_the_line_and_dates_read_as_written_in_vietnam():
    from cchc.core.importing import ImportRejected
    from cchc.index766.formulas import read_text

    text = SHIPPED.read_text(encoding="utf-8")
    _, formula = read_text(text.replace("valid_from: 2022-06-23", "valid_from: 23/06/2022", 1))
    assert formula.valid_from == date(2022, 6, 23)
    broken = text.replace("valid_from: 2022-06-23", "valid_from: 2022-13-23", 1).replace(
        "    max: 6\n", "    max: 0\n", 1
    )
    with pytest.raises(ImportRejected) as rejected:
        read_text(broken)
    errors = {e.field: e for e in rejected.value.errors}
    assert errors["valid_from"].message == "Ngày không tồn tại."
    assert broken.splitlines()[errors["valid_from"].row - 1].startswith("valid_from: 2022-13-23")
    assert errors["max"].message == "Thành phần “cong_bo_dung_han”, điểm tối đa phải là số dương."
    assert broken.splitlines()[errors["max"].row - 1] == "    max: 0"
