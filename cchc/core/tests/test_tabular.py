"""One reader of tables for every import (``core.tabular``): the CSV's separator read from its header line, UTF-8
or a Vietnamese error, a broken workbook refused in Vietnamese without calamine's English or a path."""

import pytest

from cchc.core.importing import ImportRejected
from cchc.core.tabular import csv_delimiter, decode_csv, read_table, workbook_rows
from cchc.indicators.importing import read_file


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ma;ten;ghi_chu\n1;a;b, c, d, e, f\n", ";"),  # commas in a later note do not outvote the header
        ("ma,ten\n1,a;b;c;d\n", ","),
        ("ma\tten\tso\n1\ta\t2\n", "\t"),
        ("ma\n1, 2\n", ","),  # one column: the CSV default
        ("ma;ten", ";"),  # no line break at all
    ],
)
def test_the_header_line_decides_the_separator(text, expected):
    assert csv_delimiter(text) == expected


def test_the_same_rule_in_every_csv_reader():
    content = "ma;ten;ghi_chu\n1;Xã A;ghi chú, có, nhiều, dấu phẩy, hơn, tiêu đề\n".encode()
    header, rows = read_table("bang.csv", content)
    assert header == ["ma", "ten", "ghi_chu"] and next(rows)[2].startswith("ghi chú, có")


def test_a_file_not_in_utf8_is_refused_in_vietnamese():
    with pytest.raises(ImportRejected) as caught:
        decode_csv("mã;tên".encode("utf-16"))
    assert "mã hóa UTF-8" in str(caught.value.errors[0])


def test_a_broken_workbook_is_refused_in_vietnamese_without_the_readers_words(tmp_path):
    junk = b"PK\x03\x04 not really a workbook"
    for attempt in (lambda: workbook_rows(junk), lambda: read_file("chi_tieu.xlsx", junk)):
        with pytest.raises(ImportRejected) as caught:
            attempt()
        message = str(caught.value.errors[0])
        assert "bảng tính" in message and not any(w in message for w in ("Error", "error", "calamine", str(tmp_path)))
