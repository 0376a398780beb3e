"""Each check on small made-up texts, with texts that must stay silent."""

from cchc.checker.tests.helpers import checks_of, run

REPORT_Q3 = "BÁO CÁO\nKết quả thực hiện cải cách hành chính quý III năm 2021\nI. KẾT QUẢ\n"


def test_total_against_parts_in_brackets():
    r = run("Bộ phận một cửa giải quyết 54.647 hồ sơ (đúng hạn 53.850; quá hạn 789 hồ sơ).")
    [f] = r.findings
    assert (f.severity, f.check) == ("error", "tong_thanh_phan")
    assert "53.850 + 789 = 54.639 ≠ 54.647" in f.message
    assert f.quote.startswith("54.647 hồ sơ (đúng hạn 53.850")


def test_total_that_adds_up_and_nested_brackets_are_silent():
    assert checks_of("Giải quyết 54.647 hồ sơ (đúng hạn 53.858; quá hạn 789 hồ sơ).") == []
    # the inner bracket is a breakdown of 40, not of 42; the outer one is never closed
    assert (
        checks_of(
            "Có 42 đơn vị (02 đơn vị văn hóa; 40 đơn vị giáo dục (mầm non: 09 trường, tiểu học: 22 trường, "
            "trung học: 08 trường; 01 trung tâm); các Hội và 01 đơn vị tự chủ (Ban quản lý)."
        )
        == []
    )
    # one part only, a comparison, a level name: no breakdown to check
    assert checks_of("Tiếp nhận 665 hồ sơ (trong đó có 411 hồ sơ trực tuyến mức độ 3).") == []
    assert checks_of("Nhận 15 đơn (giảm 25 đơn so cùng kỳ, tăng 3 đơn so với năm trước).") == []


def test_labels_are_not_parts():
    f = run(
        "Đã cử 539 người đi bồi dưỡng (Thạc sĩ 03; chuyên viên 23; quốc phòng đối tượng 3 là 26 người và "
        "đối tượng 4 là 420 người)."
    ).findings
    assert len(f) == 1 and "3 + 23 + 26 + 420 = 472 ≠ 539" in f[0].message


def test_total_with_list_after_colon_and_next_sentence():
    assert (
        checks_of("Tiếp nhận 15/15 đơn thư (giảm 25 đơn so cùng kỳ): 02 khiếu nại, 12 phản ánh và 01 đơn khác.") == []
    )
    assert checks_of("Tiếp nhận 15/15 đơn thư: 02 khiếu nại, 12 phản ánh và 02 đơn khác.") == [
        ("error", "tong_thanh_phan")
    ]
    assert (
        checks_of(
            "Xã có 21 chức danh. Trong đó, có 11 đồng chí công chức (01 đồng chí trưởng công an), 10 đồng chí cán bộ."
        )
        == []
    )
    assert checks_of("Xã có 21 chức danh. Trong đó, có 11 công chức, 9 cán bộ.") == [("error", "tong_thanh_phan")]
    # two totals matched to their parts by noun
    assert (
        checks_of(
            "Tổ chức 03 cuộc kiểm tra tại 05 đơn vị. Trong đó, 01 cuộc tại 02 đơn vị; 01 cuộc tại 02 đơn vị; "
            "01 cuộc tại 01 đơn vị."
        )
        == []
    )
    assert checks_of(
        "Tổ chức 03 cuộc kiểm tra tại 06 đơn vị. Trong đó, 01 cuộc tại 02 đơn vị; 01 cuộc tại 02 đơn vị; "
        "01 cuộc tại 01 đơn vị."
    ) == [("error", "tong_thanh_phan")]


def test_total_against_district_and_commune_subtotals():
    text = (
        "Toàn huyện tiếp nhận 54.647 hồ sơ, giải quyết 54.647 hồ sơ (đúng hạn 53.858; quá hạn 789 hồ sơ), cụ thể:\n"
        "+ Cấp huyện tiếp nhận 4.747 hồ sơ; giải quyết 4.747 hồ sơ (đúng hạn 4.738 hồ sơ, quá hạn 9 hồ sơ).\n"
        "+ Cấp xã tiếp nhận 49.900 hồ sơ; giải quyết 49.900 hồ sơ (đúng hạn 49.120 hồ sơ; quá hạn 780 hồ sơ).\n"
    )
    assert checks_of(text) == []
    bad = run(text.replace("4.747 hồ sơ; giải quyết", "4.700 hồ sơ; giải quyết"))
    [f] = bad.findings
    assert f.check == "tong_cap_duoi" and "4.700 (cấp huyện) + 49.900 (cấp xã) = 54.600 ≠ 54.647" in f.message


def test_percentage_against_fraction():
    [f] = run("Thực hiện được 26/28 phần việc đạt tỷ lệ 92,85% kế hoạch.").findings
    assert (f.severity, f.check) == ("warning", "phan_tram_lam_tron")
    assert "26/28 = 92,857…%" in f.message and "92,86%" in f.message
    [f] = run("Giải quyết đúng hạn 26.600/27.266 hồ sơ, đạt 98,44%.").findings
    assert (f.severity, f.check) == ("error", "phan_tram_phan_so") and "≈ 97,56% ≠ 98,44%" in f.message
    assert checks_of("Có 219/226 đánh giá hài lòng (đạt tỷ lệ 96,9%).") == []
    assert checks_of("Đúng hạn 4738/4747 hồ sơ, đạt 99,81%; kiểm tra 11/11 đơn vị đạt 100%.") == []


def test_fraction_against_counts_elsewhere():
    text = (
        "+ Cấp xã giải quyết 49.900 hồ sơ (đúng hạn 49.120 hồ sơ; quá hạn 780 hồ sơ).\n"
        "Tỷ lệ cấp xã: giải quyết đúng hạn 26.600/27.266 hồ sơ.\n"
    )
    [f] = run(text).findings
    assert f.check == "phan_so_so_lieu" and "49.120" in f.message and "49.900" in f.message
    assert checks_of(text.replace("26.600/27.266", "49.120/49.900")) == []
    # a narrower scope (one field) is not the same figure
    assert checks_of(text.replace("Tỷ lệ cấp xã:", "Lĩnh vực đất đai cấp xã:")) == []


def test_points_obtained_plus_lost_equals_maximum():
    [f] = run("Rà soát văn bản QPPL điểm 1,25/1.57 (điểm trừ 0.5)").findings
    assert f.check == "diem" and "1,57 − 1,25 = 0,32" in f.message
    [f] = run("Theo dõi thi hành pháp luật 150/175 điểm (điểm trừ là 0.25 điểm)").findings
    assert "thiếu dấu thập phân: 1,50/1,75" in f.message
    assert checks_of("Ứng dụng CNTT 2.75/4.25 điểm (cổng thông tin trừ 1 điểm; chính quyền số điểm trừ 0.5 điểm)") == []
    assert checks_of("Mức độ hoàn thành điểm chấm 0,71/0,75 điểm thấp hơn 0.04 điểm") == []
    assert checks_of("Tổng điểm đạt 75,84 điểm, xếp thứ 19/25 toàn huyện.") == []
    assert checks_of("Tổng điểm đạt 75,84 điểm, xếp thứ 26/25 toàn huyện.") == [("error", "xep_hang")]


def test_points_table_per_criterion_field_and_total():
    text = (
        "STT\tTiêu chí\tĐiểm tối đa\tĐiểm đạt\tĐiểm trừ\n"
        "1\tChỉ đạo điều hành\t3\t2,5\t0,5\n"
        "1.1\tKế hoạch\t1\t1\t0\n"
        "1.2\tBáo cáo\t2\t1,5\t0,5\n"
        "2\tThể chế\t2\t1\t1\n"
        "2.1\tRà soát\t1\t0,5\t0,5\n"
        "2.2\tTheo dõi\t1\t0,5\t0,5\n"
        "\tTổng cộng\t5\t3,5\t1,5\n"
    )
    assert checks_of(text) == []
    bad = text.replace("1.2\tBáo cáo\t2\t1,5\t0,5", "1.2\tBáo cáo\t2\t1,25\t0,5").replace("\t3,5\t", "\t3,25\t")
    assert sorted(checks_of(bad)) == [
        ("error", "diem"),
        ("error", "diem"),
        ("error", "diem_linh_vuc"),
        ("error", "diem_tong"),
    ]


def test_impossible_dates():
    [f] = run("Ban hành Quyết định số 12/QĐ-UBND ngày 31/02/2021 về kiện toàn.").findings
    assert f.check == "ngay_khong_ton_tai" and "tháng 2 năm 2021 chỉ có 28 ngày" in f.message
    assert checks_of("Báo cáo gửi ngày 14/12/20230.") == [("error", "ngay_khong_ton_tai")]
    assert checks_of("Tổ chức ngày 29/02/2024 và ngày 28/02/2021; tin đăng ngày 28/01; 09/3; 16/4.") == []


def test_dates_outside_the_period_when_said_to_be_in_it():
    text = REPORT_Q3 + (
        "Trong quý III năm 2021, xã đã ban hành các văn bản như:\n"
        "Ban hành Quyết định số 140/QĐ-UBND ngày 28/8/2021 về kiện toàn bộ phận một cửa;\n"
        "Ban hành Kế hoạch số 37/KH-UBND ngày 10/10/2021 về đề án một cửa.\n"
    )
    r = run(text)
    assert [(f.check, f.quote) for f in r.findings] == [("ngoai_ky", "37/KH-UBND ngày 10/10/2021")]
    assert r.period.start.isoformat() == "2021-06-15" and r.period.end.isoformat() == "2021-09-14"
    # citing an older document is not "issued in the period"
    assert (
        checks_of(REPORT_Q3 + "Trong quý III năm 2021, xã tuyên truyền Kế hoạch số 04/KH-UBND ngày 19/01/2021.") == []
    )
    assert (
        checks_of(REPORT_Q3 + "Trong quý III năm 2021 (tính từ 15/6/2021 đến ngày 14/9/2021) đã tiếp nhận 665 hồ sơ.")
        == []
    )
    assert checks_of(REPORT_Q3 + "Trong quý (tính từ 15/6/2021 đến ngày 30/9/2021) đã tiếp nhận 665 hồ sơ.") == [
        ("warning", "ky_bao_cao")
    ]


def test_cited_document_after_the_report_date():
    text = "Số: 303/BC-UBND\nMỹ Tú, ngày 14 tháng 12 năm 2021\nBÁO CÁO\nCông văn số 1500/UBND-HC ngày 20/12/2021."
    assert ("error", "ngay_sau_van_ban") in checks_of(text)


def test_document_numbers_nd30():
    assert checks_of("Công văn số 78/CV-UBND ngày 25/8/2021.") == [("warning", "so_ky_hieu")]
    assert checks_of("Văn bản số 841/UBND ngày 21/10/2019.") == [("warning", "so_ky_hieu")]
    assert checks_of("Kế hoạch số 12/QĐ-UBND ngày 02/3/2022.") == [("warning", "so_ky_hieu")]
    assert checks_of("Quyết định số 12/UBND-VP ngày 02/3/2022.") == [("warning", "so_ky_hieu")]
    assert checks_of("Nghị định số 59/2019 ngày 01/7/2019.") == [("info", "so_ky_hieu")]
    assert checks_of("Nghị quyết số 18-NQ-TW ngày 25/10/2017.") == [("info", "so_ky_hieu")]
    assert (
        checks_of(
            "Căn cứ Kế hoạch số 142/KH-UBND ngày 24/12/2020; Công văn số 139/UBND-TH ngày 26/02/2021; "
            "Quyết định số 54/2019/QĐ-UBND; Nghị định 30/2020/NĐ-CP; Nghị quyết số 18-NQ/TW; "
            "Chỉ thị số 10/CT-TTg; Số: 303 /BC-UBND; phát thanh 14 buổi/ tuần; ISO 9001:2015."
        )
        == []
    )


def test_markdown_table_and_other_money_numbers_are_read():
    r = run(
        "| Chỉ tiêu | Số liệu |\n|---|---|\n| Kinh phí | 81.889.689.373đ |\n| Điểm | 85/ 100 điểm |\n", name="bang.md"
    )
    kinds = {(f.kind, f.text) for f in r.figures}
    assert ("money", "81.889.689.373đ") in kinds
    assert any(f.kind == "fraction" and f.score and f.num == 85 for f in r.figures)
    assert r.findings == []
