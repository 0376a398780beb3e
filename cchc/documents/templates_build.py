"""Builds the shipped .docx templates. Each template is a function from nothing to a python-docx Document;
they share the ND 30 blocks of `cchc.documents.nd30`, so every document has the same header and footer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from cchc.documents import nd30
from cchc.documents.rendering import TEMPLATES_DIR


def narrative(with_appendix: bool = False):
    """Báo cáo, kế hoạch…: header, title and summary, "Kính gửi", body blocks, Nơi nhận and signature;
    optionally a landscape appendix table (STT, chỉ tiêu, đơn vị tính, số liệu, ghi chú)."""
    doc = nd30.new_document()
    nd30.header_block(doc)
    nd30.title_block(doc)
    nd30.para(doc, "{%p if addressee %}")
    nd30.para(doc, "Kính gửi: {{ addressee }}", align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    nd30.para(doc, "{%p endif %}")
    nd30.body_blocks(doc)
    nd30.recipients_and_signature(doc)
    if with_appendix:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        nd30.set_page(section, landscape=True)
        nd30.para(doc, "{{ appendix.title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        nd30.para(doc, "{{ appendix.subtitle }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        appendix_table(doc)
    return doc


APPENDIX_WIDTHS_CM = [1.4, 13.0, 3.4, 3.2, 4.6]
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT


def appendix_table(doc) -> None:
    table = nd30.loop_table(
        doc,
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
        APPENDIX_WIDTHS_CM,
        "row in appendix.rows",
        ["{{ row.stt }}", "{{ row.name }}", "{{ row.unit }}", "{{ row.value }}", "{{ row.note }}"],
        aligns=[CENTER, LEFT, CENTER, RIGHT, LEFT],
        group_flag="row.is_group",
    )
    for row in table.rows:
        row.height = Cm(0.6)


# ---- one-stop forms (TT 01/2018/TT-VPCP, renumbered by TT 03/2025/TT-VPCP) -----------------------------
# Context of every form: the official header (issuer, place_date, number — for forms the "Mã hồ sơ" line),
# and ``dossier``: code, procedure, field, applicant {name, id_number, address, phone, email}, received_time,
# received_date, due_time, due_date, sets, processing_time, result_place, book, line, papers [{name, kind,
# count}], receiver, and per form: supplements [..], reason, new_due_date, old_due_date, handovers [..],
# lookup_key and lookup_page (form 01: the mã tra cứu and the address of the public lookup).


def _form(title: str):
    """A form's header carries no document number; the dossier code stands under the title."""
    doc = nd30.new_document()
    nd30.header_block(doc, number_line="")
    nd30.para(doc, "", size=6)
    nd30.para(doc, title, size=14, bold=True, align=CENTER, before=6)
    nd30.para(doc, "Mã hồ sơ: {{ dossier.code }}", size=13, bold=True, align=CENTER, after=6)
    return doc


def _line(doc, text: str, **kw) -> None:
    nd30.para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=3, **kw)


def _applicant(doc) -> None:
    _line(doc, "Ông/bà: {{ dossier.applicant.name }}")
    _line(doc, "Số CCCD/định danh cá nhân: {{ dossier.applicant.id_number }}")
    _line(doc, "Địa chỉ: {{ dossier.applicant.address }}")
    _line(doc, "Số điện thoại: {{ dossier.applicant.phone }}    Email: {{ dossier.applicant.email }}")


def receipt():
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Beside the dossier code, the mã tra cứu (the second
    factor of the public progress lookup); the QR code opens that lookup with both."""
    doc = _form("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    nd30.para(doc, "Mã tra cứu: {{ dossier.lookup_key }}", size=13, bold=True, align=CENTER, after=6)
    nd30.para(doc, "{{ qr }}", align=CENTER)
    nd30.para(
        doc,
        "Tra cứu tiến độ giải quyết hồ sơ: quét mã QR trên hoặc vào {{ dossier.lookup_page }}, nhập mã "
        "hồ sơ và mã tra cứu. Ông/bà giữ kín mã tra cứu.",
        size=11,
        italic=True,
        align=CENTER,
        after=3,
    )
    nd30.para(doc, "Liên: {{ copy_label }}", size=12, italic=True, align=CENTER, after=6)
    _line(doc, "{{ issuer.display }} tiếp nhận hồ sơ của:")
    _applicant(doc)
    _line(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure }}")
    nd30.para(doc, "Thành phần hồ sơ nộp gồm:", after=3)
    nd30.loop_table(
        doc,
        ["STT", "Tên giấy tờ", "Bản chính / bản sao", "Số lượng"],
        [1.3, 9.7, 3.2, 2.3],
        "p in dossier.papers",
        ["{{ loop.index }}", "{{ p.name }}", "{{ p.kind }}", "{{ p.count }}"],
        aligns=[CENTER, LEFT, CENTER, CENTER],
    )
    nd30.para(doc, "", size=6)
    _line(doc, "Số lượng hồ sơ: {{ dossier.sets }} (bộ)")
    _line(doc, "Thời gian giải quyết hồ sơ theo quy định là: {{ dossier.processing_time }}")
    _line(doc, "Thời gian nhận hồ sơ: {{ dossier.received_time }}, ngày {{ dossier.received_date }}")
    _line(doc, "Thời gian trả kết quả giải quyết hồ sơ: {{ dossier.due_time }}, ngày {{ dossier.due_date }}", bold=True)
    _line(doc, "Đăng ký nhận kết quả tại: {{ dossier.result_place }}")
    _line(doc, "Vào Sổ theo dõi hồ sơ, Quyển số: {{ dossier.book }}, Số thứ tự: {{ dossier.line }}")
    nd30.two_signatures(
        doc, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "{{ dossier.applicant.name }}", "{{ dossier.receiver }}"
    )
    return doc


def supplement_request():
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    doc = _form("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    _line(doc, "Hồ sơ của: {{ dossier.applicant.name }}")
    _line(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure }}")
    _line(doc, "Ngày tiếp nhận: {{ dossier.received_date }}")
    _line(doc, "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")
    nd30.para(doc, "{%p for item in dossier.supplements %}")
    _line(doc, "{{ loop.index }}. {{ item }}", indent=True)
    nd30.para(doc, "{%p endfor %}")
    _line(doc, "Lý do: {{ dossier.reason }}")
    _line(
        doc,
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {{ dossier.receiver }} "
        "để được hướng dẫn. Thời gian giải quyết được tính lại từ khi nhận đủ hồ sơ.",
    )
    nd30.two_signatures(doc, "", "NGƯỜI HƯỚNG DẪN", "", "{{ dossier.receiver }}")
    return doc


def refusal():
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    doc = _form("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
    _line(doc, "{{ issuer.display }} tiếp nhận hồ sơ của:")
    _applicant(doc)
    _line(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure }}")
    _line(doc, "Qua xem xét, cơ quan, đơn vị từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")
    _line(doc, "{{ dossier.reason }}", indent=True)
    _line(doc, "Xin thông báo để ông/bà được biết và thực hiện.")
    nd30.two_signatures(doc, "", "NGƯỜI TIẾP NHẬN HỒ SƠ", "", "{{ dossier.receiver }}")
    return doc


def _letter_to_applicant(subject: str):
    """A letter of the deciding agency to the applicant (forms 04 and 05): ND 30 header with its subject line,
    then "Kính gửi" the applicant."""
    doc = nd30.new_document()
    nd30.header_block(doc, extra_left=subject)
    nd30.para(doc, "Kính gửi: {{ dossier.applicant.name }}", align=CENTER, before=12, after=12)
    return doc


def apology():
    """Mẫu 04: Văn bản xin lỗi và hẹn lại ngày trả kết quả."""
    doc = _letter_to_applicant("V/v xin lỗi và hẹn lại ngày trả kết quả giải quyết hồ sơ")
    _line(
        doc,
        "Ngày {{ dossier.received_date }}, {{ issuer.display }} tiếp nhận giải quyết "
        "hồ sơ của ông/bà thuộc lĩnh vực {{ dossier.field }}, mã hồ sơ {{ dossier.code }}; "
        "thời gian hẹn trả kết quả giải quyết hồ sơ ngày {{ dossier.old_due_date }}.",
        indent=True,
    )
    _line(
        doc,
        "Tuy nhiên, đến nay, cơ quan giải quyết chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hạn "
        "theo quy định, lý do: {{ dossier.reason }}",
        indent=True,
    )
    _line(
        doc,
        "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của ông/bà. {{ issuer.display }} "
        "xin lỗi ông/bà và hẹn trả kết quả giải quyết hồ sơ vào ngày {{ dossier.new_due_date }}.",
        indent=True,
    )
    _line(doc, "Xin trân trọng cảm ơn sự hợp tác của ông/bà!", indent=True)
    nd30.recipients_and_signature(doc)
    return doc


def stop_notice():
    """Mẫu 05: Thông báo dừng giải quyết hồ sơ — from the deciding agency to the applicant, like form 04."""
    doc = _letter_to_applicant("V/v dừng giải quyết hồ sơ")
    _line(
        doc,
        "Ngày {{ dossier.received_date }}, {{ issuer.display }} tiếp nhận hồ sơ của ông/bà về "
        "{{ dossier.procedure }}, thuộc lĩnh vực {{ dossier.field }}, mã hồ sơ {{ dossier.code }}.",
        indent=True,
    )
    _line(
        doc,
        "Ngày {{ dossier.stopped_date }}, cơ quan giải quyết dừng giải quyết hồ sơ này, lý do: {{ dossier.reason }}",
        indent=True,
    )
    _line(doc, "Xin thông báo để ông/bà được biết.", indent=True)
    nd30.recipients_and_signature(doc)
    return doc


def control_slip():
    """Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ — one row per hand-over."""
    doc = _form("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    _line(doc, "Kèm theo hồ sơ của: {{ dossier.applicant.name }}")
    _line(doc, "Nội dung yêu cầu giải quyết: {{ dossier.procedure }}")
    _line(doc, "Ngày nhận: {{ dossier.received_date }}    Ngày hẹn trả: {{ dossier.due_date }}")
    nd30.loop_table(
        doc,
        ["Tên cơ quan", "Thời gian giao, nhận hồ sơ", "Kết quả giải quyết hồ sơ", "Ghi chú"],
        [4.3, 5.2, 3.6, 3.4],
        "h in dossier.handovers",
        [
            "{{ h.agency }}",
            "{{ h.when }}\nNgười giao: {{ h.giver }}\nNgười nhận: {{ h.taker }}",
            "{{ h.result }}",
            "{{ h.note }}",
        ],
        aligns=[LEFT, LEFT, CENTER, LEFT],
    )
    return doc


def register():
    """Mẫu 07: Sổ theo dõi hồ sơ of a period (landscape)."""
    doc = nd30.new_document(landscape=True)
    nd30.header_block(doc, number_line="")
    nd30.para(doc, "SỔ THEO DÕI HỒ SƠ", size=14, bold=True, align=CENTER, before=6)
    nd30.para(doc, "Từ ngày {{ register.start }} đến ngày {{ register.end }}", italic=True, align=CENTER, after=6)
    nd30.loop_table(
        doc,
        [
            "STT",
            "Mã hồ sơ",
            "Tên TTHC",
            "Tên cá nhân, tổ chức",
            "Địa chỉ, số điện thoại",
            "Ngày nhận",
            "Ngày hẹn trả",
            "Ngày có kết quả",
            "Trả kết quả",
            "Ghi chú",
        ],
        [1.0, 3.6, 5.0, 3.4, 3.8, 2.0, 2.0, 2.0, 2.2, 2.0],
        "d in register.rows",
        [
            "{{ loop.index }}",
            "{{ d.code }}",
            "{{ d.procedure }}",
            "{{ d.applicant }}",
            "{{ d.contact }}",
            "{{ d.received_date }}",
            "{{ d.due_date }}",
            "{{ d.result_date }}",
            "{{ d.returned }}",
            "{{ d.note }}",
        ],
        aligns=[CENTER, LEFT, LEFT, LEFT, LEFT, CENTER, CENTER, CENTER, LEFT, LEFT],
        size=10,
    )
    return doc


TEMPLATES: dict[str, Callable[[], object]] = {
    "van-ban": narrative,
    "van-ban-phu-luc": lambda: narrative(with_appendix=True),
    "mau-01-tiep-nhan": receipt,
    "mau-02-bo-sung": supplement_request,
    "mau-03-tu-choi": refusal,
    "mau-04-xin-loi": apology,
    "mau-05-dung-giai-quyet": stop_notice,
    "mau-06-kiem-soat": control_slip,
    "mau-07-so-theo-doi": register,
}


def build_all(out_dir: Path = TEMPLATES_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATES.items():
        path = out_dir / f"{name}.docx"
        build().save(path)
        written.append(path)
    return written
