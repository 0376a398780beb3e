"""Ghi: danh mục thủ tục, tiếp nhận và các bước giải quyết hồ sơ. Every write checks scope, logs a
DossierEvent and an audit row, and keeps the summary table current, in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.tabular import find_columns, normalise_header, read_table
from cchc.core.text import fold
from cchc.core.vnformat import VietnameseParseError, format_date, parse_date
from cchc.dossiers import lookupkeys, rules, summary
from cchc.dossiers.importing.columns import BOOL_HELP, NO_WORDS, YES_WORDS
from cchc.dossiers.models import (
    OPEN_STATUSES,
    Channel,
    DailySequence,
    Dossier,
    DossierEvent,
    EventKind,
    Field,
    OnlineForm,
    PaperKind,
    PaperReceived,
    Procedure,
    ProcedurePaper,
    ReturnMethod,
    Status,
    TimeUnit,
)
from cchc.indicators.services import mark_stale, mark_stale_since
from cchc.org.models import OrgUnit
from cchc.workdays.selectors import get_calendar_for_unit

# ==== procedure catalogue =============================================================================
PROCEDURE_COLUMNS = {
    "ma_thu_tuc": ("ma thu tuc", "ma tthc", "ma"),
    "ten_thu_tuc": ("ten thu tuc", "ten tthc", "ten"),
    "ma_linh_vuc": ("ma linh vuc",),
    "ten_linh_vuc": ("ten linh vuc", "linh vuc"),
    "cap_thuc_hien": ("cap thuc hien", "cap giai quyet", "cap"),
    "thoi_han": ("thoi han", "thoi han giai quyet", "so ngay giai quyet"),
    "don_vi_thoi_han": ("don vi thoi han",),
    "gio_chot": ("gio chot", "gio chot tiep nhan"),
    "phi_le_phi": ("phi le phi", "phi", "le phi"),
    "muc_do": ("muc do", "dich vu cong truc tuyen", "muc do dvc"),
    "thanh_phan_ho_so": ("thanh phan ho so", "giay to"),
    "can_cu_phap_ly": ("can cu phap ly", "can cu"),
    "hieu_luc_tu": ("hieu luc tu",),
    "hieu_luc_den": ("hieu luc den",),
    # Optional: what the QĐ 766 index reads of a procedure. A file without a column leaves that field as
    # it is (a re-import of an older file never erases what the catalogue screen recorded).
    "quyet_dinh_cong_bo": ("quyet dinh cong bo", "so quyet dinh cong bo"),
    "ngay_cong_bo": ("ngay cong bo", "ngay quyet dinh cong bo"),
    "ngay_hieu_luc_van_ban": ("ngay hieu luc van ban", "ngay van ban co hieu luc", "hieu luc van ban"),
    "ngay_cong_khai": ("ngay cong khai",),
    "cong_khai_du": ("cong khai du", "cong khai du noi dung"),
    "co_phi": ("co phi", "co phi le phi"),
    "thanh_toan_truc_tuyen": ("thanh toan truc tuyen", "co thanh toan truc tuyen"),
    "du_lieu_dan_cu": ("du lieu dan cu", "khai thac du lieu dan cu", "ket noi du lieu dan cu"),
}
# Optional procedure columns → (model field, kind). Dates dd/mm/yyyy; yes/no as "có"/"không".
PROCEDURE_INDEX_COLUMNS = {
    "quyet_dinh_cong_bo": ("announced_in", "text"),
    "ngay_cong_bo": ("announced_on", "date"),
    "ngay_hieu_luc_van_ban": ("basis_effective_on", "date"),
    "ngay_cong_khai": ("published_on", "date"),
    "cong_khai_du": ("published_complete", "yes_no"),
    "co_phi": ("has_fee", "yes_no"),
    "thanh_toan_truc_tuyen": ("online_payment", "yes_no"),
    "du_lieu_dan_cu": ("population_data_linked", "yes_no"),
}
# The same words as a dossier file's có/không columns (cchc.dossiers.importing.columns).
YES_NO = {**dict.fromkeys(YES_WORDS, True), **dict.fromkeys(NO_WORDS, False)}
REQUIRED_PROCEDURE_COLUMNS = ("ma_thu_tuc", "ten_thu_tuc", "ma_linh_vuc", "ten_linh_vuc", "thoi_han")

LEVELS = {"xa": "xa", "cap xa": "xa", "huyen": "huyen", "cap huyen": "huyen", "tinh": "tinh", "cap tinh": "tinh"}
TIME_UNITS = {
    "ngay": "ngay",
    "ngay lam viec": "ngay",
    "gio": "gio",
    "gio lam viec": "gio",
    "trong ngay": "trong_ngay",
    "trong_ngay": "trong_ngay",
}
ONLINE_FORMS = {
    "": "",
    "khong": "",
    "toan trinh": "toan_trinh",
    "toan_trinh": "toan_trinh",
    "muc do 4": "toan_trinh",
    "4": "toan_trinh",
    "mot phan": "mot_phan",
    "mot_phan": "mot_phan",
    "muc do 3": "mot_phan",
    "3": "mot_phan",
}
PAPER_KINDS = {
    "ban chinh": "ban_chinh",
    "ban_chinh": "ban_chinh",
    "ban sao": "ban_sao",
    "ban_sao": "ban_sao",
    "ban sao chung thuc": "ban_sao_ct",
    "ban_sao_ct": "ban_sao_ct",
}


def map_header(
    header: list[str], columns: dict[str, tuple[str, ...]], extra: dict[str, str] | None = None
) -> dict[str, int]:
    """Canonical column → index, matching the canonical name, its aliases (normalised, without
    diacritics) and a column-mapping file's entries (``extra``: label in the file → canonical name)."""
    lookup: dict[str, str] = {}
    for canonical, aliases in columns.items():
        lookup[normalise_header(canonical)] = canonical
        for alias in aliases:
            lookup[normalise_header(alias)] = canonical
    for label, canonical in (extra or {}).items():
        lookup[normalise_header(label)] = canonical
    return find_columns(header, lookup)


def _opt_date(errors: ErrorCollector, row: int, column: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except VietnameseParseError as exc:
        errors.add(row, column, text, str(exc))
        return None


def _opt_yes_no(errors: ErrorCollector, row: int, column: str, text: str) -> bool | None:
    """ "có" / "không" (and the other words of YES_NO); empty is "not known" (NULL), never "không"."""
    if not text:
        return None
    value = YES_NO.get(normalise_header(text))
    if value is None:
        errors.add(row, column, text, f"Phải ghi “có” hoặc “không” ({BOOL_HELP}; để trống nếu chưa rõ).")
    return value


def _procedure_index_values(errors: ErrorCollector, row: int, get: dict[str, str]) -> dict[str, Any]:
    """The optional QĐ 766 columns present in the file, parsed; an absent column gives no key at all."""
    values: dict[str, Any] = {}
    for column, (field, kind) in PROCEDURE_INDEX_COLUMNS.items():
        if column not in get:
            continue
        text = get[column]
        if kind == "date":
            values[field] = _opt_date(errors, row, column, text)
        elif kind == "yes_no":
            values[field] = _opt_yes_no(errors, row, column, text)
        else:
            values[field] = text[:120]
    announced, published = values.get("announced_on"), values.get("published_on")
    if announced and published and published < announced:
        errors.add(row, "ngay_cong_khai", get["ngay_cong_khai"], "Ngày công khai trước ngày quyết định công bố.")
    return values


def _parse_papers(errors: ErrorCollector, row: int, text: str) -> list[tuple[str, str, int]]:
    """ "Tờ khai|ban_chinh|1; Giấy chứng sinh|ban_chinh|1" → [(name, kind, count)]."""
    papers = []
    for item in filter(None, (p.strip() for p in text.split(";"))):
        parts = [p.strip() for p in item.split("|")]
        name, kind, count = parts[0], PAPER_KINDS.get(normalise_header(parts[1]) if len(parts) > 1 else "ban chinh"), 1
        if len(parts) > 2:
            try:
                count = int(parts[2])
            except ValueError:
                errors.add(row, "thanh_phan_ho_so", item, "Số lượng giấy tờ phải là số nguyên.")
        if kind is None:
            errors.add(
                row, "thanh_phan_ho_so", item, "Loại giấy tờ phải là bản chính, bản sao hoặc bản sao chứng thực."
            )
            kind = PaperKind.ORIGINAL
        papers.append((name, kind, count))
    return papers


def import_procedures(
    path: Path | str, *, actor: Any, dry_run: bool = False, content: bytes | None = None
) -> ImportResult:
    """Nạp danh mục thủ tục từ CSV/XLSX: all or nothing; a procedure is matched by its code, updated when
    a value changed, its papers replaced when the list changed."""
    header, rows = read_table(path, content)
    cols = map_header(header, PROCEDURE_COLUMNS)
    errors = ErrorCollector()
    for name in REQUIRED_PROCEDURE_COLUMNS:
        if name not in cols:
            errors.add(None, name, "", f"Thiếu cột “{name}”.")
    errors.raise_if_any()

    parsed: list[tuple[dict[str, Any], list[tuple[str, str, int]], tuple[str, str]]] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(rows, start=2):
        if not any(c.strip() for c in raw):
            continue
        get = {k: (raw[i].strip() if i < len(raw) else "") for k, i in cols.items()}
        code = get["ma_thu_tuc"]
        if not code:
            errors.add(n, "ma_thu_tuc", "", "Thiếu mã thủ tục.")
            continue
        if code in seen:
            errors.add(n, "ma_thu_tuc", code, f"Mã thủ tục trùng với dòng {seen[code]}.")
            continue
        seen[code] = n
        if not get["ten_thu_tuc"]:
            errors.add(n, "ten_thu_tuc", "", "Thiếu tên thủ tục.")
        if not get["ma_linh_vuc"] or not get["ten_linh_vuc"]:
            errors.add(n, "ma_linh_vuc", get["ma_linh_vuc"], "Thiếu mã hoặc tên lĩnh vực.")
        level = LEVELS.get(normalise_header(get.get("cap_thuc_hien", "")) or "xa")
        if level is None:
            errors.add(n, "cap_thuc_hien", get["cap_thuc_hien"], "Cấp thực hiện phải là xã, huyện hoặc tỉnh.")
        unit = TIME_UNITS.get(normalise_header(get.get("don_vi_thoi_han", "")) or "ngay")
        if unit is None:
            errors.add(
                n, "don_vi_thoi_han", get["don_vi_thoi_han"], "Đơn vị thời hạn phải là ngày, giờ hoặc trong ngày."
            )
        value = 0
        if unit != TimeUnit.SAME_DAY:
            try:
                value = int(get["thoi_han"])
                if value < 0:
                    raise ValueError
            except ValueError:
                errors.add(n, "thoi_han", get["thoi_han"], "Thời hạn phải là số nguyên không âm.")
        cutoff = None
        if get.get("gio_chot"):
            try:
                cutoff = rules._hm(get["gio_chot"])
            except (ValueError, TypeError):
                errors.add(n, "gio_chot", get["gio_chot"], "Giờ chốt phải có dạng HH:MM, ví dụ 15:00.")
        online = ONLINE_FORMS.get(normalise_header(get.get("muc_do", "")))
        if online is None:
            errors.add(n, "muc_do", get["muc_do"], "Mức độ phải là toàn trình, một phần hoặc để trống.")
        valid_from = _opt_date(errors, n, "hieu_luc_tu", get.get("hieu_luc_tu", ""))
        valid_to = _opt_date(errors, n, "hieu_luc_den", get.get("hieu_luc_den", ""))
        if valid_from and valid_to and valid_to < valid_from:
            errors.add(n, "hieu_luc_den", get["hieu_luc_den"], "Ngày hết hiệu lực trước ngày có hiệu lực.")
        papers = _parse_papers(errors, n, get.get("thanh_phan_ho_so", ""))
        values = {
            "name": get["ten_thu_tuc"],
            "level": level or "xa",
            "time_unit": unit or "ngay",
            "time_value": value,
            "cutoff": cutoff,
            "fee": get.get("phi_le_phi", ""),
            "online_form": online or "",
            "legal_basis": get.get("can_cu_phap_ly", ""),
            "valid_from": valid_from,
            "valid_to": valid_to,
            **_procedure_index_values(errors, n, get),
        }
        parsed.append(({"code": code, **values}, papers, (get["ma_linh_vuc"], get["ten_linh_vuc"])))
    errors.raise_if_any()

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        fields = {f.code: f for f in Field.objects.all()}
        existing = {p.code: p for p in Procedure.objects.prefetch_related("papers")}
        for values, papers, (field_code, field_name) in parsed:
            field = fields.get(field_code)
            if field is None:
                field = fields[field_code] = Field.objects.create(code=field_code, name=field_name)
            elif field.name != field_name:
                field.name = field_name
                field.save(update_fields=["name"])
            proc = existing.get(values["code"])
            wanted_papers = [(p, k, c) for p, k, c in papers]
            if proc is None:
                proc = Procedure.objects.create(field=field, **values)
                ProcedurePaper.objects.bulk_create(
                    ProcedurePaper(procedure=proc, position=i, name=p, kind=k, count=c)
                    for i, (p, k, c) in enumerate(wanted_papers)
                )
                result.created += 1
                continue
            changed = [k for k, v in values.items() if getattr(proc, k) != v]
            if proc.field_id != field.pk:
                proc.field = field
                changed.append("field")
            have_papers = [(p.name, p.kind, p.count) for p in proc.papers.all()]
            if not changed and have_papers == wanted_papers:
                result.unchanged += 1
                continue
            for k in changed:
                if k != "field":
                    setattr(proc, k, values[k])
            proc.save()
            if have_papers != wanted_papers:
                proc.papers.all().delete()
                ProcedurePaper.objects.bulk_create(
                    ProcedurePaper(procedure=proc, position=i, name=p, kind=k, count=c)
                    for i, (p, k, c) in enumerate(wanted_papers)
                )
            result.updated += 1
        audit.record(
            actor,
            Verb.PROCEDURES_IMPORT,
            ("dossiers.procedure", str(path)),
            data={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "dry_run": dry_run,
            },
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def can_manage_catalogue(user: Any) -> bool:
    """Danh mục TTHC: quản trị hệ thống và công chức có quyền sửa ở một đơn vị (công chức xã, một cửa)."""
    from cchc.accounts.models import Role

    return getattr(user, "is_authenticated", False) and user.role in (
        Role.SYSTEM_ADMIN,
        Role.COMMUNE_OFFICER,
        Role.ONE_STOP_CLERK,
        Role.PROVINCE_REVIEWER,
    )


@transaction.atomic
def save_procedure(actor: Any, procedure: Procedure, papers: list[tuple[str, str, int]] | None = None) -> Procedure:
    """Lưu một thủ tục sửa trên màn hình (đã qua form). Dossiers keep their own due dates."""
    if not can_manage_catalogue(actor):
        raise ValidationError("Bạn không có quyền sửa danh mục thủ tục.")
    creating = procedure.pk is None
    procedure.full_clean()
    procedure.save()
    if papers is not None:
        procedure.papers.all().delete()
        ProcedurePaper.objects.bulk_create(
            ProcedurePaper(procedure=procedure, position=i, name=n, kind=k, count=c)
            for i, (n, k, c) in enumerate(papers)
        )
    audit.record(
        actor,
        Verb.PROCEDURE_CREATE if creating else Verb.PROCEDURE_UPDATE,
        procedure,
        data={"code": procedure.code},
    )
    return procedure


# ==== dossier life cycle ==============================================================================
@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def compute_due(unit: OrgUnit, procedure: Procedure, received_at: datetime) -> tuple[date, datetime | None]:
    """Ngày hẹn trả of a dossier of ``procedure`` received at ``received_at`` (local time) by ``unit``."""
    cal = get_calendar_for_unit(unit, received_at.date())
    return rules.due_date(cal, received_at, procedure.time_unit, procedure.time_value, procedure.cutoff)


def _local(moment: datetime | None) -> datetime:
    moment = moment or timezone.now()
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def next_code(unit: OrgUnit, day: date) -> str:
    """Mã hồ sơ: the unit's next daily number (row lock on the counter, so two counters never share one)."""
    seq, _ = DailySequence.objects.select_for_update().get_or_create(unit=unit, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    code = rules.format_code(unit.code, day, seq.last)
    while Dossier.objects.filter(code=code).exists():  # an imported dossier may already use the number
        seq.last += 1
        seq.save(update_fields=["last"])
        code = rules.format_code(unit.code, day, seq.last)
    return code


def _event(
    dossier: Dossier, actor: Any, kind: str, at: datetime, from_status: str = "", note: str = "", **extra: Any
) -> DossierEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    # The full name, as forms 01 and 06 print who received and who handed over.
    label = (getattr(user, "display_name", "") or user.get_username()) if user is not None else str(actor or "")
    data = {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in extra.pop("data", {}).items()}
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        user=user,
        actor_label=label,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        data=data,
        **extra,
    )


# ==== records the QĐ 766 index reads (Số hóa, thanh toán và kết quả điện tử) =========================
# What the handling screen may set; NULL is "chưa rõ" and stays NULL until someone knows.
RECORD_FIELDS = (
    "fee_due",
    "paid_online",
    "digitised",
    "reused_data",
    "e_certified_copy",
    "e_result",
    "stored_in_repository",
    "vneid_authenticated",
    "synced_to_portal",
)
# What the counter knows when it receives a dossier (the result and its storage come later).
INTAKE_RECORD_FIELDS = ("fee_due", "paid_online", "digitised", "reused_data", "e_certified_copy", "vneid_authenticated")
_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ\b)", re.IGNORECASE)


def procedure_fee_amount(procedure: Procedure) -> int | None:
    """Phí, lệ phí of one dossier of ``procedure`` as far as the catalogue tells: 0 when it has none, the
    first amount in đồng of its fee text when it has one ("8.000 đồng/bản sao" → 8000), else unknown."""
    if procedure.has_fee is False:
        return 0
    if procedure.has_fee is None:
        return None
    found = _AMOUNT.search(procedure.fee or "")
    return int(found.group(1).replace(".", "")) if found else None


def check_records(dossier: Dossier, values: dict[str, Any]) -> None:
    """Refuse records that contradict each other, naming the field in Vietnamese (ValidationError by field)."""
    fee = values.get("fee_due", dossier.fee_due)
    if fee is not None and fee < 0:
        raise ValidationError({"fee_due": "“Phí, lệ phí phải nộp” không được âm."})
    if values.get("paid_online", dossier.paid_online) and not fee:
        raise ValidationError(
            {
                "paid_online": "“Đã thanh toán trực tuyến”: hồ sơ chưa có phí, lệ phí phải nộp; "
                "hãy ghi số tiền phí, lệ phí hoặc chọn “Không”."
            }
        )
    if values.get("vneid_authenticated", dossier.vneid_authenticated) and dossier.channel != Channel.ONLINE:
        raise ValidationError({"vneid_authenticated": "“Tài khoản định danh VNeID” chỉ ghi cho hồ sơ nộp trực tuyến."})


@transaction.atomic
def update_records(actor: Any, dossier_id: int, values: dict[str, Any]) -> Dossier:
    """Ghi số hóa, thanh toán và kết quả điện tử của hồ sơ from the handling screen. Only the fields of
    RECORD_FIELDS given in ``values`` change (None sets "chưa rõ"); audited with the old and new values."""
    dossier = scope.access(Dossier.objects.select_for_update(), actor, scope.Action.EDIT, pk=dossier_id)
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được: {', '.join(sorted(unknown))}.")
    check_records(dossier, values)
    changed = {k: (getattr(dossier, k), v) for k, v in values.items() if getattr(dossier, k) != v}
    if not changed:
        return dossier
    for k, (_, v) in changed.items():
        setattr(dossier, k, v)
    dossier.save(update_fields=list(changed))
    audit.record(
        actor,
        Verb.DOSSIER_RECORDS,
        dossier,
        unit=dossier.unit,
        data={"code": dossier.code, "changed": {k: {"from": a, "to": b} for k, (a, b) in changed.items()}},
    )
    mark_stale(dossier.unit_id, dossier.received_on)
    return dossier


@transaction.atomic
def receive(
    actor: Any,
    *,
    unit: OrgUnit,
    procedure: Procedure,
    applicant: Applicant,
    channel: str = Channel.COUNTER,
    online_form: str | None = None,
    received_at: datetime | None = None,
    sets: int = 1,
    papers: list[tuple[str, str, int]] | None = None,
    note: str = "",
    missing: list[str] | None = None,
    missing_reason: str = "",
    records: dict[str, Any] | None = None,
) -> Dossier:
    """Tiếp nhận hồ sơ: code, due date from the procedure and the calendar, the papers, the first event.
    A dossier still missing papers of the procedure (``missing``) is received only with a reason, which
    the receipt event records with the list; otherwise the counter issues form 02 or 03 instead.
    ``records``: what the counter knows of INTAKE_RECORD_FIELDS (None: chưa rõ); the fee defaults from
    the procedure. The dossier starts with 0 supplement requests: this product sees every one from here."""
    scope.require(actor, scope.Action.EDIT, unit)
    if channel not in Channel.values:
        raise ValidationError({"channel": "Kênh tiếp nhận không hợp lệ."})
    if not applicant.name.strip():
        raise ValidationError({"applicant_name": "Cần ghi họ tên người nộp hồ sơ."})
    missing = [m for m in missing or [] if m.strip()]
    if missing and not missing_reason.strip():
        raise ValidationError(
            {"missing_reason": "Hồ sơ còn thiếu giấy tờ: cần ghi lý do vẫn tiếp nhận, hoặc hướng dẫn bổ sung."}
        )
    at = _local(received_at)
    day = at.date()
    if (procedure.valid_to and day > procedure.valid_to) or (procedure.valid_from and day < procedure.valid_from):
        raise ValidationError(
            {"procedure": f"Thủ tục {procedure.code} không còn hiệu lực vào ngày {format_date(day)}."}
        )
    records = {k: v for k, v in (records or {}).items() if v is not None}
    if set(records) - set(INTAKE_RECORD_FIELDS):
        raise ValidationError("Khi tiếp nhận chỉ ghi được phí, thanh toán, số hóa và tài khoản VNeID.")
    if "fee_due" not in records:
        records["fee_due"] = procedure_fee_amount(procedure)
    check_records(Dossier(channel=channel), records)
    due_on, due_at = compute_due(unit, procedure, at.replace(tzinfo=None))
    if due_at is not None and timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    register_line = Dossier.objects.filter(unit=unit, received_on__year=day.year).count() + 1
    dossier = Dossier.objects.create(
        code=next_code(unit, day),
        lookup_key=lookupkeys.new_key(),
        unit=unit,
        procedure=procedure,
        field_id=procedure.field_id,
        channel=channel,
        online_form=procedure.online_form if online_form is None else online_form,
        applicant_name=applicant.name.strip(),
        applicant_folded=fold(applicant.name)[:200],
        applicant_id_number=applicant.id_number.strip(),
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        sets=sets,
        register_line=register_line,
        received_at=at,
        received_on=day,
        original_due_on=due_on,
        due_on=due_on,
        due_at=due_at,
        holder=unit,
        note=note,
        supplement_requests=0,
        **records,
    )
    PaperReceived.objects.bulk_create(
        PaperReceived(dossier=dossier, name=n, kind=k, count=c) for n, k, c in papers or []
    )
    received = {"due_on": due_on, "procedure": procedure.code, "channel": channel}
    if missing:
        received.update(missing=missing, missing_reason=missing_reason.strip())
    _event(
        dossier,
        actor,
        EventKind.RECEIVED,
        at,
        to_unit=unit,
        note=f"Tiếp nhận khi còn thiếu: {'; '.join(missing)}. Lý do: {missing_reason.strip()}" if missing else "",
        data=received,
    )
    audit.record(
        actor, Verb.DOSSIER_RECEIVE, dossier, unit=unit, data={"code": dossier.code, "due_on": due_on.isoformat()}
    )
    summary.apply_change(None, summary.contribution(dossier))
    mark_stale_since(unit, day)
    return dossier


class CounterSlip(models.TextChoices):
    """What the counter hands a citizen whose dossier it does not receive (no code, nothing counted)."""

    GUIDANCE = "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"
    REFUSAL = "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"


@transaction.atomic
def record_counter_slip(
    actor: Any, *, unit: OrgUnit, procedure: Procedure, applicant_name: str, slip: str, missing: list[str], reason: str
) -> None:
    """Ghi nhận việc hướng dẫn bổ sung (mẫu 02) hoặc từ chối tiếp nhận (mẫu 03) tại quầy: no dossier is
    created (the citizen takes the papers home), but the fact stays in the audit trail with its reason."""
    scope.require(actor, scope.Action.EDIT, unit)
    if slip not in CounterSlip.values:
        raise ValidationError("Phiếu không hợp lệ.")
    if slip == CounterSlip.REFUSAL and not reason.strip():
        raise ValidationError({"refusal_reason": "Cần ghi lý do từ chối tiếp nhận hồ sơ."})
    if slip == CounterSlip.GUIDANCE and not missing and not reason.strip():
        raise ValidationError({"refusal_reason": "Cần ghi nội dung cần bổ sung, hoàn thiện."})
    audit.record(
        actor,
        Verb.COUNTER_GUIDANCE if slip == CounterSlip.GUIDANCE else Verb.COUNTER_REFUSAL,
        ("dossiers.procedure", procedure.code),
        unit=unit,
        data={"procedure": procedure.code, "applicant": applicant_name.strip(), "missing": missing, "reason": reason},
    )


def _first_changed_day(before: dict, after: dict) -> date | None:
    """The first day whose summary figures differ between two contributions of one dossier."""

    def nonzero(cols: dict | None) -> dict:
        return {k: v for k, v in (cols or {}).items() if v}

    days = [key[3] for key in set(before) | set(after) if nonzero(before.get(key)) != nonzero(after.get(key))]
    return min(days, default=None)


def issue_lookup_key(dossier: Dossier, actor: Any = "giấy tiếp nhận") -> str:
    """The dossier's mã tra cứu, issued now if it has none (an imported dossier, when its receipt is first
    printed here). Two printers at once get the same key: only an empty key is ever written."""
    if dossier.lookup_key:
        return dossier.lookup_key
    with transaction.atomic():
        issued = Dossier.objects.filter(pk=dossier.pk, lookup_key="").update(lookup_key=lookupkeys.new_key())
        dossier.lookup_key = Dossier.objects.values_list("lookup_key", flat=True).get(pk=dossier.pk)
        if issued:
            # The key itself stays out of the audit trail: it is a secret of the applicant.
            audit.record(actor, Verb.DOSSIER_ISSUE_LOOKUP_KEY, dossier, unit=dossier.unit, data={"code": dossier.code})
            mark_stale(dossier.unit_id, dossier.received_on)  # one more dossier citizens can follow
    return dossier.lookup_key


class TransitionRefused(ValidationError):
    """A step that the dossier's state does not allow."""


# kind → (statuses it may start from, status it leads to (None: unchanged), label of the action button)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None, str]] = {
    EventKind.HANDOVER: (frozenset({Status.PROCESSING}), None, "Chuyển hồ sơ"),
    EventKind.SUPPLEMENT_REQUESTED: (frozenset({Status.PROCESSING}), Status.SUPPLEMENT, "Yêu cầu bổ sung"),
    EventKind.SUPPLEMENT_RECEIVED: (frozenset({Status.SUPPLEMENT}), Status.PROCESSING, "Nhận hồ sơ bổ sung"),
    EventKind.SUSPENDED: (frozenset({Status.PROCESSING}), Status.SUSPENDED, "Tạm dừng"),
    EventKind.RESUMED: (frozenset({Status.SUSPENDED}), Status.PROCESSING, "Tiếp tục giải quyết"),
    EventKind.REFUSED: (
        frozenset({Status.PROCESSING, Status.SUPPLEMENT, Status.SUSPENDED}),
        Status.REFUSED,
        "Từ chối giải quyết",
    ),
    EventKind.WITHDRAWN: (
        frozenset({Status.PROCESSING, Status.SUPPLEMENT, Status.SUSPENDED}),
        Status.WITHDRAWN,
        "Công dân rút hồ sơ",
    ),
    EventKind.STOPPED: (frozenset({Status.PROCESSING, Status.SUSPENDED}), Status.STOPPED, "Dừng giải quyết"),
    EventKind.APOLOGY: (frozenset(OPEN_STATUSES), None, "Xin lỗi, hẹn lại ngày trả"),
    EventKind.RESULT_READY: (frozenset({Status.PROCESSING}), Status.RESULT_READY, "Có kết quả"),
    EventKind.RETURNED: (frozenset({Status.RESULT_READY}), Status.RETURNED, "Trả kết quả"),
}
CLOSING = {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}


def allowed_actions(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, label) of the steps the dossier's state allows now (the apology only once)."""
    out = []
    for kind, (sources, _, label) in TRANSITIONS.items():
        if dossier.status in sources and not (kind == EventKind.APOLOGY and dossier.apology_on):
            out.append((kind, label))
    return out


@transaction.atomic
def transition(
    actor: Any,
    dossier_id: int,
    kind: str,
    *,
    at: datetime | None = None,
    note: str = "",
    to_unit: OrgUnit | None = None,
    new_due_on: date | None = None,
    return_method: str = "",
    to_user: Any = None,
) -> Dossier:
    """Thực hiện một bước trên hồ sơ. Refuses a step the current state does not allow; the due date
    moves only on SUPPLEMENT_RECEIVED (by the working days the clock was paused), logged with both dates.
    A hand-over goes to a person of the unit (``to_user``) or to an agency (``to_unit``)."""
    dossier = scope.access(Dossier.objects.select_for_update(), actor, scope.Action.VIEW, pk=dossier_id)
    if not can_act(actor, dossier, kind):
        scope.require(actor, scope.Action.EDIT, dossier.unit_id)
    if kind not in TRANSITIONS:
        raise TransitionRefused("Bước xử lý không hợp lệ.")
    sources, target, label = TRANSITIONS[kind]
    if dossier.status not in sources:
        raise TransitionRefused(
            f"Không thể “{label.lower()}” khi hồ sơ đang ở trạng thái “{dossier.get_status_display().lower()}”."
        )
    moment = _local(at)
    day = moment.date()
    if day < dossier.received_on:
        raise TransitionRefused("Ngày thực hiện không được trước ngày tiếp nhận hồ sơ.")
    before = summary.contribution(dossier)
    from_status = dossier.status
    extra: dict[str, Any] = {"data": {}}
    if kind == EventKind.HANDOVER:
        to_unit = _handover(dossier, actor, to_unit, to_user, extra)
    elif kind == EventKind.SUPPLEMENT_REQUESTED:
        if not note.strip():
            raise TransitionRefused("Cần ghi rõ nội dung yêu cầu bổ sung.")
        extra["data"]["paused_from"] = day
        # Counted here, in the step's transaction; more than one makes the dossier late in the QĐ 766 index.
        # An imported dossier with an unknown count (NULL) starts from the one being recorded now.
        dossier.supplement_requests = (dossier.supplement_requests or 0) + 1
        extra["data"]["supplement_requests"] = dossier.supplement_requests
    elif kind == EventKind.SUPPLEMENT_RECEIVED:
        started = dossier.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED).order_by("-at", "-pk").first()
        paused_from = date.fromisoformat(started.data["paused_from"]) if started else day
        cal = get_calendar_for_unit(dossier.unit, dossier.received_on)
        paused = max(cal.working_days_between(paused_from, day), 0)
        old_due = dossier.due_on
        dossier.due_on = cal.add_working_days(old_due, paused) if paused else old_due
        dossier.paused_days += paused
        extra["data"].update(
            paused_from=paused_from, paused_working_days=paused, old_due_on=old_due, new_due_on=dossier.due_on
        )
        note = note or (
            f"Tạm dừng tính thời hạn {paused} ngày làm việc; ngày hẹn trả dời từ "
            f"{format_date(old_due)} sang {format_date(dossier.due_on)}."
        )
    elif kind == EventKind.APOLOGY:
        if dossier.apology_on:
            raise TransitionRefused("Hồ sơ đã có văn bản xin lỗi; chỉ xin lỗi một lần.")
        if new_due_on is None or new_due_on <= dossier.due_on:
            raise TransitionRefused("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.")
        if not note.strip():
            raise TransitionRefused("Cần ghi lý do chậm trả kết quả.")
        dossier.apology_on, dossier.new_due_on = day, new_due_on
        extra["data"].update(due_on=dossier.due_on, new_due_on=new_due_on)
    elif kind == EventKind.RESULT_READY:
        dossier.result_ready_on = day
    elif kind == EventKind.RETURNED:
        if return_method not in ReturnMethod.values:
            raise TransitionRefused("Cần chọn hình thức trả kết quả (tại quầy, bưu chính, trực tuyến).")
        dossier.returned_on, dossier.return_method = day, return_method
        # Measured against the due date, not the apology's new date: a late dossier stays late.
        dossier.outcome = rules.classify(day, dossier.due_on)
        extra["data"].update(outcome=dossier.outcome, due_on=dossier.due_on)
    if kind in (EventKind.REFUSED, EventKind.STOPPED) and not note.strip():
        raise TransitionRefused("Cần ghi rõ lý do.")
    if target is not None:
        dossier.status = target
    if dossier.status in CLOSING:
        dossier.closed_on = day
    dossier.save()
    _event(dossier, actor, kind, moment, from_status=from_status, note=note, **extra)
    audit.record(
        actor,
        Verb(f"dossiers.{kind}"),  # one member per step: DOSSIER_HANDOVER, DOSSIER_REFUSED…
        dossier,
        unit=dossier.unit,
        data={"code": dossier.code, "from": from_status, "to": dossier.status, **_counted(kind, dossier)},
    )
    after = summary.contribution(dossier)
    summary.apply_change(before, after)
    changed = _first_changed_day(before, after)
    if changed is not None:
        # A stock moved too (pending, overdue): every period ending from that day on is affected.
        mark_stale_since(dossier.unit_id, changed)
    return dossier


def _counted(kind: str, dossier: Dossier) -> dict[str, int]:
    """The supplement count a request step set, for its audit row (the index reads it)."""
    if kind == EventKind.SUPPLEMENT_REQUESTED:
        return {"supplement_requests": dossier.supplement_requests}
    return {}


def can_act(actor: Any, dossier: Dossier, kind: str) -> bool:
    """Whether ``actor`` may take step ``kind`` on ``dossier``: an officer who edits the unit's records, or
    the person the dossier was handed to (a leader, who does not edit, hands it back or records the
    result)."""
    if scope.can(actor, scope.Action.EDIT, dossier.unit_id):
        return True
    holder = dossier.holder_user_id
    return holder is not None and holder == getattr(actor, "pk", None) and kind in HOLDER_STEPS


HOLDER_STEPS = frozenset({EventKind.HANDOVER, EventKind.RESULT_READY})


def _handover(dossier: Dossier, actor: Any, to_unit: OrgUnit | None, to_user: Any, extra: dict) -> OrgUnit:
    """Move the dossier to a person of its unit or to an agency; logs both sides (unit and person)."""
    from cchc.dossiers.selectors import unit_people

    if to_user is not None:
        if not unit_people(dossier.unit).filter(pk=to_user.pk).exists():
            raise TransitionRefused("Người nhận phải là cán bộ, công chức đang làm việc của đơn vị giải quyết hồ sơ.")
        to_unit = to_user.unit
    if to_unit is None:
        raise TransitionRefused("Cần chọn người hoặc cơ quan nhận hồ sơ.")
    holder = dossier.holder or dossier.unit
    if to_unit.pk == holder.pk and getattr(to_user, "pk", None) == dossier.holder_user_id:
        who = dossier.holder_user.display_name if dossier.holder_user_id else holder.name
        raise TransitionRefused(f"Hồ sơ đang ở {who}; hãy chọn người hoặc cơ quan khác.")
    giver = actor if getattr(actor, "is_authenticated", False) else None
    extra.update(from_unit=holder, to_unit=to_unit, from_user=giver, to_user=to_user)
    extra["data"].update(to_role=getattr(to_user, "role", ""))
    dossier.holder, dossier.holder_user = to_unit, to_user
    return to_unit


__all__ = [
    "Applicant",
    "CounterSlip",
    "OnlineForm",
    "TransitionRefused",
    "allowed_actions",
    "can_act",
    "check_records",
    "compute_due",
    "import_procedures",
    "issue_lookup_key",
    "procedure_fee_amount",
    "receive",
    "record_counter_slip",
    "save_procedure",
    "transition",
    "update_records",
]
