"""Danh mục thủ tục hành chính: nạp từ tệp CSV/XLSX của tỉnh (all or nothing, every bad value named) and
the edits of the catalogue screen. The dossier life cycle is in :mod:`cchc.dossiers.services`, which
re-exports these writes so that ``services.import_procedures`` keeps working."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from pathlib import Path
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.tabular import find_columns, normalise_header, read_table
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.dossiers import rules
from cchc.dossiers.importing.columns import BOOL_HELP, NO_WORDS, YES_WORDS
from cchc.dossiers.models import Field, PaperKind, Procedure, ProcedurePaper, TimeUnit
from cchc.indicators.services import bump_versions
from cchc.indicators.versions import EVERY_UNIT

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


class ParsedProcedure(NamedTuple):
    """One checked row of a procedure file: the Procedure's values (with its code), its papers in order
    (name, kind, count) and its field (lĩnh vực) as the file names it."""

    values: dict[str, Any]
    papers: list[tuple[str, str, int]]
    field_code: str
    field_name: str


def import_procedures(
    path: Path | str, *, actor: Any, dry_run: bool = False, content: bytes | None = None
) -> ImportResult:
    """Nạp danh mục thủ tục từ CSV/XLSX: all or nothing; a procedure is matched by its code, updated when
    a value changed, its papers replaced when the list changed."""
    header, rows = read_table(path, content)
    parsed = _parse_procedures(rows, _procedure_columns(header))
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        _save_procedures(parsed, result)
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


def _procedure_columns(header: list[str]) -> dict[str, int]:
    """Column → index; refuses a file without one of the required columns before reading its rows."""
    cols = map_header(header, PROCEDURE_COLUMNS)
    errors = ErrorCollector()
    for name in REQUIRED_PROCEDURE_COLUMNS:
        if name not in cols:
            errors.add(None, name, "", f"Thiếu cột “{name}”.")
    errors.raise_if_any()
    return cols


def _parse_procedures(rows: Iterable[list[str]], cols: dict[str, int]) -> list[ParsedProcedure]:
    """Every row checked (blank rows skipped, a code only once); refuses the file naming every bad value."""
    errors = ErrorCollector()
    parsed: list[ParsedProcedure] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(rows, start=2):
        if not any(c.strip() for c in raw):
            continue
        get = {k: (raw[i].strip() if i < len(raw) else "") for k, i in cols.items()}
        code = get["ma_thu_tuc"]
        if not code:
            errors.add(n, "ma_thu_tuc", "", "Thiếu mã thủ tục.")
        elif code in seen:
            errors.add(n, "ma_thu_tuc", code, f"Mã thủ tục trùng với dòng {seen[code]}.")
        else:
            seen[code] = n
            parsed.append(_parse_procedure(errors, n, get))
    errors.raise_if_any()
    return parsed


def _parse_procedure(errors: ErrorCollector, n: int, get: dict[str, str]) -> ParsedProcedure:
    """One row (``get``: column → text) into the Procedure's values; each bad value goes to ``errors``."""
    if not get["ten_thu_tuc"]:
        errors.add(n, "ten_thu_tuc", "", "Thiếu tên thủ tục.")
    if not get["ma_linh_vuc"] or not get["ten_linh_vuc"]:
        errors.add(n, "ma_linh_vuc", get["ma_linh_vuc"], "Thiếu mã hoặc tên lĩnh vực.")
    level = _choice(errors, n, get, "cap_thuc_hien", LEVELS, "xa", "Cấp thực hiện phải là xã, huyện hoặc tỉnh.")
    unit = _choice(
        errors, n, get, "don_vi_thoi_han", TIME_UNITS, "ngay", "Đơn vị thời hạn phải là ngày, giờ hoặc trong ngày."
    )
    time_value = 0 if unit == TimeUnit.SAME_DAY else _time_value(errors, n, get["thoi_han"])
    cutoff = _cutoff(errors, n, get.get("gio_chot", ""))
    online = _choice(errors, n, get, "muc_do", ONLINE_FORMS, "", "Mức độ phải là toàn trình, một phần hoặc để trống.")
    valid_from = _opt_date(errors, n, "hieu_luc_tu", get.get("hieu_luc_tu", ""))
    valid_to = _opt_date(errors, n, "hieu_luc_den", get.get("hieu_luc_den", ""))
    if valid_from and valid_to and valid_to < valid_from:
        errors.add(n, "hieu_luc_den", get["hieu_luc_den"], "Ngày hết hiệu lực trước ngày có hiệu lực.")
    papers = _parse_papers(errors, n, get.get("thanh_phan_ho_so", ""))
    values = {
        "code": get["ma_thu_tuc"],
        "name": get["ten_thu_tuc"],
        "level": level or "xa",
        "time_unit": unit or "ngay",
        "time_value": time_value,
        "cutoff": cutoff,
        "fee": get.get("phi_le_phi", ""),
        "online_form": online or "",
        "legal_basis": get.get("can_cu_phap_ly", ""),
        "valid_from": valid_from,
        "valid_to": valid_to,
        **_procedure_index_values(errors, n, get),
    }
    return ParsedProcedure(values, papers, get["ma_linh_vuc"], get["ten_linh_vuc"])


def _choice(
    errors: ErrorCollector,
    row: int,
    get: dict[str, str],
    column: str,
    choices: dict[str, str],
    empty: str,
    message: str,
) -> str | None:
    """The stored value of a column's word (``choices``: normalised word → value); an empty or absent cell
    reads as ``empty``; an unknown word is an error (None)."""
    text = get.get(column, "")
    value = choices.get(normalise_header(text) or empty)
    if value is None:
        errors.add(row, column, text, message)
    return value


def _time_value(errors: ErrorCollector, row: int, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        errors.add(row, "thoi_han", text, "Thời hạn phải là số nguyên không âm.")
        return 0
    return value


def _cutoff(errors: ErrorCollector, row: int, text: str) -> time | None:
    if not text:
        return None
    try:
        return rules._hm(text)
    except (ValueError, TypeError):
        errors.add(row, "gio_chot", text, "Giờ chốt phải có dạng HH:MM, ví dụ 15:00.")
        return None


def _save_procedures(parsed: list[ParsedProcedure], result: ImportResult) -> None:
    """Create, update or leave each procedure (and its field) as the checked rows say; counts in ``result``."""
    fields = {f.code: f for f in Field.objects.all()}
    existing = {p.code: p for p in Procedure.objects.prefetch_related("papers")}
    for row in parsed:
        field = fields.get(row.field_code)
        if field is None:
            field = fields[row.field_code] = Field.objects.create(code=row.field_code, name=row.field_name)
        elif field.name != row.field_name:
            field.name = row.field_name
            field.save(update_fields=["name"])
            # the statistics' tables by field print its name: kept ones are read again no more
            bump_versions([(EVERY_UNIT, 0)])
        proc = existing.get(row.values["code"])
        if proc is None:
            _write_papers(Procedure.objects.create(field=field, **row.values), row.papers)
            result.created += 1
        elif _update_procedure(proc, field, row):
            result.updated += 1
        else:
            result.unchanged += 1


def _update_procedure(proc: Procedure, field: Field, row: ParsedProcedure) -> bool:
    """Bring an existing procedure to the row's values; False when nothing differed (nothing written)."""
    changed = [k for k, v in row.values.items() if getattr(proc, k) != v]
    moved = proc.field_id != field.pk
    have_papers = [(p.name, p.kind, p.count) for p in proc.papers.all()]
    if not changed and not moved and have_papers == row.papers:
        return False
    if moved:
        proc.field = field
    for k in changed:
        setattr(proc, k, row.values[k])
    proc.save()
    if have_papers != row.papers:
        proc.papers.all().delete()
        _write_papers(proc, row.papers)
    return True


def _write_papers(procedure: Procedure, papers: list[tuple[str, str, int]]) -> None:
    ProcedurePaper.objects.bulk_create(
        ProcedurePaper(procedure=procedure, position=i, name=n, kind=k, count=c) for i, (n, k, c) in enumerate(papers)
    )


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
        _write_papers(procedure, papers)
    audit.record(
        actor,
        Verb.PROCEDURE_CREATE if creating else Verb.PROCEDURE_UPDATE,
        procedure,
        data={"code": procedure.code},
    )
    return procedure
