"""The one-stop forms of a dossier, filled from the dossier's data and rendered by cchc.documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cchc.core.vnformat import format_date
from cchc.documents.rendering import Image, official_header, qr_png, render_docx
from cchc.dossiers import selectors, services
from cchc.dossiers.models import Dossier, EventKind
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph

# form number → (template, file name, selector producing its data)
FORMS = {
    "01": ("mau-01-tiep-nhan", "giay-tiep-nhan"),
    "02": ("mau-02-bo-sung", "phieu-yeu-cau-bo-sung"),
    "03": ("mau-03-tu-choi", "phieu-tu-choi"),
    "04": ("mau-04-xin-loi", "van-ban-xin-loi"),
    "05": ("mau-05-dung-giai-quyet", "thong-bao-dung-giai-quyet"),
    "06": ("mau-06-kiem-soat", "phieu-kiem-soat"),
}
ONE_STOP_KINDS = ("Bộ phận Một cửa", "Trung tâm Phục vụ hành chính công")


def one_stop_unit(unit: OrgUnit, day: date) -> OrgUnit:
    """Bộ phận Một cửa (or the Trung tâm Phục vụ hành chính công) of ``unit`` on ``day``; the unit itself
    when it has none — the forms of the counter are issued in its name."""
    for child in load_graph().children_on(unit.pk, day):
        if child.level == Level.SECTION and child.kind in ONE_STOP_KINDS:
            return child
    return unit


def _time(value: datetime | None) -> str:
    return f"{value:%H} giờ {value:%M} phút" if value else ""


# What a paper form prints where nothing was recorded: a dotted line to fill in by hand, never a blank.
DOTS = "…………………"


def _applicant(name: str, id_number: str, address: str, phone: str, email: str) -> dict[str, str]:
    values = {"name": name, "id_number": id_number, "address": address, "phone": phone, "email": email}
    return {k: (v.strip() or DOTS) for k, v in values.items()}


def _header(unit: OrgUnit, day: date) -> dict[str, Any]:
    return official_header(unit, day, number="", title="", summary="").as_context()


def _common(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "procedure": d.procedure.name,
        "field": d.field.name,
        "applicant": _applicant(
            d.applicant_name, d.applicant_id_number, d.applicant_address, d.applicant_phone, d.applicant_email
        ),
        "received_date": format_date(d.received_on),
        "due_date": format_date(d.due_on),
        "papers": [],
        "supplements": [],
        "handovers": [],
        "reason": "",
        "receiver": "",
        "sets": d.sets,
        "received_time": "",
        "due_time": "",
        "processing_time": "",
        "result_place": "",
        "book": "",
        "line": "",
        "old_due_date": "",
        "new_due_date": "",
        "lookup_key": "",
        "lookup_page": "",
    }


def form_context(
    d: Dossier, number: str, *, base_url: str | None = None, actor: Any = "giấy tiếp nhận"
) -> tuple[str, dict[str, Any]]:
    """The template and the context of form ``number`` for dossier ``d``. Form 01 prints the dossier's mã tra
    cứu with a QR code of the public lookup at ``base_url`` (the site's public address; see
    ``cchc.core.siteurl.public_base_url``). Printing never writes: an imported dossier without a key prints
    "chưa cấp" until the clerk issues one (``services.issue_lookup_key``, a POST from the dossier page)."""
    template, _ = FORMS[number]
    today = timezone.localdate()
    counter = one_stop_unit(d.unit, d.received_on)
    dossier = _common(d)
    extra: dict[str, Any] = {}
    issuer = counter
    if number == "01":
        data = selectors.receipt_data(d, base_url)
        dossier.update(
            lookup_key=data["lookup_key"] or "chưa cấp (đề nghị Bộ phận Một cửa cấp)",
            lookup_page=data["lookup_page"],
            papers=data["papers"],
            processing_time=data["processing_time"],
            received_time=_time(data["received_at"]) or DOTS,
            # A procedure counted in working days is due within the working hours of its day: no clock time.
            due_time=_time(data["due_at"]) or "trong giờ làm việc",
            due_date=format_date(data["due_on"]),
            result_place=data["return_place"],
            book=str(d.received_on.year),
            line=str(data["register_line"] or ""),
            receiver=data["receiver"],
        )
        # 22 mm scans from a phone at arm's length and keeps the receipt, signatures included, on one A4 page.
        extra = {"qr": Image(qr_png(data["qr_text"]), width_mm=22), "copy_label": "Giao người nộp hồ sơ"}
        day = d.received_on
    elif number == "02":
        data = selectors.supplement_data(d)
        dossier.update(
            supplements=[line for line in data["request"].splitlines() if line.strip()] or [data["request"]],
            reason=data["request"],
            receiver=data["officer"],
        )
        day = data["requested_at"].date() if data["requested_at"] else today
    elif number == "03":
        data = selectors.refusal_data(d)
        dossier.update(reason=data["reason"])
        day = data["refused_at"].date() if data["refused_at"] else today
    elif number == "04":
        data = selectors.apology_data(d)
        dossier.update(
            old_due_date=format_date(data["due_on"]),
            new_due_date=format_date(data["new_due_on"]),
            reason=data["reason"],
        )
        issuer = d.unit  # the deciding agency apologises, not the counter
        day = data["apology_on"] or today
    elif number == "05":
        data = selectors.stop_data(d)
        day = data["stopped_at"].date() if data["stopped_at"] else today
        dossier.update(stopped_date=format_date(day), reason=data["reason"])
        issuer = d.unit  # the deciding agency stops the dossier, not the counter
    else:  # "06"
        data = selectors.control_slip_data(d)
        dossier.update(
            handovers=[
                {
                    "agency": line["to_unit"] or line["from_unit"] or line["kind"],
                    "when": f"{line['at']:%H:%M %d/%m/%Y}",
                    "giver": line["by"],
                    "taker": line["taker"],
                    "result": line["kind"],
                    "note": line["note"],
                }
                for line in data["lines"]
            ]
        )
        day = d.received_on
    return template, {**_header(issuer, day), "dossier": dossier, **extra}


def render_form(
    d: Dossier, number: str, *, base_url: str | None = None, actor: Any = "giấy tiếp nhận"
) -> tuple[str, bytes]:
    """(file name, DOCX bytes) of form ``number`` for ``d``."""
    template, context = form_context(d, number, base_url=base_url, actor=actor)
    return f"{FORMS[number][1]}-{d.code}.docx", render_docx(template, context)


def render_counter_slip(
    unit: OrgUnit,
    procedure: Any,
    applicant: services.Applicant,
    slip: str,
    *,
    missing: list[str],
    reason: str,
    officer: str,
) -> tuple[str, bytes]:
    """Form 02 (hướng dẫn bổ sung) or 03 (từ chối tiếp nhận) handed over the counter for a dossier that is
    not received: no code is issued, the papers listed are the ones the citizen still has to bring."""
    today = timezone.localdate()
    dossier = {
        "code": "chưa cấp (hồ sơ chưa được tiếp nhận)",
        "procedure": procedure.name,
        "field": procedure.field.name,
        "applicant": _applicant(
            applicant.name, applicant.id_number, applicant.address, applicant.phone, applicant.email
        ),
        "received_date": format_date(today),
        "supplements": [f"Nộp {name}" for name in missing] or [reason],
        "reason": reason or "Hồ sơ chưa đủ thành phần theo quy định của thủ tục.",
        "receiver": officer,
    }
    template, name = FORMS[slip]
    context = {**_header(one_stop_unit(unit, today), today), "dossier": dossier}
    return f"{name}-{today:%Y%m%d}.docx", render_docx(template, context)


def render_register(user: Any, unit_id: int, start: date, end: date) -> tuple[str, bytes]:
    """Mẫu 07, Sổ theo dõi hồ sơ, of a unit over a date range (scope-checked by the selector)."""
    data = selectors.register_data(user, unit_id, start, end)
    unit = OrgUnit.objects.get(code=data["unit_code"])
    rows = [
        {
            "code": r["code"],
            "procedure": r["procedure_name"],
            "applicant": r["applicant_name"],
            "contact": "",
            "received_date": format_date(r["received_on"]),
            "due_date": format_date(r["due_on"]),
            "result_date": format_date(r["returned_on"]),
            "returned": r["outcome"],
            "note": r["note"],
        }
        for r in data["rows"]
    ]
    context = {
        **_header(one_stop_unit(unit, end), end),
        "register": {"start": format_date(start), "end": format_date(end), "rows": rows},
    }
    return f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.docx", render_docx("mau-07-so-theo-doi", context)


FORM_LABELS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)",
    "04": "Văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)",
    "05": "Thông báo dừng giải quyết hồ sơ (mẫu 05)",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)",
}


def available_forms(d: Dossier) -> list[tuple[str, str]]:
    """The forms that apply to the dossier as it stands: 02 once a supplement was asked, 03 once refused,
    04 once the apology was issued, 05 once the dossier was stopped."""
    kinds = set(d.events.values_list("kind", flat=True))
    wanted = ["01"]
    if EventKind.SUPPLEMENT_REQUESTED in kinds:
        wanted.append("02")
    if EventKind.REFUSED in kinds:
        wanted.append("03")
    if d.apology_on:
        wanted.append("04")
    if EventKind.STOPPED in kinds:
        wanted.append("05")
    wanted.append("06")
    return [(n, FORM_LABELS[n]) for n in wanted]
