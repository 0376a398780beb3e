"""Nạp hồ sơ từ tệp xuất của hệ thống một cửa cấp tỉnh: ``cchc dossiers import FILE``.

Fast path, measured in bench/dossiers_bench.py: one Python pass over the rows (dictionary look-ups and
memoised date parsing, no model objects), numpy for the due dates and the classification, then only the
new or changed rows are written — SQLite: ``executemany`` on the raw connection inside the Django
transaction; PostgreSQL: COPY into a temporary table, then INSERT … ON CONFLICT. The summary table is
rebuilt in SQL for the units the file touched. All or nothing: any bad row rejects the file.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from django.db import connection, transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.importing import ErrorCollector, ImportRejected, ImportResult, RowError
from cchc.dossiers import summary
from cchc.dossiers.models import Dossier, Field, ImportJob, Procedure
from cchc.dossiers.services import map_header, normalise_header
from cchc.dossiers.tabular import read_table
from cchc.org.models import Level, OrgUnit
from cchc.workdays.selectors import get_calendar

COLUMNS: dict[str, tuple[str, ...]] = {
    "ma_ho_so": ("ma ho so", "so ho so", "ma hs"),
    "don_vi": ("don vi", "ma don vi", "don vi tiep nhan", "ma co quan"),
    "ma_thu_tuc": ("ma thu tuc", "ma tthc", "ma thu tuc hanh chinh"),
    "ten_thu_tuc": ("ten thu tuc", "ten tthc", "thu tuc", "ten thu tuc hanh chinh"),
    "linh_vuc": ("linh vuc", "ma linh vuc", "ten linh vuc"),
    "so_ngay_giai_quyet": ("so ngay giai quyet", "thoi han giai quyet", "so ngay"),
    "kenh": ("kenh", "kenh tiep nhan", "hinh thuc nop"),
    "muc_do": ("muc do", "muc do dvc", "dich vu cong truc tuyen"),
    "ngay_tiep_nhan": ("ngay tiep nhan", "ngay nhan", "thoi gian tiep nhan"),
    "ngay_hen_tra": ("ngay hen tra", "ngay hen tra ket qua", "han giai quyet", "han xu ly"),
    "ngay_tra_ket_qua": ("ngay tra ket qua", "ngay tra", "ngay hoan thanh", "ngay co ket qua tra"),
    "da_xin_loi": ("da xin loi", "xin loi", "co phieu xin loi"),
    "ngay_hen_tra_moi": ("ngay hen tra moi", "ngay hen lai"),
}
REQUIRED = ("ma_ho_so", "don_vi", "ma_thu_tuc", "kenh", "ngay_tiep_nhan")
CHANNELS = {
    "truc tiep": "truc_tiep",
    "truc tuyen": "truc_tuyen",
    "buu chinh": "buu_chinh",
    "buu chinh cong ich": "buu_chinh",
    "bcci": "buu_chinh",
    "online": "truc_tuyen",
}
FORMS = {
    "": "",
    "toan trinh": "toan_trinh",
    "mot phan": "mot_phan",
    "muc do 4": "toan_trinh",
    "muc do 3": "mot_phan",
    "4": "toan_trinh",
    "3": "mot_phan",
    "khong": "",
}
YES = {
    "co": True,
    "1": True,
    "x": True,
    "yes": True,
    "true": True,
    "": False,
    "khong": False,
    "0": False,
    "no": False,
    "false": False,
}
CHUNK_PROGRESS = 100_000
_WRITE_BATCH = 50_000

_D_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_D_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_T_HM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_EPOCH = date(1970, 1, 1).toordinal()


class _Dates:
    """Memoised parsing of dd/mm/yyyy [HH:MM] and ISO: days since 1970 and minute of day (−1 when none)."""

    def __init__(self) -> None:
        self.days: dict[str, int | None] = {}
        self.times: dict[str, int | None] = {}

    def day(self, text: str) -> int | None:
        try:
            return self.days[text]
        except KeyError:
            pass
        m = _D_DMY.match(text) or _D_ISO.match(text)
        value = None
        if m:
            a, b, c = (int(g) for g in m.groups())
            d, mo, y = (a, b, c) if m.re is _D_DMY else (c, b, a)
            try:
                value = date(y, mo, d).toordinal() - _EPOCH
            except ValueError:
                value = None
        self.days[text] = value
        return value

    def time(self, text: str) -> int | None:
        try:
            return self.times[text]
        except KeyError:
            pass
        m = _T_HM.match(text)
        value = None
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            value = int(m.group(1)) * 60 + int(m.group(2))
        self.times[text] = value
        return value

    def parse(self, text: str) -> tuple[int, int] | None:
        """(day, minute) or None when unreadable; ``text`` is not empty."""
        if " " in text or "T" in text:
            head, _, tail = text.replace("T", " ", 1).partition(" ")
            d, t = self.day(head), self.time(tail.strip())
            return None if d is None or t is None else (d, t)
        d = self.day(text)
        return None if d is None else (d, -1)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40] or "khac"


def read_mapping(path: Path | str | None) -> dict[str, str]:
    """Tệp ánh xạ cột: YAML ``{nhãn trong tệp: tên cột chuẩn}`` or CSV lines ``nhãn,tên cột chuẩn``."""
    if not path:
        return {}
    text = Path(path).read_text(encoding="utf-8-sig")
    if str(path).lower().endswith((".yaml", ".yml")):
        raw = yaml.safe_load(text) or {}
        mapping = {str(k): str(v) for k, v in raw.items()}
    else:
        mapping = {}
        for line in text.splitlines():
            if "," in line:
                label, _, canonical = line.rpartition(",")
                mapping[label.strip()] = canonical.strip()
    bad = [v for v in mapping.values() if v not in COLUMNS]
    if bad:
        raise ImportRejected([RowError(None, "", v, "Tệp ánh xạ chỉ tới cột không có trong mẫu chuẩn.") for v in bad])
    return mapping


@dataclass
class _Proc:
    pk: int | None
    field_id: int | None
    time_unit: str
    days: int
    cutoff: int  # minute of day, −1 = none


ProgressFn = Callable[[int, str], None]


def _noop(_: int, __: str) -> None:
    pass


def import_dossiers(
    path: Path | str,
    *,
    actor: Any,
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
    content: bytes | None = None,
    progress: ProgressFn = _noop,
    job: ImportJob | None = None,
) -> ImportResult:
    """Nạp tệp hồ sơ (CSV UTF-8 hoặc XLSX). Raises ImportRejected with every bad row (first 1,000)."""
    progress(1, "Đang đọc tệp")
    header, rows = read_table(path, content)
    idx = map_header(header, COLUMNS, mapping)
    errors: list[tuple[int, str, str, str]] = []
    missing = [c for c in REQUIRED if c not in idx]
    if missing:
        collector = ErrorCollector()
        for c in missing:
            collector.add(1, c, "", f"Thiếu cột “{c}” (xem mẫu tiêu đề trong docs/dossiers.md).")
        collector.raise_if_any()
    get_col = {c: idx.get(c, -1) for c in COLUMNS}

    units = {
        code: (pk, vf.toordinal() - _EPOCH, (vt.toordinal() - _EPOCH) if vt else 1 << 30)
        for code, pk, vf, vt in OrgUnit.objects.values_list("code", "pk", "valid_from", "valid_to")
    }
    allowed = scope.unit_ids(actor, scope.Action.EDIT) if getattr(actor, "is_authenticated", False) else None
    procs: dict[str, _Proc] = {
        p.code: _Proc(
            p.pk, p.field_id, p.time_unit, p.time_value, p.cutoff.hour * 60 + p.cutoff.minute if p.cutoff else -1
        )
        for p in Procedure.objects.only("code", "field_id", "time_unit", "time_value", "cutoff")
    }
    new_procs: dict[str, tuple[str, str, int, int]] = {}  # code → (name, field text, days, first row)
    dates = _Dates()
    seen: dict[str, int] = {}

    # Column arrays built in one pass.
    rownums: list[int] = []
    codes: list[str] = []
    unit_ids: list[int] = []
    unit_codes: list[str] = []
    proc_codes: list[str] = []
    channels: list[str] = []
    forms: list[str] = []
    rec_day: list[int] = []
    rec_min: list[int] = []
    due_day: list[int] = []
    ret_day: list[int] = []
    apology: list[bool] = []
    new_due: list[int] = []

    def err(n: int, col: str, value: str, message: str) -> None:
        errors.append((n, col, value, message))

    i_code, i_unit, i_proc, i_name = (
        get_col["ma_ho_so"],
        get_col["don_vi"],
        get_col["ma_thu_tuc"],
        get_col["ten_thu_tuc"],
    )
    i_field, i_days, i_chan, i_form = (
        get_col["linh_vuc"],
        get_col["so_ngay_giai_quyet"],
        get_col["kenh"],
        get_col["muc_do"],
    )
    i_rec, i_due, i_ret = get_col["ngay_tiep_nhan"], get_col["ngay_hen_tra"], get_col["ngay_tra_ket_qua"]
    i_apo, i_new = get_col["da_xin_loi"], get_col["ngay_hen_tra_moi"]
    width = max(idx.values()) + 1
    chan_cache: dict[str, str | None] = {}
    form_cache: dict[str, str | None] = {}
    yes_cache: dict[str, bool | None] = {}

    def cell(r: list[str], i: int) -> str:
        return r[i].strip() if i >= 0 else ""

    n = 1
    for n, r in enumerate(rows, start=2):
        if len(r) < width:
            if not any(x.strip() for x in r):
                continue
            r = [*r, *([""] * (width - len(r)))]
        if n % CHUNK_PROGRESS == 0:
            progress(min(5 + n // 25_000, 60), f"Đã kiểm tra {n - 1:,} dòng".replace(",", "."))
        ok = True
        code = r[i_code].strip()
        if not code:
            err(n, "ma_ho_so", "", "Thiếu mã hồ sơ.")
            ok = False
        elif code in seen:
            err(n, "ma_ho_so", code, f"Mã hồ sơ trùng với dòng {seen[code]}.")
            ok = False
        else:
            seen[code] = n
        ucode = r[i_unit].strip()
        unit = units.get(ucode)
        if unit is None:
            err(n, "don_vi", ucode, "Không có đơn vị mang mã này trong danh mục đơn vị.")
            ok = False
        elif allowed is not None and unit[0] not in allowed:
            err(n, "don_vi", ucode, "Bạn không có quyền nhập hồ sơ của đơn vị này.")
            ok = False
        pcode = r[i_proc].strip()
        proc = procs.get(pcode)
        if proc is None:
            name, days_text = cell(r, i_name), cell(r, i_days)
            if not pcode:
                err(n, "ma_thu_tuc", "", "Thiếu mã thủ tục.")
                ok = False
            elif pcode in new_procs:
                proc = procs[pcode] = _Proc(None, None, "ngay", new_procs[pcode][2], -1)
            elif not name or not days_text:
                err(
                    n,
                    "ma_thu_tuc",
                    pcode,
                    "Thủ tục chưa có trong danh mục; cần ghi tên thủ tục (ten_thu_tuc) và "
                    "số ngày giải quyết (so_ngay_giai_quyet) để tạo mới.",
                )
                ok = False
            elif not days_text.isdigit():
                err(n, "so_ngay_giai_quyet", days_text, "Số ngày giải quyết phải là số nguyên không âm.")
                ok = False
            else:
                new_procs[pcode] = (name, cell(r, i_field), int(days_text), n)
                proc = procs[pcode] = _Proc(None, None, "ngay", int(days_text), -1)
        raw = r[i_chan].strip()
        chan = chan_cache.get(raw, "?")
        if chan == "?":
            chan = chan_cache[raw] = CHANNELS.get(normalise_header(raw))
        if chan is None:
            err(n, "kenh", raw, "Kênh phải là truc_tiep, truc_tuyen hoặc buu_chinh.")
            ok = False
        raw = cell(r, i_form)
        form = form_cache.get(raw, "?")
        if form == "?":
            form = form_cache[raw] = FORMS.get(normalise_header(raw))
        if form is None:
            err(n, "muc_do", raw, "Mức độ phải là toan_trinh, mot_phan hoặc để trống.")
            ok = False
        raw = r[i_rec].strip()
        rec = dates.parse(raw) if raw else None
        if rec is None:
            err(
                n,
                "ngay_tiep_nhan",
                raw,
                "Thiếu ngày tiếp nhận."
                if not raw
                else "Ngày tiếp nhận không đúng dạng dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd.",
            )
            ok = False
        due = -1
        raw = cell(r, i_due)
        if raw:
            parsed = dates.parse(raw)
            if parsed is None:
                err(n, "ngay_hen_tra", raw, "Ngày hẹn trả không đúng dạng dd/mm/yyyy.")
                ok = False
            else:
                due = parsed[0]
                if rec is not None and due < rec[0]:
                    err(n, "ngay_hen_tra", raw, "Ngày hẹn trả trước ngày tiếp nhận.")
                    ok = False
        ret = -1
        raw = cell(r, i_ret)
        if raw:
            parsed = dates.parse(raw)
            if parsed is None:
                err(n, "ngay_tra_ket_qua", raw, "Ngày trả kết quả không đúng dạng dd/mm/yyyy.")
                ok = False
            else:
                ret = parsed[0]
                if rec is not None and ret < rec[0]:
                    err(n, "ngay_tra_ket_qua", raw, "Ngày trả kết quả trước ngày tiếp nhận.")
                    ok = False
        raw = cell(r, i_apo)
        apo = yes_cache.get(raw, "?")
        if apo == "?":
            apo = yes_cache[raw] = YES.get(normalise_header(raw))
        if apo is None:
            err(n, "da_xin_loi", raw, "Đã xin lỗi phải là có hoặc không (1/0, x).")
            ok = False
        nd = -1
        raw = cell(r, i_new)
        if raw:
            parsed = dates.parse(raw)
            if parsed is None:
                err(n, "ngay_hen_tra_moi", raw, "Ngày hẹn trả mới không đúng dạng dd/mm/yyyy.")
                ok = False
            elif not apo:
                err(n, "ngay_hen_tra_moi", raw, "Có ngày hẹn trả mới nhưng cột đã xin lỗi không ghi “có”.")
                ok = False
            else:
                nd = parsed[0]
        if unit is not None and rec is not None and not unit[1] <= rec[0] <= unit[2]:
            err(n, "don_vi", ucode, "Đơn vị không còn (hoặc chưa) tồn tại vào ngày tiếp nhận hồ sơ.")
            ok = False
        if not ok:
            continue
        rownums.append(n)
        codes.append(code)
        unit_ids.append(unit[0])
        unit_codes.append(ucode)
        proc_codes.append(pcode)
        channels.append(chan)
        forms.append(form)
        rec_day.append(rec[0])
        rec_min.append(rec[1])
        due_day.append(due)
        ret_day.append(ret)
        apology.append(apo)
        new_due.append(nd)
    total_rows = n - 1
    progress(62, "Đang tính ngày hẹn trả và phân loại")

    # ---- due dates, vectorised per calendar -----------------------------------------------------------
    count = len(codes)
    rec_a = np.array(rec_day, dtype=np.int64)
    rmin_a = np.array(rec_min, dtype=np.int64)
    due_a = np.array(due_day, dtype=np.int64)
    ret_a = np.array(ret_day, dtype=np.int64)
    new_a = np.array(new_due, dtype=np.int64)
    uid_a = np.array(unit_ids, dtype=np.int64)
    days_a = np.array([procs[c].days for c in proc_codes], dtype=np.int64)
    cut_a = np.array([procs[c].cutoff for c in proc_codes], dtype=np.int64)
    need = due_a < 0
    if need.any():
        from cchc.org.selectors import load_graph

        graph = load_graph()
        groups: dict[int, tuple[Any, list[int]]] = {}
        for pk in np.unique(uid_a[need]).tolist():
            unit = graph.units[pk]
            # The province the unit belonged to on its last day (today for a unit that still exists).
            day = unit.valid_to or timezone.localdate()
            province = next((a for a in [unit, *graph.ancestors_on(pk, day)] if a.level == Level.PROVINCE), None)
            cal = get_calendar(province)
            groups.setdefault(id(cal), (cal, []))[1].append(pk)
        from cchc.dossiers.rules import due_dates_many

        for cal, pks in groups.values():
            mask = need & np.isin(uid_a, pks)
            days64 = rec_a[mask].astype("datetime64[D]")
            lo, hi = np.datetime64(cal.start, "D"), np.datetime64(cal.end, "D") - 120
            outside = (days64 < lo) | (days64 > hi)
            if outside.any():
                for k in np.flatnonzero(mask)[outside]:
                    errors.append(
                        (
                            rownums[k],
                            "ngay_tiep_nhan",
                            str(rec_a[k].astype("datetime64[D]")),
                            "Ngày tiếp nhận ngoài phạm vi lịch làm việc; không tính được ngày hẹn trả.",
                        )
                    )
                mask &= ~np.isin(np.arange(count), np.flatnonzero(mask)[outside])
                days64 = rec_a[mask].astype("datetime64[D]")
            after = (cut_a[mask] >= 0) & (rmin_a[mask] >= cut_a[mask])
            due_a[mask] = due_dates_many(cal, days64, after, days_a[mask]).astype(np.int64)
    if new_procs:
        for name, _, _, row in new_procs.values():
            if len(name) > 500:
                errors.append((row, "ten_thu_tuc", name[:60] + "…", "Tên thủ tục dài quá 500 ký tự."))
    if errors:
        errors.sort(key=lambda e: e[0])
        collector = ErrorCollector()
        for e in errors:
            collector.add(*e)
        progress(100, "Tệp bị từ chối")
        collector.raise_if_any()

    returned = ret_a >= 0
    outcome = np.where(~returned, "", np.where(ret_a < due_a, "som", np.where(ret_a == due_a, "dung", "tre")))
    apo_a = np.array(apology, dtype=bool)
    # The file does not say when the apology was issued: it is dated the original due date, the last day
    # on which it should have been (docs/dossiers.md).
    apo_day = np.where(apo_a, due_a, -1)

    def iso(a: np.ndarray) -> list[str | None]:
        s = np.datetime_as_string(a.astype("datetime64[D]")).tolist()
        return [None if v < 0 else t for v, t in zip(a.tolist(), s, strict=True)]

    rec_iso, due_iso, ret_iso, apo_iso, new_iso = iso(rec_a), iso(due_a), iso(ret_a), iso(apo_day), iso(new_a)
    has_time = rmin_a >= 0
    utc = (rec_a * 1440 + np.where(has_time, rmin_a, 0) - 420).astype("datetime64[m]")
    utc_s = np.datetime_as_string(utc).tolist()
    tz_suffix = ":00" if connection.vendor == "sqlite" else ":00+00"
    rec_at = [f"{t[:10]} {t[11:]}{tz_suffix}" if h else None for t, h in zip(utc_s, has_time.tolist(), strict=True)]
    outcome_l = outcome.tolist()
    # The fingerprint of a row: what it says, not how it was written, so a re-export in another date
    # format changes nothing.
    fps = [
        hashlib.blake2b(f"{a}|{b}|{c}|{d}|{e}|{f}|{g}|{h}|{i}|{j}".encode(), digest_size=16).hexdigest()
        for a, b, c, d, e, f, g, h, i, j in zip(
            unit_codes, proc_codes, channels, forms, rec_iso, rec_at, due_iso, ret_iso, apo_iso, new_iso, strict=True
        )
    ]
    progress(70, "Đang đối chiếu với dữ liệu đã có")

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        existing: dict[str, tuple[str, int]] = {}
        with connection.cursor() as cur:
            table = Dossier._meta.db_table
            for start in range(0, count, 5000):
                batch = codes[start : start + 5000]
                cur.execute(
                    f"SELECT code, row_hash, unit_id FROM {table} WHERE code IN ({', '.join(['%s'] * len(batch))})",
                    batch,
                )
                for c, h, u in cur.fetchall():
                    existing[c] = (h, u)
        write = []
        touched_units = set()
        for k in range(count):
            old = existing.get(codes[k])
            if old is None:
                result.created += 1
            elif old[0] == fps[k]:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
                touched_units.add(old[1])
            write.append(k)
        result.details = {"rows": total_rows, "new_procedures": len(new_procs)}
        if dry_run or not write:
            progress(100, "Hoàn thành")
            if not dry_run:
                audit.record(
                    actor,
                    "dossiers.import",
                    ("dossiers.importjob", str(job.pk if job else path)),
                    data={"file": str(path), **result.__dict__},
                )
            return result

        progress(75, "Đang ghi hồ sơ")
        field_ids = _create_procedures(new_procs, procs)
        pid = {c: (p.pk, p.field_id) for c, p in procs.items() if p.pk is not None}
        del field_ids
        job_id = job.pk if job else None
        status = ["da_tra" if r >= 0 else "dang_xu_ly" for r in ret_a.tolist()]
        tuples = []
        for k in write:
            p, f = pid[proc_codes[k]]
            tuples.append(
                (
                    codes[k],
                    unit_ids[k],
                    p,
                    f,
                    channels[k],
                    forms[k],
                    status[k],
                    rec_at[k],
                    rec_iso[k],
                    due_iso[k],
                    due_iso[k],
                    apo_iso[k],
                    new_iso[k],
                    ret_iso[k],
                    ret_iso[k],
                    ret_iso[k],
                    outcome_l[k],
                    unit_ids[k],
                    fps[k],
                    job_id,
                )
            )
            touched_units.add(unit_ids[k])
        tuples.sort()  # in code order: the unique index then grows at its end instead of everywhere
        _write(tuples, progress)
        progress(92, "Đang cập nhật bảng tổng hợp")
        summary.rebuild_units(touched_units)
        audit.record(
            actor,
            "dossiers.import",
            ("dossiers.importjob", str(job.pk if job else path)),
            data={
                "file": str(path),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rows": total_rows,
            },
        )
    progress(100, "Hoàn thành")
    return result


def _create_procedures(new_procs: dict[str, tuple[str, str, int, int]], procs: dict[str, _Proc]) -> None:
    """Procedures the file names with a name and a time: created with the field given (by code, else by
    exact name, else a new field)."""
    if not new_procs:
        return
    by_code = {f.code: f for f in Field.objects.all()}
    by_name = {unicodedata.normalize("NFC", f.name).casefold(): f for f in by_code.values()}
    for code, (name, field_text, days, _) in new_procs.items():
        text = field_text.strip() or "Lĩnh vực khác"
        field = by_code.get(text) or by_name.get(unicodedata.normalize("NFC", text).casefold())
        if field is None:
            slug = _slug(text)
            field = by_code.get(slug) or Field.objects.create(code=slug, name=text)
            by_code[slug] = field
            by_name[unicodedata.normalize("NFC", text).casefold()] = field
        p = Procedure.objects.create(code=code, name=name[:500], field=field, time_unit="ngay", time_value=days)
        procs[code] = _Proc(p.pk, field.pk, "ngay", days, -1)


_COLS = (
    "code",
    "unit_id",
    "procedure_id",
    "field_id",
    "channel",
    "online_form",
    "status",
    "received_at",
    "received_on",
    "original_due_on",
    "due_on",
    "apology_on",
    "new_due_on",
    "result_ready_on",
    "returned_on",
    "closed_on",
    "outcome",
    "holder_id",
    "row_hash",
    "import_job_id",
)
_CONSTANTS = {
    "source": "'nhap'",
    "applicant_name": "''",
    "applicant_id_number": "''",
    "applicant_address": "''",
    "applicant_phone": "''",
    "applicant_email": "''",
    "sets": "1",
    "paused_days": "0",
    "return_method": "''",
    "note": "''",
}
_UPDATED = [c for c in _COLS if c != "code"] + ["source"]


def _write(tuples: list[tuple], progress: ProgressFn) -> None:
    table = Dossier._meta.db_table
    cols = ", ".join((*_COLS, *_CONSTANTS))
    sets = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE dossier_stage (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
            cur.execute("ALTER TABLE dossier_stage ALTER COLUMN id DROP NOT NULL")
            buf = io.StringIO()
            for t in tuples:
                buf.write("\t".join("\\N" if v is None else str(v) for v in t))
                buf.write("\n")
            with cur.cursor.copy(f"COPY dossier_stage ({', '.join(_COLS)}) FROM STDIN") as copy:
                copy.write(buf.getvalue())
            progress(85, "Đang ghi hồ sơ")
            consts = ", ".join(_CONSTANTS.values())
            cur.execute(
                f"INSERT INTO {table} ({cols}) SELECT {', '.join(_COLS)}, {consts} FROM dossier_stage "
                f"ON CONFLICT (code) DO UPDATE SET {sets}"
            )
        return
    raw = connection.connection  # sqlite3 connection, inside the Django transaction
    # The default page cache (2 MB) makes every index insert of a big file spill to the OS: give this
    # connection room while it imports (it is per connection and harmless afterwards).
    raw.execute("PRAGMA cache_size = -262144")
    marks = ", ".join(["?"] * len(_COLS) + list(_CONSTANTS.values()))
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT (code) DO UPDATE SET {sets}"
    for start in range(0, len(tuples), _WRITE_BATCH):
        raw.executemany(sql, tuples[start : start + _WRITE_BATCH])
        progress(75 + int(15 * (start + _WRITE_BATCH) / max(len(tuples), 1)), "Đang ghi hồ sơ")


# ---- jobs ---------------------------------------------------------------------------------------------
def run_job(job: ImportJob, mapping: dict[str, str] | None = None) -> ImportJob:
    """Run an upload job (inline or in a worker thread): progress goes to the job row."""
    from django.db import close_old_connections

    def progress(pct: int, stage: str) -> None:
        # Outside the import transaction on PostgreSQL; on SQLite the write lock is held by the import, so
        # the percentage is kept for the poller in memory (same process) and written at the end.
        _PROGRESS[job.pk] = (pct, stage)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(progress=pct, stage=stage)

    ImportJob.objects.filter(pk=job.pk).update(status="dang_chay", stage="Đang đọc tệp")
    try:
        actor = job.user or job.actor_label
        result = import_dossiers(
            job.file_path, actor=actor, dry_run=job.dry_run, mapping=mapping, progress=progress, job=job
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status="xong",
            progress=100,
            stage=result.summary(),
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rows=result.details.get("rows", 0),
            finished_at=timezone.now(),
        )
    except ImportRejected as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status="tu_choi",
            progress=100,
            stage=exc.summary(),
            error_total=exc.total,
            errors=[e.as_dict() for e in exc.errors],
            finished_at=timezone.now(),
        )
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status="loi", progress=100, stage=f"Lỗi hệ thống: {exc}", finished_at=timezone.now()
        )
    finally:
        _PROGRESS.pop(job.pk, None)
        close_old_connections()
    job.refresh_from_db()
    return job


_PROGRESS: dict[int, tuple[int, str]] = {}


def job_progress(job: ImportJob) -> tuple[int, str]:
    return _PROGRESS.get(job.pk, (job.progress, job.stage))
