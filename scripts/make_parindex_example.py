"""Write docs/examples/bo-tieu-chi-xa-mau.xlsx: a criteria-set annex in the shape provinces publish it.

Title lines, a two-row header ("STT" merged over three code columns: lĩnh vực | tiêu chí | tiêu chí thành
phần), a row numbering the columns, field codes in Roman numerals merged down their rows, maxima written with
Vietnamese decimals as text ("0,5") or as numbers, a scoring-method column in the usual wordings (some of them
known rule shapes, some free text), evidence, the bonus and penalty lines outside the 100, and a TỔNG CỘNG row.

    .venv/bin/python scripts/make_parindex_example.py [OUT.xlsx]

Load it with ``cchc parindex load-framework docs/examples/bo-tieu-chi-xa-mau.xlsx --dry-run``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "docs" / "examples" / "bo-tieu-chi-xa-mau.xlsx"

# (field, criterion, sub, name, max, method, evidence); a field row has only the field number.
ROWS: list[tuple[str, str, str, str, object, str, str]] = [
    ("I", "", "", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", 13, "", ""),
    ("", "1", "", "Kế hoạch CCHC năm", 2, "", ""),
    (
        "",
        "",
        "1",
        "Ban hành kế hoạch CCHC năm kịp thời (trước ngày 31/12 năm trước)",
        "0,5",
        "Ban hành đúng thời hạn: 0,5 điểm; không ban hành hoặc ban hành sau thời hạn: 0 điểm",
        "Kế hoạch CCHC năm",
    ),
    (
        "",
        "",
        "2",
        "Mức độ hoàn thành kế hoạch CCHC",
        "1,5",
        "Hoàn thành 100% kế hoạch: 1,5 điểm; từ 80% đến dưới 100%: 0,75 điểm; dưới 80%: 0 điểm",
        "Báo cáo CCHC năm",
    ),
    (
        "",
        "2",
        "",
        "Báo cáo CCHC định kỳ đúng hạn, đủ nội dung",
        1,
        "Mỗi báo cáo chậm hoặc thiếu nội dung trừ 0,25 điểm",
        "Các báo cáo quý, 6 tháng, năm",
    ),
    ("", "3", "", "Kiểm tra, tự kiểm tra công tác CCHC", 2, "", ""),
    ("", "", "1", "Ban hành kế hoạch tự kiểm tra", "0,5", "Có: 0,5 điểm; Không: 0", "Kế hoạch kiểm tra"),
    (
        "",
        "",
        "2",
        "Tỷ lệ vấn đề phát hiện qua kiểm tra được xử lý",
        "1,5",
        "Đạt 100%: 1,5 điểm; từ 80% đến dưới 100%: 0,75 điểm; dưới 80%: 0",
        "Báo cáo kết quả xử lý",
    ),
    ("", "4", "", "Tuyên truyền CCHC", 2.5, "", ""),
    (
        "",
        "",
        "1",
        "Số tin, bài về CCHC trên Trang thông tin điện tử của xã",
        "1,5",
        "Từ 12 tin, bài trở lên: 1,5 điểm; từ 6 đến dưới 12 tin, bài: 0,75 điểm; dưới 6 tin, bài: 0 điểm",
        "Đường dẫn các tin, bài",
    ),
    (
        "",
        "",
        "2",
        "Hình thức tuyên truyền đa dạng, phù hợp",
        1,
        "Thẩm định căn cứ tài liệu kiểm chứng và thực tế tại địa phương",
        "Kế hoạch, hình ảnh tuyên truyền",
    ),
    (
        "",
        "5",
        "",
        "Sáng kiến, giải pháp mới trong CCHC được công nhận",
        1,
        "Mỗi sáng kiến được công nhận: 0,5 điểm",
        "Quyết định công nhận",
    ),
    (
        "",
        "6",
        "",
        "Thực hiện nhiệm vụ UBND tỉnh, UBND huyện giao",
        "2,5",
        "≥95%: 2,5 điểm; từ 90% đến dưới 95%: 1,5 điểm; dưới 90%: 0",
        "Báo cáo theo dõi nhiệm vụ được giao",
    ),
    ("", "7", "", "Khảo sát sự hài lòng tại Bộ phận Một cửa", 2, "Điểm = tỷ lệ % × điểm tối đa", "Kết quả khảo sát"),
    ("II", "", "", "XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN QPPL", 6, "", ""),
    ("", "1", "", "Rà soát, hệ thống hóa văn bản QPPL", 3, "", ""),
    ("", "", "1", "Ban hành kế hoạch rà soát", 1, "Có: 1 điểm; Không: 0", "Kế hoạch"),
    (
        "",
        "",
        "2",
        "Xử lý văn bản sau rà soát",
        2,
        "Xử lý 100%: 2 điểm; từ 70% đến dưới 100%: 1 điểm; dưới 70%: 0 điểm",
        "Báo cáo kết quả rà soát",
    ),
    ("", "2", "", "Theo dõi thi hành pháp luật", 3, "Thẩm định theo hồ sơ thực tế", "Báo cáo theo dõi"),
    ("III", "", "", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 16, "", ""),
    ("", "1", "", "Công khai TTHC đầy đủ, đúng quy định", 2, "Có: 2 điểm; Không: 0 điểm", "Ảnh niêm yết"),
    (
        "",
        "2",
        "",
        "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
        6,
        "Đạt 100%: 6 điểm; từ 95% đến dưới 100%: 3 điểm; dưới 95%: 0 điểm",
        "Số liệu Hệ thống một cửa",
    ),
    (
        "",
        "3",
        "",
        "Xin lỗi người dân khi giải quyết hồ sơ quá hạn",
        2,
        "Mỗi hồ sơ quá hạn không có văn bản xin lỗi trừ 0,5 điểm",
        "Văn bản xin lỗi",
    ),
    ("", "4", "", "Tiếp nhận, xử lý phản ánh, kiến nghị về TTHC", 6, "Thẩm định theo hồ sơ", "Sổ theo dõi"),
    ("IV", "", "", "CẢI CÁCH TỔ CHỨC BỘ MÁY", 8, "", ""),
    (
        "",
        "1",
        "",
        "Bố trí công chức đúng vị trí việc làm",
        4,
        "Đúng quy định: 4 điểm; không đúng: 0 điểm",
        "Quyết định phân công",
    ),
    ("", "2", "", "Sắp xếp thôn, tổ dân phố theo quy định", 4, "Thẩm định theo thực tế", "Nghị quyết sắp xếp"),
    ("V", "", "", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", 9, "", ""),
    (
        "",
        "1",
        "",
        "Đào tạo, bồi dưỡng cán bộ, công chức theo kế hoạch",
        4,
        "Đạt 100% kế hoạch: 4 điểm; từ 80% đến dưới 100%: 2 điểm; dưới 80%: 0",
        "Báo cáo đào tạo",
    ),
    (
        "",
        "2",
        "",
        "Chấp hành kỷ luật, kỷ cương hành chính",
        5,
        "Mỗi trường hợp vi phạm bị xử lý kỷ luật trừ 1 điểm",
        "Báo cáo tự kiểm tra",
    ),
    ("VI", "", "", "CẢI CÁCH TÀI CHÍNH CÔNG", 7, "", ""),
    ("", "1", "", "Ban hành quy chế chi tiêu nội bộ", 3, "Có: 3 điểm; Không: 0", "Quy chế"),
    (
        "",
        "2",
        "",
        "Thực hiện kết luận thanh tra, kiểm tra về tài chính",
        4,
        "Thẩm định theo hồ sơ",
        "Báo cáo thực hiện kết luận",
    ),
    ("VII", "", "", "XÂY DỰNG, PHÁT TRIỂN CHÍNH QUYỀN SỐ", 11, "", ""),
    (
        "",
        "1",
        "",
        "Tỷ lệ văn bản đi được ký số",
        4,
        "≥90%: 4 điểm; từ 70% đến dưới 90%: 2 điểm; dưới 70%: 0 điểm",
        "Số liệu phần mềm quản lý văn bản",
    ),
    ("", "2", "", "Tỷ lệ hồ sơ TTHC nộp trực tuyến", 4, "Điểm = tỷ lệ % × điểm tối đa", "Số liệu Cổng dịch vụ công"),
    ("", "3", "", "Duy trì hệ thống quản lý chất lượng ISO 9001", 3, "Thẩm định theo hồ sơ", "Báo cáo ISO"),
    ("VIII", "", "", "TÁC ĐỘNG CỦA CẢI CÁCH HÀNH CHÍNH", 30, "", ""),
    (
        "",
        "1",
        "",
        "Mức độ hài lòng của người dân, tổ chức (điều tra xã hội học)",
        30,
        "Điểm điều tra xã hội học do Sở Nội vụ tổ chức",
        "",
    ),
    ("IX", "", "", "ĐIỂM THƯỞNG, ĐIỂM TRỪ (ngoài 100 điểm)", "", "", ""),
    ("", "1", "", "Điểm thưởng: đơn vị được khen thưởng về CCHC", 1, "Cộng tối đa 1 điểm", "Quyết định khen thưởng"),
    ("", "2", "", "Điểm trừ: báo cáo Chỉ số CCHC chậm so với thời hạn", 1, "Chậm từ 5 ngày trở lên: trừ 1 điểm", ""),
]


def build(out: Path = OUT) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws["A1"] = "UBND TỈNH MINH HỌA"
    ws["A2"] = "PHỤ LỤC"
    ws["A3"] = "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CÁC XÃ, PHƯỜNG, THỊ TRẤN NĂM 2024"
    ws["A4"] = "(Kèm theo Quyết định số 01/QĐ-UBND ngày 15/01/2024 của UBND tỉnh Minh Họa — ví dụ minh họa)"
    for r in (1, 2, 3, 4):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    ws["A6"], ws["D6"], ws["E6"], ws["F6"], ws["G6"] = (
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm tối đa",
        "Phương pháp chấm điểm",
        "Tài liệu kiểm chứng",
    )
    ws.merge_cells("A6:C6")
    for col in "DEFG":
        ws.merge_cells(f"{col}6:{col}7")
    ws["A7"], ws["B7"], ws["C7"] = "Lĩnh vực", "Tiêu chí", "TCTP"
    for i in range(7):
        ws.cell(8, i + 1, f"({i + 1})")
    row = 9
    field_start = None
    for fld, crit, sub, name, points, method, evidence in ROWS:
        if fld:
            if field_start is not None and row - 1 > field_start:
                ws.merge_cells(start_row=field_start, start_column=1, end_row=row - 1, end_column=1)
            field_start = row
            ws.cell(row, 1, fld)
        ws.cell(row, 2, crit or None)
        ws.cell(row, 3, sub or None)
        ws.cell(row, 4, name).font = Font(bold=bool(fld))
        ws.cell(row, 5, points if points != "" else None)
        ws.cell(row, 6, method or None)
        ws.cell(row, 7, evidence or None)
        row += 1
    ws.merge_cells(start_row=field_start, start_column=1, end_row=row - 1, end_column=1)
    ws.cell(row, 1, "TỔNG CỘNG")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    ws.cell(row, 5, 100)
    for col, width in zip("ABCDEFG", (8, 8, 8, 60, 10, 60, 30), strict=True):
        ws.column_dimensions[col].width = width
    for cells in ws.iter_rows(min_row=6):
        for c in cells:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
