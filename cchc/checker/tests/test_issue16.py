"""Issue #16, bullet by bullet: made-up texts in several wordings and orders; the error is found, and the same
text made right gives nothing."""

import pytest

from cchc.checker.tests.helpers import checks_of, run

Q1 = "BÁO CÁO\nKết quả cải cách hành chính quý I năm 2024\n"


def _only(text: str, check: str):
    found = run(text).findings
    assert [f.check for f in found] == [check], [(f.check, f.message) for f in found]
    return found[0]


# ---- rates with their parts before, after, apart ---------------------------------------------------------
@pytest.mark.parametrize(
    ("bad", "good"),
    [
        (
            "Đã giải quyết 100 hồ sơ: trước hạn 30, đúng hạn 60, quá hạn 10; tỷ lệ đúng hạn đạt 95%.",
            "Đã giải quyết 100 hồ sơ: trước hạn 30, đúng hạn 60, quá hạn 10; tỷ lệ đúng hạn đạt 90%.",
        ),
        (
            "Kết quả: quá hạn 12 hồ sơ, đúng hạn 288 hồ sơ. Tỷ lệ hồ sơ đúng hạn là 97,5%.",
            "Kết quả: quá hạn 12 hồ sơ, đúng hạn 288 hồ sơ. Tỷ lệ hồ sơ đúng hạn là 96%.",
        ),
        (
            "Tỷ lệ giải quyết đúng hạn đạt 95% (90/100 hồ sơ).",
            "Tỷ lệ giải quyết đúng hạn đạt 90% (90/100 hồ sơ).",
        ),
        (
            "Hồ sơ đúng hạn chiếm 80,5% (161/201).",
            "Hồ sơ đúng hạn chiếm 80,1% (161/201).",
        ),
    ],
)
def test_rate_with_parts_first_or_after(bad, good):
    assert {c for _, c in checks_of(bad)} & {"ty_le_thanh_phan", "phan_tram_phan_so"}
    assert checks_of(good) == []


def test_rate_rounded_to_the_digits_written():
    text = "Trung tâm tiếp nhận 2.517 hồ sơ, đã trả kết quả đúng hạn 2.431 hồ sơ, đạt {}%."
    assert checks_of(text.format("96,58")) == []
    assert checks_of(text.format("96,6")) == []
    assert checks_of(text.format("97")) == []
    f = _only(text.format("96,59"), "phan_tram_lam_tron")
    assert "2.431/2.517" in f.message and "96,58%" in f.message
    assert _only(text.format("98,2"), "ty_le_thanh_phan").severity == "error"


def test_rate_alone_with_its_parts_in_another_paragraph():
    text = (
        Q1 + "I. KẾT QUẢ\nBộ phận Một cửa đã giải quyết 406 hồ sơ, trong đó đúng hạn 380 hồ sơ, quá hạn 26 hồ sơ.\n"
        "II. ĐÁNH GIÁ\nTỷ lệ hồ sơ giải quyết đúng hạn trong quý đạt {}%, thấp hơn chỉ tiêu (98%).\n"
    )
    f = _only(text.format("95,3"), "ty_le_thanh_phan")
    assert f.severity == "warning" and "380/406" in f.message and "Mục I" in f.message
    assert checks_of(text.format("93,6")) == []


def test_rate_of_the_appendix_table_from_the_counts_of_the_text():
    body = "Năm 2025 giải quyết 6.102 hồ sơ, trong đó trước hạn 2.840 hồ sơ, đúng hạn 3.149 hồ sơ, quá hạn 113 hồ sơ.\n"
    table = "STT\tChỉ tiêu\tĐơn vị\tSố liệu\n1\tTỷ lệ giải quyết đúng hạn\t%\t{}\n"
    assert checks_of(body + table.format("98,15")) == []
    assert ("warning", "ty_le_thanh_phan") in checks_of(body + table.format("96,15"))


def test_rate_column_of_a_table():
    text = "Lĩnh vực\tTiếp nhận\tĐúng hạn\tTỷ lệ đúng hạn (%)\nHộ tịch\t612\t610\t99,67\nĐất đai\t188\t171\t{}\n"
    assert checks_of(text.format("90,96")) == []
    assert checks_of(text.format("90,69")) == [("error", "ty_le_thanh_phan")]


def test_targets_and_comparisons_are_not_results():
    assert checks_of("Giải quyết 100 hồ sơ, đúng hạn 90 hồ sơ. Phấn đấu tỷ lệ đúng hạn trên 98%.") == []
    assert checks_of("Giải quyết 100 hồ sơ, đúng hạn 90 hồ sơ; tỷ lệ đúng hạn tăng 5% so với cùng kỳ.") == []


# ---- totals with gồm, trong đó, bao gồm, colon lists ----------------------------------------------------
@pytest.mark.parametrize(
    "template",
    [
        "Tổng số {} hồ sơ, gồm: trực tiếp 70, trực tuyến 45.",
        "Tiếp nhận {} hồ sơ, trong đó trực tiếp 70 hồ sơ, trực tuyến 45 hồ sơ.",
        "Xã tiếp nhận {} hồ sơ, bao gồm 70 hồ sơ trực tiếp và 45 hồ sơ trực tuyến.",
        "Tiếp nhận {} hồ sơ: trực tiếp 70; trực tuyến 45.",
        "Tiếp nhận {} hồ sơ. Cụ thể, trực tiếp 70 hồ sơ và trực tuyến 45 hồ sơ.",
        "Tiếp nhận {} hồ sơ. Trong đó, trực tiếp 70 hồ sơ, trực tuyến 45 hồ sơ.",
    ],
)
def test_totals_with_their_list_of_parts(template):
    assert checks_of(template.format(120)) == [("error", "tong_thanh_phan")]
    assert checks_of(template.format(115)) == []


def test_a_list_that_stops_before_what_follows_it():
    assert (
        checks_of(
            "Đã giải quyết 406 hồ sơ, trong đó đúng hạn 380 hồ sơ, quá hạn 26 hồ sơ; còn 6 hồ sơ đang giải quyết."
        )
        == []
    )
    assert checks_of("Giải quyết 287 hồ sơ, trong đó đúng hạn 284 và quá hạn 3 hồ sơ, tỷ lệ đúng hạn 98,95%.") == []


# ---- points written as sentences ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bad", "good"),
    [
        (
            "Tiêu chí 1.3: tối đa 03 điểm; đơn vị được 1,5 điểm do chưa kiểm tra đủ; bị trừ 1 điểm.",
            "Tiêu chí 1.3: tối đa 03 điểm; đơn vị được 1,5 điểm do chưa kiểm tra đủ; bị trừ 1,5 điểm.",
        ),
        (
            "Tiêu chí 2.1: xã mất 2 điểm trên tổng số 4 điểm vì chưa rà soát; điểm đạt 2,5 điểm.",
            "Tiêu chí 2.1: xã mất 2 điểm trên tổng số 4 điểm vì chưa rà soát; điểm đạt 2 điểm.",
        ),
        (
            "Tiêu chí 5.2: được 0,75 điểm, thấp hơn điểm tối đa 1,5 điểm là 0,5 điểm.",
            "Tiêu chí 5.2: được 0,75 điểm, thấp hơn điểm tối đa 1,5 điểm là 0,75 điểm.",
        ),
        (
            "Tiêu chí 6.4 bị trừ 0,25 điểm (đạt 0,5 trên tối đa 1 điểm).",
            "Tiêu chí 6.4 bị trừ 0,5 điểm (đạt 0,5 trên tối đa 1 điểm).",
        ),
        (
            "Tiêu chí 3.3 đạt 1 điểm, bị trừ 0,5 điểm, mất 1 điểm so với điểm tối đa 2 điểm.",
            "Tiêu chí 3.3 đạt 1 điểm, bị trừ 1 điểm, mất 1 điểm so với điểm tối đa 2 điểm.",
        ),
    ],
)
def test_points_of_a_criterion_in_any_order(bad, good):
    assert checks_of(bad) == [("error", "diem")]
    assert checks_of(good) == []


def test_losses_add_up_to_the_field_and_the_grand_total():
    text = (
        "1. Lĩnh vực cải cách thủ tục hành chính mất tổng cộng {} điểm.\n"
        "- Tiêu chí 3.1: mất 0,75 điểm do chậm công bố danh mục.\n"
        "- Tiêu chí 3.3: mất 1 điểm do hồ sơ quá hạn.\n"
        "2. Lĩnh vực tài chính công mất tổng cộng 1 điểm.\n"
        "- Tiêu chí 6.1: mất 0,5 điểm.\n- Tiêu chí 6.2: mất 0,5 điểm.\n"
        "Tổng số điểm bị mất của 02 lĩnh vực nêu trên là {} điểm.\n"
    )
    assert checks_of(text.format("1,75", "2,75")) == []
    assert checks_of(text.format("2", "3")) == [("error", "diem_tong_mat")]  # the field total is off
    assert checks_of(text.format("1,75", "3")) == [("error", "diem_tong_mat")]  # the grand total is off


def test_grand_total_of_the_losses_of_a_table():
    text = (
        "STT\tTiêu chí\tĐiểm tối đa\tĐiểm đạt\tĐiểm bị trừ\n"
        "1\tBáo cáo định kỳ\t1\t0,5\t0,5\n2\tCông khai thủ tục\t2\t1,5\t0,5\n"
        "Tổng số điểm bị trừ của các tiêu chí nêu trên là {} điểm.\n"
    )
    assert checks_of(text.format("1")) == []
    assert checks_of(text.format("1,5")) == [("error", "diem_tong_mat")]


# ---- years and dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        "Kế hoạch cải cách hành chính năm 20224.",
        "Chương trình giai đoạn 2021 - 2O25.",
        "Phấn đấu đến năm 2o25 hoàn thành số hóa.",
        "Giai đoạn 2021-20255 của huyện.",
        "Quyết định ban hành ngày 12/5/1899.",
        "Thành lập tổ công tác năm 1930.",
    ],
)
def test_years_that_cannot_be_right(bad):
    assert ("error", "nam_khong_hop_le") in checks_of(bad) or ("error", "ngay_khong_ton_tai") in checks_of(bad)


def test_real_years_and_names_with_four_digits_are_silent():
    assert checks_of("Giai đoạn 2021 - 2025; ISO 9001-2015; TCVN ISO 9001:2015; năm 1945 và năm 2100.") == []


@pytest.mark.parametrize("bad", ["ngày 31/4/2024", "ngày 30/02/2023", "ngày 31/11/2025", "ngày 29/02/2023"])
def test_day_and_month_that_do_not_exist(bad):
    assert checks_of(f"Tổ chức hội nghị {bad}.") == [("error", "ngay_khong_ton_tai")]


def test_document_dated_after_the_report():
    head = "Số: 62/BC-UBND\nLãng Ngâm, ngày 10 tháng 6 năm 2022\nBÁO CÁO\n"
    assert checks_of(head + "Công văn số 356/UBND-NV ngày {} của UBND huyện.".format("18/6/2022")) == [
        ("error", "ngay_sau_van_ban")
    ]
    assert checks_of(head + "Công văn số 356/UBND-NV ngày 08/6/2022 của UBND huyện.") == []


def test_title_period_against_the_closing_sentence():
    text = "BÁO CÁO\nTổng kết cải cách hành chính năm 2024\nNội dung.\nTrên đây là báo cáo cải cách hành chính {}./.\n"
    assert checks_of(text.format("năm 2023")) == [("warning", "ky_tieu_de")]
    assert checks_of(text.format("năm 2024")) == []
    q = "BÁO CÁO\nKết quả quý III năm 2021\nNội dung.\nTrên đây là báo cáo {} của UBND xã./.\n"
    assert checks_of(q.format("quý II năm 2021")) == [("warning", "ky_tieu_de")]
    assert checks_of(q.format("quý III năm 2021, kế hoạch 3 tháng cuối năm 2021")) == []


def test_remediation_report_has_no_guessed_period():
    text = (
        "BÁO CÁO\nKết quả khắc phục các tiêu chí bị mất điểm Chỉ số cải cách hành chính năm 2022\n"
        "Trong năm 2023, UBND xã đã ban hành Kế hoạch số 25/KH-UBND ngày 16/3/2023.\n"
    )
    r = run(text)
    assert r.period is None and r.findings == []


# ---- contradictions across paragraphs ------------------------------------------------------------------
def test_same_quantity_stated_twice():
    text = (
        "Cử 146 lượt cán bộ tham gia bồi dưỡng.\n"
        "STT\tChỉ tiêu\tĐơn vị\tSố liệu\n1\tSố lượt cán bộ được bồi dưỡng\tLượt\t{}\n"
    )
    f = _only(text.format(164), "cung_dai_luong")
    assert "146" in f.message and "164" in f.message
    assert checks_of(text.format(146)) == []
    prose = "Huyện có 12 phòng chuyên môn.\nCác phòng chuyên môn thuộc UBND huyện ({} phòng) đã báo cáo đúng hạn.\n"
    assert checks_of(prose.format(13)) == [("warning", "cung_dai_luong")]
    assert checks_of(prose.format(12)) == []


def test_two_bodies_or_two_periods_are_not_the_same_quantity():
    assert checks_of("Trung tâm huyện tiếp nhận 2.517 hồ sơ.\nCác xã tiếp nhận 9.860 hồ sơ.\n") == []
    assert checks_of("Cử 40 lượt cán bộ đi bồi dưỡng.\nCùng kỳ năm trước cử 35 lượt cán bộ đi bồi dưỡng.\n") == []


def test_received_resolved_pending():
    text = "Tiếp nhận {} phản ánh, kiến nghị; đã giải quyết 08 phản ánh, đang xác minh 03 phản ánh."
    assert checks_of(text.format(12)) == [("warning", "tinh_trang_xu_ly")]
    assert checks_of(text.format(11)) == []


def test_levels_3_and_4_against_their_parts():
    text = (
        "STT\tChỉ tiêu\tĐơn vị\tSố liệu\n"
        "1\tSố TTHC cung cấp mức độ 3, 4\tThủ tục\t{}\n"
        "2\tSố TTHC cung cấp trực tuyến mức độ 3\tTTHC\t50\n"
        "3\tSố TTHC cung cấp trực tuyến mức độ 4\tTTHC\t151\n"
    )
    assert checks_of(text.format(141)) == [("warning", "cung_dai_luong")]
    assert checks_of(text.format(201)) == []


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (
            "Ban hành {} văn bản: Kế hoạch số 02/KH-UBND; Kế hoạch số 05/KH-UBND; Quyết định số 12/QĐ-UBND; "
            "Kế hoạch số 09/KH-UBND.",
            4,
        ),
        ("Kiểm tra {} bộ phận: Văn phòng - Thống kê, Tư pháp - Hộ tịch, Địa chính - Xây dựng.", 3),
        ("Đăng {} tin vào các ngày 05/01; 12/01; 19/01; 26/01; 02/02.", 5),
        ("Thực hiện {} nhiệm vụ sau:\n- Rà soát thủ tục;\n- Số hóa hồ sơ;\n- Kiểm tra công vụ.", 3),
        ("Tin, bài\t{}\tĐăng ngày 28/01; 09/3; 16/4; 26/4", 4),
    ],
)
def test_count_of_listed_items(text, count):
    assert [c for _, c in checks_of(text.format(f"{count - 1:02d}"))] == ["so_muc_liet_ke"]
    assert checks_of(text.format(f"{count:02d}")) == []


def test_topics_after_a_count_are_not_its_items():
    assert checks_of("Đăng 62 tin, 19 bài với một số nội dung: cải cách; chuyển đổi số; một cửa.") == []
    assert (
        checks_of(
            "Ban hành 07 quyết định, gồm: Phòng Tư pháp, Văn phòng HĐND và UBND, Phòng Nội vụ và "
            "Phòng Y tế, Phòng Kinh tế, Phòng Giáo dục, Phòng Văn hóa."
        )
        == []
    )


# ---- rounding and decimal marks -------------------------------------------------------------------------
def test_rounding_direction_between_two_writings_of_one_rate():
    text = "Tỷ lệ hồ sơ đúng hạn cấp huyện đạt 93,70%.\nĐánh giá: tỷ lệ hồ sơ đúng hạn cấp huyện đạt {}%.\n"
    assert checks_of(text.format("93")) == [("warning", "lam_tron")]
    assert checks_of(text.format("94")) == []
    assert checks_of(text.format("93,7")) == []


def test_mixed_decimal_marks_are_a_note_with_the_reading():
    table = "Chỉ tiêu\tĐơn vị\tSố liệu\nSố hồ sơ\tHồ sơ\t4,747\nTỷ lệ ký số\t%\t{}\n"
    f = _only(table.format("46,20"), "dau_thap_phan")
    assert f.severity == "info" and "được đọc là 4.747" in f.message and "46,2" in f.message
    assert checks_of(table.replace("4,747", "4.747").format("46,20")) == []
