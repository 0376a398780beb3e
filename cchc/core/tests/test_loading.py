"""The one loader of data files: YAML with its lines, declared fields, every bad value named in Vietnamese."""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.db import models

from cchc.core import loading
from cchc.core.importing import ErrorCollector, ImportRejected
from cchc.core.loading import Field, Kind, LineDict, Where, check, check_value, line_of, read_yaml

DATA = Path(__file__).resolve().parents[2] / "data"


class Colour(models.TextChoices):
    RED = "do", "Đỏ"
    BLUE = "xanh", "Xanh"


def _check(text: str, *fields: Field, **options) -> tuple[dict, list[str]]:
    errors = ErrorCollector()
    data = read_yaml(text, errors)
    values = check(data, fields, Where(errors), **options)
    return values, [str(e) for e in errors.errors]


def test_read_yaml_keeps_the_line_of_every_key_and_item():
    errors = ErrorCollector()
    data = read_yaml("# đầu tệp\nversion: 2\nrows:\n  - {code: a}\n  -\n    code: b\n", errors)
    assert not errors and data == {"version": 2, "rows": [{"code": "a"}, {"code": "b"}]}
    assert line_of(data, "version") == 2 and line_of(data, "rows") == 3
    assert [line_of(data["rows"], i) for i in range(2)] == [4, 6]
    assert line_of(data["rows"][1], "code") == 6 and line_of(data["rows"][0]) == 4
    assert line_of(data, "absent") == 2  # an absent key: the mapping's own line (its first key)
    assert line_of({"plain": 1}, "plain") is None  # a stored snapshot has no lines
    assert json.loads(json.dumps(data)) == data and yaml.safe_dump(data) == yaml.safe_dump(json.loads(json.dumps(data)))


def test_read_yaml_names_the_line_of_a_syntax_error():
    errors = ErrorCollector()
    assert read_yaml("a: 1\nb: [x, y\nc: 3\n", errors) is None
    (error,) = errors.errors
    assert error.row == 3 and error.message.startswith("Tệp YAML sai cú pháp")
    with pytest.raises(ImportRejected):
        errors.raise_if_any()


def _lines(data) -> object:
    """The data with the line of every mapping, key and item, as plain values to compare."""
    if isinstance(data, dict):
        return (data.line, data.key_lines, {k: _lines(v) for k, v in data.items()})
    if isinstance(data, list):
        return (data.line, data.item_lines, [_lines(v) for v in data])
    return data


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yaml")), ids=lambda p: p.relative_to(DATA).as_posix())
def test_libyaml_reads_every_shipped_file_as_the_python_parser_does(path, monkeypatch):
    """read_yaml parses with libyaml: every data file gives the same values and the same lines as PyYAML's
    own parser (the lines are what a Vietnamese error message names)."""
    text = path.read_text(encoding="utf-8")
    assert issubclass(loading._LineLoader, yaml.CSafeLoader)
    fast = read_yaml(text, ErrorCollector())

    class PythonLoader(yaml.SafeLoader):
        yaml_constructors = loading._LineLoader.yaml_constructors

    monkeypatch.setattr(loading, "_LineLoader", PythonLoader)
    slow = read_yaml(text, ErrorCollector())
    assert fast is not None and _lines(fast) == _lines(slow)


@pytest.mark.parametrize(
    "text, line",
    [("a: 1\nb: [x, y\nc: 3\n", 3), ("a: 1\n  b: 2\n", 2), ("- a\nb: 1\n", 2), ("a: 'x\n", 2), ("a:\n\tb: 1\n", 2)],
)
def test_a_syntax_error_names_its_line(text, line):
    errors = ErrorCollector()
    assert read_yaml(text, errors) is None
    (error,) = errors.errors
    assert error.row == line, error


def test_text_required_default_pattern_and_spaces():
    fields = (
        Field("code", required=True, pattern=re.compile(r"^[a-z]+$"), invalid="mã viết thường, không dấu."),
        Field("name", required=True, missing="Thiếu tên."),
        Field("note", default="—"),
        Field("body", join_spaces=True),
    )
    values, errors = _check("code: Mã1\nname: '  '\nbody: |\n  hai\n  dòng\n", *fields)
    assert errors == [
        "Dòng 1, cột “code” (giá trị “Mã1”): Mã viết thường, không dấu.",
        "Dòng 2, cột “name”: Thiếu tên.",
    ]
    assert values == {"code": None, "name": None, "note": "—", "body": "hai dòng"} and not values.ok
    values, errors = _check("code: abc\nname: 12\n", *fields)
    assert values.ok and values["name"] == "12" and errors == []
    _, errors = _check("code: [a]\nname: x\n", *fields)
    assert errors == ["Dòng 1, cột “code” (giá trị “['a']”): Mã viết thường, không dấu."]


@pytest.mark.parametrize(
    "written, expected",
    [("12", 12), ("'12'", 12), ("12.0", 12), ("-3", -3)],
)
def test_integer_accepts(written, expected):
    values, errors = _check(f"n: {written}\n", Field("n", Kind.INTEGER))
    assert errors == [] and values["n"] == expected and isinstance(values["n"], int)


@pytest.mark.parametrize("written", ["1,5", "true", "mười", "[1]", "'1.000'"])
def test_integer_refuses(written):
    values, errors = _check(f"\nn: {written}\n", Field("n", Kind.INTEGER))
    assert values["n"] is None and len(errors) == 1
    assert errors[0].startswith("Dòng 2, cột “n” (giá trị") and errors[0].endswith("Phải là một số nguyên.")


def test_integer_bounds():
    field = Field("year", Kind.INTEGER, minimum=2000, maximum=2100)
    assert _check("year: 2023", field)[1] == []
    assert _check("year: 1999", field)[1] == ["Dòng 1, cột “year” (giá trị “1999”): Không được nhỏ hơn 2.000."]
    assert _check("year: 2101", field)[1] == ["Dòng 1, cột “year” (giá trị “2101”): Không được lớn hơn 2.100."]


@pytest.mark.parametrize(
    "written, expected",
    [("2,5", "2.5"), ("'2,5'", "2.5"), ("2.5", "2.5"), ("3", "3"), ("0.25", "0.25"), ("' 1,25 '", "1.25")],
)
def test_decimal_reads_vietnamese_marks(written, expected):
    values, errors = _check(f"max: {written}\n", Field("max", Kind.DECIMAL))
    assert errors == [] and values["max"] == Decimal(expected) and isinstance(values["max"], Decimal)


@pytest.mark.parametrize("written", ["nhiều", "true", ".nan", ".inf", "1.234,5", "'2,5 điểm'", "{a: 1}"])
def test_decimal_refuses(written):
    values, errors = _check(f"max: {written}\n", Field("max", Kind.DECIMAL))
    assert values["max"] is None
    assert len(errors) == 1 and errors[0].endswith("Phải là một số (ví dụ 2,5 hoặc 2.5).")


def test_decimal_sign_bounds_and_places_speak_vietnamese_numbers():
    points = Field("max", Kind.DECIMAL, positive=True, places=2)
    assert _check("max: 0", points)[1] == ["Dòng 1, cột “max” (giá trị “0”): Phải là số dương."]
    assert _check("max: 0,125", points)[1] == [
        "Dòng 1, cột “max” (giá trị “0,125”): Chỉ được có tối đa 2 chữ số thập phân."
    ]
    bounded = Field("min", Kind.DECIMAL, minimum=0, maximum=Decimal("99.5"))
    assert _check("min: 99,75", bounded)[1] == ["Dòng 1, cột “min” (giá trị “99,75”): Không được lớn hơn 99,5."]
    assert _check("min: -1", bounded)[1] == ["Dòng 1, cột “min” (giá trị “-1”): Không được âm."]


@pytest.mark.parametrize(
    "written",
    ["2024-02-20", "'20/02/2024'", "'20-02-2024'", "'ngày 20 tháng 02 năm 2024'", "2024-02-20 08:30:00"],
)
def test_date_in_every_written_form(written):
    values, errors = _check(f"day: {written}\n", Field("day", Kind.DATE))
    assert errors == [] and values["day"] == dt.date(2024, 2, 20) and type(values["day"]) is dt.date


def test_date_refuses_other_wordings_and_impossible_days():
    field = Field("day", Kind.DATE)
    assert _check("day: 'hôm qua'", field)[1] == [
        "Dòng 1, cột “day” (giá trị “hôm qua”): Phải là một ngày dạng dd/mm/yyyy (hoặc yyyy-mm-dd)."
    ]
    assert _check("day: '31/02/2024'", field)[1] == ["Dòng 1, cột “day” (giá trị “31/02/2024”): Ngày không tồn tại."]
    assert _check("day: 20240220", field)[1][0].endswith("(hoặc yyyy-mm-dd).")


@pytest.mark.parametrize(
    "written, expected",
    [("true", True), ("false", False), ("có", True), ("Không", False), ("1", True), ("0", False), ("'yes'", True)],
)
def test_bool_wordings(written, expected):
    values, errors = _check(f"flag: {written}\n", Field("flag", Kind.BOOL, default=True))
    assert errors == [] and values["flag"] is expected


def test_bool_refuses_other_words_and_keeps_its_default():
    field = Field("flag", Kind.BOOL, default=True)
    assert _check("other: 1", field, allow_unknown=True)[0]["flag"] is True
    values, errors = _check("flag: 'có lẽ'", field)
    assert values["flag"] is None and errors == [
        "Dòng 1, cột “flag” (giá trị “có lẽ”): Phải là có hoặc không (true/false)."
    ]


def test_choice_of_an_enum_returns_the_member_and_lists_the_allowed_values():
    field = Field("colour", Kind.CHOICE, choices=Colour, required=True)
    values, errors = _check("colour: xanh", field)
    assert errors == [] and values["colour"] is Colour.BLUE
    _, errors = _check("colour: tím", field)
    assert errors == ["Dòng 1, cột “colour” (giá trị “tím”): Phải là một trong: do, xanh."]
    _, errors = _check("colour: tím", Field("colour", Kind.CHOICE, choices=("a", "b"), invalid="Màu là a hoặc b."))
    assert errors == ["Dòng 1, cột “colour” (giá trị “tím”): Màu là a hoặc b."]


def test_list_items_are_checked_each_at_its_own_line():
    field = Field("levels", Kind.LIST, required=True, item=Field("levels", Kind.CHOICE, choices=("xa", "tinh")))
    values, errors = _check("levels:\n  - xa\n  - quan\n  - tinh\n", field)
    assert values["levels"] is None and errors == [
        "Dòng 3, cột “levels” (giá trị “quan”): Phải là một trong: xa, tinh."
    ]
    values, _ = _check("levels: [xa, tinh]", field)
    assert values["levels"] == ["xa", "tinh"]
    assert _check("levels: []", field)[1] == ["Dòng 1, cột “levels”: Bắt buộc, không được để trống."]
    assert _check("levels: xa", field)[1] == ["Dòng 1, cột “levels” (giá trị “xa”): Phải là một danh sách."]


def test_mapping_fields_nested_with_their_names():
    ratio = Field(
        "ratio",
        Kind.MAPPING,
        fields=(
            Field("numerator", Kind.LIST, required=True, item=Field("numerator")),
            Field("denominator", required=True),
        ),
    )
    values, errors = _check("ratio:\n  numerator: [a, b]\n  denominator: c\n", ratio)
    assert errors == [] and values["ratio"] == {"numerator": ["a", "b"], "denominator": "c"}
    values, errors = _check("ratio:\n  numerator: [a]\n  denom: c\n", ratio)
    assert values["ratio"] is None
    assert errors == [
        "Dòng 2, cột “ratio.denominator”: Bắt buộc, không được để trống.",
        "Dòng 3, cột “ratio.denom” (giá trị “c”): Trường không được hỗ trợ (dùng: numerator, denominator).",
    ]
    assert _check("ratio: 5", ratio)[1] == ["Dòng 1, cột “ratio” (giá trị “5”): Phải là một bảng (khóa: giá trị)."]


def test_unknown_keys_are_errors_unless_allowed():
    fields = (Field("code"), Field("name"))
    _, errors = _check("code: a\nnmae: Tên\n", *fields)
    assert errors == ["Dòng 2, cột “nmae” (giá trị “Tên”): Trường không được hỗ trợ (dùng: code, name)."]
    assert _check("code: a\nnmae: Tên\n", *fields, allow_unknown=True)[1] == []


def test_every_error_of_a_mapping_is_collected_and_not_a_mapping_is_one_error():
    fields = (Field("a", Kind.INTEGER), Field("b", Kind.DATE), Field("c", Kind.BOOL, required=True))
    values, errors = _check("a: x\nb: y\n", *fields)
    assert [e.split(":")[0] for e in errors] == [
        "Dòng 1, cột “a” (giá trị “x”)",
        "Dòng 2, cột “b” (giá trị “y”)",
        "Dòng 1, cột “c”",
    ]
    values, errors = _check("- a\n- b\n", *fields)
    assert not values.ok and errors == ["Dòng 1 (giá trị “['a', 'b']”): Phải là một bảng (khóa: giá trị)."]


def test_where_names_an_item_by_code_with_a_prefix_and_keeps_the_row_when_asked():
    errors = ErrorCollector()
    data = read_yaml("rows:\n  - code: a\n    max: nhiều\n", errors)
    row = data["rows"][0]
    check(row, (Field("code"), Field("max", Kind.DECIMAL)), Where(errors, row="1.2", capital=False))
    check(row, (Field("code"), Field("max", Kind.DECIMAL)), Where(errors, row=line_of(row), field_lines=False))
    check(row, (Field("code"), Field("max", Kind.DECIMAL)), Where(errors, prefix="Thành phần “a”, "))
    assert [(e.row, e.message) for e in errors.errors] == [
        ("1.2", "phải là một số (ví dụ 2,5 hoặc 2.5)."),
        (2, "Phải là một số (ví dụ 2,5 hoặc 2.5)."),
        (3, "Thành phần “a”, phải là một số (ví dụ 2,5 hoặc 2.5)."),
    ]


def test_a_file_wording_for_bounds_and_a_decimal_already_read():
    field = Field("max", Kind.DECIMAL, positive=True, invalid="điểm phải là số.", out_of_range="điểm phải dương.")
    assert _check("max: x", field)[1] == ["Dòng 1, cột “max” (giá trị “x”): Điểm phải là số."]
    assert _check("max: -2", field)[1] == ["Dòng 1, cột “max” (giá trị “-2”): Điểm phải dương."]
    errors = ErrorCollector()
    assert check_value(field, Decimal("0.75"), Where(errors)) == Decimal("0.75")
    assert check_value(field, Decimal("NaN"), Where(errors)) is None and errors.total == 1


def test_check_value_alone_and_plain_dicts_without_lines():
    errors = ErrorCollector()
    where = Where(errors)
    assert check_value(Field("x", Kind.DECIMAL), "0,5", where) == Decimal("0.5")
    assert check_value(Field("x", Kind.DECIMAL, default=Decimal(1)), None, where) == Decimal(1)
    assert check_value(Field("x", Kind.DECIMAL), "?", where, row=7, name="steps[1]") is None
    values = check({"a": "1"}, (Field("a", Kind.INTEGER),), where)
    assert values == {"a": 1} and isinstance(LineDict(), dict)
    assert [(e.row, e.field) for e in errors.errors] == [(7, "steps[1]")]
