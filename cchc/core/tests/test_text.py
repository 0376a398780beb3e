"""Folding Vietnamese text and the search-as-you-type matcher."""

import pytest

from cchc.core.text import EXACT, PREFIX, SLIP, FuzzyIndex, fold, within_one_edit, word_grade, words

CATALOGUE = [
    ("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch"),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", "Hộ tịch"),
    ("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch"),
    ("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch"),
    ("2.000815", "Thủ tục chứng thực bản sao từ bản chính giấy tờ văn bản", "Chứng thực"),
    ("2.000884", "Thủ tục chứng thực chữ ký trong các giấy tờ văn bản", "Chứng thực"),
    ("1.009994", "Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng"),
    ("1.003554", "Thủ tục hòa giải tranh chấp đất đai", "Đất đai"),
]


@pytest.fixture(scope="module")
def index():
    return FuzzyIndex((code, code, f"{name} {field}") for code, name, field in CATALOGUE)


def names(codes):
    by_code = {code: name for code, name, _ in CATALOGUE}
    return [by_code[c] for c in codes]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("  ĐĂNG   KÝ\tKHAI  SINH ", "dang ky khai sinh"),
        ("Chứng thực bản sao", "chung thuc ban sao"),
        ("Hòa giải tranh chấp đất đai", "hoa giai tranh chap dat dai"),
        ("Nghị định 123/2015/NĐ-CP", "nghi dinh 123/2015/nd-cp"),
        # The same word typed with combining marks (NFD, as some keyboards send it) folds the same.
        ("Đa\u0306ng ky\u0301", "dang ky"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_words_split_on_punctuation():
    assert words("Thủ tục đăng ký đất đai lần đầu (tiếp nhận tại xã)") == (
        "thu",
        "tuc",
        "dang",
        "ky",
        "dat",
        "dai",
        "lan",
        "dau",
        "tiep",
        "nhan",
        "tai",
        "xa",
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("sinh", "sinh", True),
        ("snh", "sinh", True),  # a letter missing
        ("siinh", "sinh", True),  # a letter too many
        ("sibh", "sinh", True),  # a wrong letter
        ("kahi", "khai", True),  # two letters swapped
        ("khia", "khai", True),
        ("ksah", "khai", False),
        ("sh", "sinh", False),
        ("abcd", "badc", False),  # two swaps
    ],
)
def test_within_one_edit(a, b, expected):
    assert within_one_edit(a, b) is expected
    assert within_one_edit(b, a) is expected


def test_word_grades():
    assert word_grade("sinh", "sinh") == EXACT
    assert word_grade("si", "sinh") == PREFIX
    assert word_grade("s", "sinh") == 0  # one letter is a prefix only while it is being typed
    assert word_grade("s", "sinh", typing=True) == PREFIX
    assert word_grade("snh", "sinh") == SLIP
    assert word_grade("ki", "ky") == SLIP  # kí / ký
    assert word_grade("ba", "ban") == PREFIX
    assert word_grade("ban", "bam") == 0  # short words: a slip would match half the dictionary
    assert word_grade("an", "anh") == PREFIX


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "đăng kí khai sinh",
        "dang ki khai sinh",
        "khai snh",
        "kahi sinh",
        "dang ky khai s",
        "DANG KY KHAI SINH",
        "1.001193",
        "001193",
    ],
)
def test_finds_birth_registration_first(index, query):
    assert index.search(query)[0] == "1.001193"


def test_without_diacritics_finds_only_what_has_every_word(index):
    assert names(index.search("dang ky khai sinh")) == ["Thủ tục đăng ký khai sinh", "Thủ tục đăng ký lại khai sinh"]


def test_certification_without_diacritics(index):
    found = names(index.search("chung thuc"))
    assert len(found) == 2 and all(n.startswith("Thủ tục chứng thực") for n in found)


def test_field_name_finds_its_procedures(index):
    assert set(index.search("ho tich")) == {"1.001193", "1.004884", "1.000894", "1.000656"}


def test_exact_before_prefix_before_slip():
    assert FuzzyIndex([(1, "", "khaibao"), (2, "", "khai")]).search("khai") == [2, 1]
    assert FuzzyIndex([(1, "", "khia"), (2, "", "khaibao")]).search("khai") == [2, 1]


def test_a_word_the_catalogue_has_is_taken_as_typed(index):
    # "thuc" (thực) is one letter from "tuc" (tục, in every "Thủ tục"), but it is a word of the catalogue.
    assert FuzzyIndex([(1, "", "thủ tục cấp chứng chỉ"), (2, "", "chứng thực")]).search("chung thuc") == [2]
    # The i/y spelling stays a match even so.
    assert FuzzyIndex([(1, "", "đăng ký"), (2, "", "kí hiệu")]).search("dang ki") == [1]


def test_words_in_order_side_by_side_come_first():
    idx = FuzzyIndex([(1, "", "sinh con khai báo"), (2, "", "khai sinh")])
    assert idx.search("khai sinh") == [2, 1]


def test_code_comes_first():
    idx = FuzzyIndex([(1, "1.000001", "giấy 1.001193"), (2, "1.001193", "khai sinh")])
    assert idx.search("1.001193") == [2, 1]


@pytest.mark.parametrize("query", ["dang ky xe may", "khai sinh ket hon", "qwerty", "", "   ", "…"])
def test_non_match(index, query):
    assert index.search(query) == []


def test_limit(index):
    assert len(index.search("thu tuc", limit=3)) == 3


def test_initials_keep_one_letter_a_word():
    from cchc.core.text import initials

    assert initials("Nguyễn Văn An") == "N.V.A." and initials("  đặng   thị  ") == "Đ.T." and initials("") == ""
