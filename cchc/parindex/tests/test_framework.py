"""Loading criteria sets: the shipped demo set, and clear Vietnamese errors naming criterion and field."""

from decimal import Decimal

import pytest
import yaml

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.parindex import services
from cchc.parindex.framework import DEMO_FRAMEWORK_FILE, load_framework, load_framework_file, parse_framework
from cchc.parindex.models import Criterion, Framework

pytestmark = pytest.mark.django_db


def _data():
    return yaml.safe_load(DEMO_FRAMEWORK_FILE.read_text(encoding="utf-8"))


def _errors(data) -> list[str]:
    with pytest.raises(ImportRejected) as exc:
        parse_framework(data)
    return [str(e) for e in exc.value.errors]


def test_demo_set_loads_with_100_points_in_8_fields(demo_set):
    fields = list(demo_set.criteria.filter(parent=None).order_by("position"))
    assert [f.code for f in fields] == [str(i) for i in range(1, 9)]
    main = sum((f.max_points for f in fields), Decimal(0))
    assert main == Decimal(100)
    leaves = Criterion.objects.filter(framework=demo_set, is_leaf=True)
    assert {c.rule_type for c in leaves} == {
        "manual",
        "yes_no",
        "thresholds",
        "proportional",
        "deduction",
        "survey",
        "bonus",
        "penalty",
    }
    assert leaves.get(code="3.4.1").indicator == "dossiers.commune.on_time_rate"
    assert leaves.get(code="7.1.1.3").parent.parent.code == "7.1"
    assert demo_set.bands[0] == {"name": "Tốt", "min": "90"}


def test_reloading_the_same_file_changes_nothing(demo_set):
    _, result = load_framework_file(DEMO_FRAMEWORK_FILE, "test")
    assert (result.created, result.updated, result.unchanged) == (0, 0, demo_set.criteria.count())


def test_parent_max_must_equal_sum_of_children():
    data = _data()
    data["criteria"][0]["max"] = 13
    errors = _errors(data)
    assert any(
        "Tiêu chí “1”, trường “max”" in e and "tổng điểm các tiêu chí con: 1.1: 2 + 1.2: 1" in e and "= 12." in e
        for e in errors
    ), errors


def test_errors_name_the_criterion_and_the_field():
    data = _data()
    field3 = data["criteria"][2]["children"]
    results = next(c for c in field3 if c["code"] == "3.4")["children"]
    results[0]["rule"]["indicator"] = "dossiers.on_time_rate"
    results[1]["rule"] = {"type": "theo-y-thich"}
    results[2]["max"] = "nhiều"
    results[3]["code"] = "3.5.9"
    errors = _errors(data)
    expected = "Tiêu chí “3.4.1”, trường “rule.indicator” (giá trị “dossiers.on_time_rate”)"
    assert any(e.startswith(expected) for e in errors)
    assert any(e.startswith("Tiêu chí “3.4.2”, trường “rule.type”") for e in errors)
    assert any(e.startswith("Tiêu chí “3.4.3”, trường “max” (giá trị “nhiều”)") for e in errors)
    assert any("“3.5.9”" in e and "phải bắt đầu bằng mã tiêu chí cha “3.4.”" in e for e in errors)


def test_total_must_be_100_and_steps_within_max():
    data = _data()
    data["criteria"].pop()  # drop field 8 (33 points)
    assert any("tổng điểm tối đa các lĩnh vực phải bằng 100" in e for e in _errors(data))
    data = _data()
    rule = data["criteria"][0]["children"][3]["children"][0]["rule"]  # 1.4.1, max 1
    rule["steps"] = [[100, 2], [80, 0.5]]
    assert any("Tiêu chí “1.4.1”, trường “rule.steps[1] điểm”" in e for e in _errors(data))


def test_a_set_with_assessments_is_never_edited_in_place(demo_set, demo_org):
    services.start_assessment(SystemActor("test"), demo_set, demo_org["000.16.21.H42"])
    data = _data()
    data["criteria"][0]["children"][4]["name"] = "Đổi mới sáng tạo (sửa)"
    with pytest.raises(ImportRejected, match="1 lỗi") as exc:
        load_framework(parse_framework(data), "test")
    assert "không được sửa tại chỗ" in str(exc.value.errors[0])
    assert Criterion.objects.get(framework=demo_set, code="1.5").name.startswith("Đổi mới, sáng tạo")
    data["code"] = "xa-2023-demo-v2"
    load_framework(parse_framework(data), "test")
    assert Framework.objects.count() == 2


def test_errors_of_a_yaml_file_name_the_line_of_each_criterion(tmp_path):
    from cchc.parindex.framework import read_framework_file

    text = DEMO_FRAMEWORK_FILE.read_text(encoding="utf-8").replace(
        '{code: "1.1.1", name: "Ban hành kế hoạch CCHC năm kịp thời", max: 1,',
        '{code: "1.1.1", name: "Ban hành kế hoạch CCHC năm kịp thời", max: 1, maxx: 2,',
        1,
    )
    path = tmp_path / "bo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        read_framework_file(path)
    (error,) = [str(e) for e in exc.value.errors]
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "maxx: 2" in row)
    assert error.startswith(f"Dòng {line} (tiêu chí “1.1.1”), trường “maxx” (giá trị “2”): trường không được hỗ trợ")
