import json
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.accounts.actors import SystemActor
from cchc.core.registry import demo_steps
from cchc.indicators.demo import DEMO_UNIT, DEMO_VALUES, SEEDED_INCONSISTENCY, enter_demo_values
from cchc.indicators.models import IndicatorValue
from cchc.indicators.validation import analyse, check_submission

PROVINCE = "000.00.00.H42"


@pytest.fixture
def demo_values(demo_org):
    lines: list[str] = []
    enter_demo_values(lines.append)
    return lines


def test_demo_step_is_registered_and_idempotent(demo_values, demo_org):
    step = next(s for s in demo_steps() if s.name == "Số liệu chỉ tiêu")
    assert step.order == 30
    count = IndicatorValue.objects.count()
    assert count == sum(len(values) for values in DEMO_VALUES.values())
    assert set(IndicatorValue.objects.values_list("unit__code", flat=True)) == {DEMO_UNIT}
    lines: list[str] = []
    enter_demo_values(lines.append)
    assert IndicatorValue.objects.count() == count
    assert "(0 mới hoặc thay đổi)" in lines[0]


def test_analysis_over_the_demo_province_finds_the_seeded_inconsistency_and_nothing_else(demo_values):
    results = analyse(PROVINCE, "2021-Q1", "2025-NAM")
    assert [(r.period.code, r.rule.code, r.unit.code) for r in results] == [(*SEEDED_INCONSISTENCY, DEMO_UNIT)]
    found = results[0]
    assert found.left == 3 and found.right == 2 and found.rule.importance == "high"


def test_check_submission(demo_values, demo_org):
    blocked = check_submission(DEMO_UNIT, "2024-NAM")
    assert not blocked.can_submit and [r.rule.code for r in blocked.blocking] == ["tong.discipline.total"]
    clean = check_submission(DEMO_UNIT, "2021-NAM")
    assert clean.can_submit and not clean.needs_comment
    # a medium-importance failure does not block but needs a comment
    from cchc.indicators.services import enter_value

    enter_value(SystemActor("test"), demo_org[DEMO_UNIT], "2021-NAM", "staff.quota", 20)
    enter_value(SystemActor("test"), demo_org[DEMO_UNIT], "2021-NAM", "staff.present", 21)
    warned = check_submission(DEMO_UNIT, "2021-NAM")
    assert warned.can_submit and warned.needs_comment
    assert [r.rule.code for r in warned.warnings] == ["staff.present_le_quota"]


def _run(*args) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_cli_values_text_and_json(demo_values):
    text = _run("values", "--unit", DEMO_UNIT, "--period", "2024-NAM")
    assert text.startswith("Xã Sơn Tây [000.16.21.H42] — Năm 2024 (từ 15/12/2023 đến 14/12/2024)")
    assert "I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC" in text
    assert "Tỷ lệ thực hiện nhiệm vụ tuyên truyền theo kế hoạch [%]: 83,33%" in text
    assert "Nhập tay: cchc demo" in text and "Chưa có số liệu: chưa có nguồn số liệu" in text
    assert (
        "Có thực hiện tuyên truyền CCHC thường xuyên thông qua các cuộc họp, hội nghị, hội thi, hội diễn, ... "
        "[Có = 1 Không = 0]: 1 (Có)" in text
    )
    data = json.loads(_run("values", "--unit", PROVINCE, "--period", "2024-NAM", "--json"))
    assert data["period"] == {
        "code": "2024-NAM",
        "name": "Năm 2024",
        "start": "2023-12-15",
        "end": "2024-12-14",
        "due_date": "2024-12-20",
    }
    by_code = {v["code"]: v for v in data["values"]}
    # an area figure adds up the communes' entries; an own figure of the province is not theirs
    assert by_code["leaders.commune_ppc"]["value"] == 3 and by_code["leaders.commune_ppc"]["source"] == "rollup"
    assert by_code["procedures.in_force"]["value"] is None and by_code["procedures.in_force"]["source"] == "missing"
    assert by_code["propaganda.plan_rate"]["value"] is None
    # Registered by the dossiers app, but no unit keeps dossiers in the product here: unknown, not 0.
    assert by_code["dossiers.commune.received"]["source"] == "missing"
    assert by_code["dossiers.commune.received"]["value"] is None
    assert "không quản lý" in by_code["dossiers.commune.received"]["missing_reason"]


def test_cli_validate_and_period(demo_values):
    text = _run("validate", "--unit", PROVINCE, "--from-period", "2021-Q1", "--to-period", "2024-NAM")
    assert "[Cao] 2024-NAM · Xã Sơn Tây [000.16.21.H42]" in text and "3 = 2 không đúng" in text
    assert text.rstrip().endswith("Tìm thấy 1 sai lệch.")
    none = _run("validate", "--unit", PROVINCE, "--from-period", "2021-Q1", "--to-period", "2021-NAM")
    assert none.rstrip().endswith("Không có sai lệch nào.")
    data = json.loads(
        _run("validate", "--unit", PROVINCE, "--from-period", "2024-Q1", "--to-period", "2024-NAM", "--json")
    )
    assert data["count"] == 1 and data["results"][0]["rule"] == "tong.discipline.total"
    assert _run("period", "2021-Q3").strip() == (
        "2021-Q3: Quý III năm 2021, từ 15/06/2021 đến 14/09/2021, hạn báo cáo 20/09/2021."
    )


def test_cli_load_catalogue_and_check_rules(no_catalogue, tmp_path):
    # 211 rows of the appendix and its parts + 3 of the public pages (version 2) … + 10 page figures (version 5)
    assert "Kiểm tra thử (không lưu): thêm mới 248" in _run("load-catalogue", "--dry-run")
    assert _run("load-catalogue").startswith("Đã nạp: thêm mới 248")
    assert _run("load-catalogue").startswith("Đã nạp: thêm mới 0, cập nhật 0, không đổi 248")
    assert _run("check-rules").startswith("Tệp hợp lệ: 25 quy tắc khai báo, 49 quy tắc sinh từ danh mục.")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ngroups:\n- code: I\n  name: N\n  rows:\n  - {code: X, name: x}\n", encoding="utf-8")
    from django.core.management.base import CommandError

    err = StringIO()
    with pytest.raises(CommandError, match="không có dữ liệu nào được lưu"):
        call_command("indicators", "load-catalogue", str(bad), stdout=StringIO(), stderr=err)
    assert "Dòng 6, cột “code” (giá trị “X”)" in err.getvalue()
