import pytest

from cchc.accounts.models import Role
from cchc.documents.services import issue_number
from cchc.documents.symbols import SymbolError, format_symbol, parse_symbol


@pytest.mark.parametrize(
    ("text", "number", "type_code", "body", "year"),
    [
        ("303/BC-UBND", 303, "BC", "UBND", None),
        ("Số: 12/KH-UBND", 12, "KH", "UBND", None),
        ("140/QĐ-UBND", 140, "QĐ", "UBND", None),
        ("54/2019/QĐ-UBND", 54, "QĐ", "UBND", 2019),
        ("123/UBND-VP", 123, None, "UBND-VP", None),
        ("76/NQ-CP", 76, "NQ", "CP", None),
        ("04/KH-UBND", 4, "KH", "UBND", None),
    ],
)
def test_parse_good_symbols(text, number, type_code, body, year):
    parsed = parse_symbol(text)
    assert (parsed.number, parsed.type_code, parsed.body, parsed.year) == (number, type_code, body, year)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("78/CV-UBND", "công văn không ghi tên loại"),
        ("BC-UBND", "không đúng dạng"),
        ("303/BC", "không đúng dạng"),
        ("0/BC-UBND", "bắt đầu từ 01"),
        ("303/bc-UBND", "không phải là chữ viết tắt"),
    ],
)
def test_bad_symbols_are_explained(text, message):
    with pytest.raises(SymbolError, match=message):
        parse_symbol(text)


def test_format_pads_numbers_under_ten():
    assert format_symbol(3, "BC", "UBND") == "03/BC-UBND"
    assert format_symbol(303, "BC", "UBND") == "303/BC-UBND"
    assert format_symbol(12, None, "UBND-VP") == "12/UBND-VP"


def test_numbers_run_per_unit_type_and_year(demo_org, make_user):
    officer = make_user("cb", Role.COMMUNE_OFFICER, demo_org["000.16.21.H42"])
    son_tay, son_lam = demo_org["000.16.21.H42"], demo_org["000.13.21.H42"]
    assert issue_number(officer, son_tay, 2021, "BC") == "01/BC-UBND"
    assert issue_number(officer, son_tay, 2021, "BC") == "02/BC-UBND"
    assert issue_number(officer, son_tay, 2021, "KH") == "01/KH-UBND"
    assert issue_number(officer, son_tay, 2022, "BC") == "01/BC-UBND"
    assert issue_number(officer, son_lam, 2021, "BC") == "01/BC-UBND"
    assert issue_number(officer, son_tay, 2021, None, drafting_unit="VP") == "01/UBND-VP"
    with pytest.raises(ValueError, match="không phải là chữ viết tắt"):
        issue_number(officer, son_tay, 2021, "XX")
