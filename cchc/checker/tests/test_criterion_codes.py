"""Criterion codes (3.4, 1.4.2, 7.1.2.2) are names, not quantities: they never witness a decimal mark, never
enter a sum; a real decimal written with a dot next to a thousands dot is still noted."""

import pytest

from cchc.checker.tests.helpers import run

OPENING = "Tổng số hồ sơ tiếp nhận 1.250 hồ sơ, đã giải quyết 1.180 hồ sơ.\n"


@pytest.mark.parametrize(
    "sentence",
    [
        "Các tiêu chí bị trừ điểm: 3.4, 1.6 và 7.1.2.2; tiêu chí 3.4 đạt 0,5 điểm.",
        "Khắc phục các tiêu chí thành phần 1.4.2, 3.4.2 trong năm 2025.",
        "TCTP 2.1; 2.3 chưa đạt điểm tối đa.",
        "Lĩnh vực 6.2 và 6.3 còn hạn chế.",
        "Nội dung 5.1 – 5.2 đã hoàn thành.",
        "Mất điểm ở 1.4.2 do chưa đăng đủ tin, bài.",
    ],
)
def test_codes_are_not_decimal_marks(sentence):
    found = run(OPENING + sentence).findings
    assert not [f for f in found if f.check == "dau_thap_phan"], [f.message for f in found]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thu ngân sách đạt 3.5 tỷ đồng.",
        "Tỷ lệ hồ sơ trực tuyến đạt 45.5%.",
        "Giải ngân vốn đầu tư công đạt 3.4 tỷ đồng.",
    ],
)
def test_a_real_decimal_dot_beside_a_thousands_dot_is_still_noted(sentence):
    found = run(OPENING + sentence).findings
    assert [f.check for f in found if f.check == "dau_thap_phan"] == ["dau_thap_phan"], [f.message for f in found]
