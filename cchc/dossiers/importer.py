"""Nạp hồ sơ từ tệp xuất của hệ thống một cửa cấp tỉnh: ``cchc dossiers import FILE``.

Fast path, measured in bench/dossiers_bench.py (docs/dossiers.md, Benchmark): the file read into columns,
every check column-wise (numpy, distinct values), then only the new or changed rows are written — SQLite:
``executemany`` on the raw connection inside the Django transaction; PostgreSQL: binary COPY into a
temporary table, then INSERT … ON CONFLICT, without the per-row foreign-key triggers when the role may skip
them. The summary table receives the deltas of the written rows. All or nothing: any bad row rejects the
file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.importing import ErrorCollector, ImportRejected, ImportResult, RowError
from cchc.core.text import fold
from cchc.core.uploads import UploadKind, check_upload
from cchc.dossiers import summary
from cchc.dossiers.models import Dossier, Field, ImportJob, Procedure
from cchc.dossiers.services import map_header, normalise_header
from cchc.dossiers.tabular import read_table
from cchc.indicators.services import mark_stale_since
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph
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
_REINDEX_MIN = 200_000  # rows written at once from which the secondary indexes are rebuilt

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
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:40] or "khac"


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


def _plain_csv(path: Path | str, content: bytes | None) -> tuple[list[str], list[list[str]]] | None:
    """Header and columns of a plain CSV file — no quoted cell, every line exactly as wide as the header —
    split by ``str.split`` (in C, a fifth of the csv module's time on a million rows). None for anything
    else (Excel, quotes, ragged or blank lines, not UTF-8): :func:`read_table` reads those and gives the
    errors. Same delimiter rule as read_table."""
    if str(path).lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        return None
    try:
        raw = content if content is not None else Path(path).read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    del raw
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    if '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    del text
    if lines and not lines[-1]:
        lines.pop()
    if len(lines) < 2:
        return None
    width = lines[0].count(delimiter) + 1
    if set(map(str.count, lines, repeat(delimiter))) != {width - 1}:
        return None
    cells = delimiter.join(lines).split(delimiter)
    del lines
    return [h.strip() for h in cells[:width]], [cells[width + i :: width] for i in range(width)]


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


_DATE_SHAPE = re.compile(r"\s*(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:[ T].*)?")


def _bad_date(label: str, raw: list[str], shapes: str = "dd/mm/yyyy") -> Callable[[int], str]:
    """The message for a bad date of row ``k``: well written but not in the calendar (31/02/2026) is "ngày
    không có thật", anything else a wrong shape (only bad rows are looked at, so this costs nothing)."""

    def message(k: int) -> str:
        m = _DATE_SHAPE.fullmatch(raw[k])
        if m:
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
            try:
                date(int(y), int(mo), int(d))
            except ValueError:
                return f"{label} “{raw[k].strip()}” là ngày không có thật."
        return f"{label} không đúng dạng {shapes}."

    return message


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
    # The upload guard before the file is read whole: size, ZIP bombs, claimed and real used ranges.
    check_upload(content if content is not None else path, str(path), UploadKind.TABLE)
    plain = _plain_csv(path, content)
    if plain is not None:
        header, table = plain
    else:
        header, row_iter = read_table(path, content)
    idx = map_header(header, COLUMNS, mapping)
    missing = [c for c in REQUIRED if c not in idx]
    if missing:
        collector = ErrorCollector()
        for c in missing:
            collector.add(1, c, "", f"Thiếu cột “{c}” (xem mẫu tiêu đề trong docs/dossiers.md).")
        collector.raise_if_any()
    width = max(idx.values()) + 1
    rows = [] if plain is not None else row_iter if isinstance(row_iter, list) else list(row_iter)
    total_rows = len(table[0]) if plain is not None else len(rows)
    rownum = np.arange(2, total_rows + 2, dtype=np.int64)
    if rows and min(map(len, rows)) < width:
        # Short rows: blank ones are skipped (an Excel sheet's trailing rows), others padded.
        keep = []
        for k, r in enumerate(rows):
            if len(r) < width:
                if not any(x.strip() for x in r):
                    continue
                rows[k] = [*r, *([""] * (width - len(r)))]
            keep.append(k)
        rows = [rows[k] for k in keep]
        rownum = rownum[keep]
    n = total_rows if plain is not None else len(rows)

    def column(name: str) -> list[str]:
        i = idx.get(name, -1)
        if i < 0:
            return [""] * n
        return list(map(str.strip, table[i] if plain is not None else map(itemgetter(i), rows)))

    cols = {c: column(c) for c in COLUMNS}
    rows.clear()
    plain = table = None
    progress(20, f"Đang kiểm tra {n:,} dòng".replace(",", "."))

    units = {
        code: (pk, vf.toordinal() - _EPOCH, (vt.toordinal() - _EPOCH) if vt else 1 << 30)
        for code, pk, vf, vt in OrgUnit.objects.values_list("code", "pk", "valid_from", "valid_to")
    }
    # A user's own units; a SystemActor (a command on the server) every unit; None or anonymous: none.
    allowed = scope.unit_ids(actor, scope.Action.EDIT)
    procs: dict[str, _Proc] = {
        p.code: _Proc(
            p.pk, p.field_id, p.time_unit, p.time_value, p.cutoff.hour * 60 + p.cutoff.minute if p.cutoff else -1
        )
        for p in Procedure.objects.only("code", "field_id", "time_unit", "time_value", "cutoff")
    }
    # Errors as (row, order of the check within the row, column, value, message): the list is sorted so a
    # row's errors read left to right, as the clerk sees the columns.
    errors: list[tuple[int, int, str, str, str]] = []
    bad = np.zeros(n, dtype=bool)

    def flag(mask: np.ndarray, order: int, col: str, values: list[str], message: str | Callable[[int], str]) -> None:
        for k in np.flatnonzero(mask).tolist():
            msg = message(k) if callable(message) else message
            errors.append((int(rownum[k]), order, col, values[k], msg))
        bad[mask] = True

    # ---- ma_ho_so: present and unique -------------------------------------------------------------------
    codes = cols["ma_ho_so"]
    distinct = set(codes)
    if len(distinct) != n or "" in distinct:
        seen: dict[str, int] = {}
        for k, code in enumerate(codes):
            if not code:
                errors.append((int(rownum[k]), 0, "ma_ho_so", "", "Thiếu mã hồ sơ."))
                bad[k] = True
            elif code in seen:
                errors.append((int(rownum[k]), 0, "ma_ho_so", code, f"Mã hồ sơ trùng với dòng {seen[code]}."))
                bad[k] = True
            else:
                seen[code] = int(rownum[k])
    del distinct

    # ---- don_vi --------------------------------------------------------------------------------------------
    u_keys, u_inv = _factorise(cols["don_vi"])
    u_info = [units.get(c) for c in u_keys]
    u_known = np.array([u is not None for u in u_info], dtype=bool)
    u_pk = np.array([u[0] if u else 0 for u in u_info], dtype=np.int64)
    u_from = np.array([u[1] if u else 0 for u in u_info], dtype=np.int64)
    u_to = np.array([u[2] if u else 0 for u in u_info], dtype=np.int64)
    unknown_unit = ~u_known[u_inv]
    flag(unknown_unit, 1, "don_vi", cols["don_vi"], "Không có đơn vị mang mã này trong danh mục đơn vị.")
    if allowed is not None:
        u_ok = np.array([u is not None and u[0] in allowed for u in u_info], dtype=bool)
        flag(~u_ok[u_inv] & ~unknown_unit, 1, "don_vi", cols["don_vi"], "Bạn không có quyền nhập hồ sơ của đơn vị này.")

    # ---- ma_thu_tuc: known, or created from the first row that names it with a time ---------------------------
    p_keys, p_inv = _factorise(cols["ma_thu_tuc"])
    new_procs: dict[str, tuple[str, str, int, int]] = {}  # code → (name, field text, days, first row)
    p_bad_rows: list[int] = []
    unknown = [j for j, c in enumerate(p_keys) if c not in procs]
    if unknown:
        names, days_col, fields_col = cols["ten_thu_tuc"], cols["so_ngay_giai_quyet"], cols["linh_vuc"]
        for j in unknown:
            pcode = p_keys[j]
            for k in np.flatnonzero(p_inv == j).tolist():
                row = int(rownum[k])
                if not pcode:
                    errors.append((row, 2, "ma_thu_tuc", "", "Thiếu mã thủ tục."))
                elif pcode in new_procs:
                    continue
                elif not names[k] or not days_col[k]:
                    errors.append(
                        (
                            row,
                            2,
                            "ma_thu_tuc",
                            pcode,
                            "Thủ tục chưa có trong danh mục; cần ghi tên thủ tục (ten_thu_tuc) và "
                            "số ngày giải quyết (so_ngay_giai_quyet) để tạo mới.",
                        )
                    )
                elif not days_col[k].isdigit():
                    errors.append(
                        (row, 2, "so_ngay_giai_quyet", days_col[k], "Số ngày giải quyết phải là số nguyên không âm.")
                    )
                else:
                    new_procs[pcode] = (names[k], fields_col[k], int(days_col[k]), row)
                    procs[pcode] = _Proc(None, None, "ngay", int(days_col[k]), -1)
                    continue
                p_bad_rows.append(k)
        bad[p_bad_rows] = True
    p_days = np.array([procs[c].days if c in procs else 0 for c in p_keys], dtype=np.int64)
    p_cut = np.array([procs[c].cutoff if c in procs else -1 for c in p_keys], dtype=np.int64)

    # ---- kenh, muc_do, da_xin_loi: a few distinct values, each looked up once -----------------------------
    def choice(name: str, table: dict[str, Any]) -> tuple[list[Any], np.ndarray, np.ndarray]:
        keys, inv = _factorise(cols[name])
        values = [table.get(normalise_header(k)) for k in keys]
        return values, inv, np.array([v is None for v in values], dtype=bool)[inv]

    chan_v, chan_inv, chan_bad = choice("kenh", CHANNELS)
    flag(chan_bad, 3, "kenh", cols["kenh"], "Kênh phải là truc_tiep, truc_tuyen hoặc buu_chinh.")
    form_v, form_inv, form_bad = choice("muc_do", FORMS)
    flag(form_bad, 4, "muc_do", cols["muc_do"], "Mức độ phải là toan_trinh, mot_phan hoặc để trống.")
    apo_v, apo_inv, apo_bad = choice("da_xin_loi", YES)

    # ---- dates ---------------------------------------------------------------------------------------------
    dates = _Dates()
    raw = cols["ngay_tiep_nhan"]
    rec_a, rmin_a, rec_empty, rec_bad = _parse_dates(raw, dates)
    flag(rec_empty, 5, "ngay_tiep_nhan", raw, "Thiếu ngày tiếp nhận.")
    flag(
        rec_bad,
        5,
        "ngay_tiep_nhan",
        raw,
        _bad_date("Ngày tiếp nhận", raw, "dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd"),
    )
    rec_ok = ~(rec_empty | rec_bad)

    raw = cols["ngay_hen_tra"]
    due_a, _, due_empty, due_bad = _parse_dates(raw, dates)
    flag(due_bad, 6, "ngay_hen_tra", raw, _bad_date("Ngày hẹn trả", raw))
    flag(~due_empty & ~due_bad & rec_ok & (due_a < rec_a), 6, "ngay_hen_tra", raw, "Ngày hẹn trả trước ngày tiếp nhận.")
    due_a[due_empty | due_bad] = -1

    raw = cols["ngay_tra_ket_qua"]
    ret_a, _, ret_empty, ret_bad = _parse_dates(raw, dates)
    flag(ret_bad, 7, "ngay_tra_ket_qua", raw, _bad_date("Ngày trả kết quả", raw))
    flag(
        ~ret_empty & ~ret_bad & rec_ok & (ret_a < rec_a),
        7,
        "ngay_tra_ket_qua",
        raw,
        "Ngày trả kết quả trước ngày tiếp nhận.",
    )
    ret_a[ret_empty | ret_bad] = -1

    flag(apo_bad, 8, "da_xin_loi", cols["da_xin_loi"], "Đã xin lỗi phải là có hoặc không (1/0, x).")
    apo_a = np.array([bool(v) for v in apo_v], dtype=bool)[apo_inv]

    raw = cols["ngay_hen_tra_moi"]
    new_a, _, new_empty, new_bad = _parse_dates(raw, dates)
    flag(new_bad, 9, "ngay_hen_tra_moi", raw, _bad_date("Ngày hẹn trả mới", raw))
    flag(
        ~new_empty & ~new_bad & ~apo_a,
        9,
        "ngay_hen_tra_moi",
        raw,
        "Có ngày hẹn trả mới nhưng cột đã xin lỗi không ghi “có”.",
    )
    new_a[new_empty | new_bad | ~apo_a] = -1

    known = u_known[u_inv] & rec_ok
    flag(
        known & ((rec_a < u_from[u_inv]) | (rec_a > u_to[u_inv])),
        10,
        "don_vi",
        cols["don_vi"],
        "Đơn vị không còn (hoặc chưa) tồn tại vào ngày tiếp nhận hồ sơ.",
    )

    # Only the good rows go on (as the row-by-row version did).
    ok = ~bad
    sel = np.flatnonzero(ok)
    count = len(sel)
    rownum = rownum[sel]
    codes_l = [codes[k] for k in sel.tolist()] if count != n else codes
    u_inv, p_inv, chan_inv, form_inv = u_inv[sel], p_inv[sel], chan_inv[sel], form_inv[sel]
    rec_a, rmin_a, due_a, ret_a, new_a, apo_a = (
        rec_a[sel],
        rmin_a[sel],
        due_a[sel],
        ret_a[sel],
        new_a[sel],
        apo_a[sel],
    )
    cols.clear()
    progress(40, "Đang tính ngày hẹn trả và phân loại")

    # ---- due dates, vectorised per calendar -----------------------------------------------------------
    uid_a = u_pk[u_inv]
    days_a = p_days[p_inv]
    cut_a = p_cut[p_inv]
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
                for k in np.flatnonzero(mask)[outside].tolist():
                    errors.append(
                        (
                            int(rownum[k]),
                            20,
                            "ngay_tiep_nhan",
                            str(rec_a[k].astype("datetime64[D]")),
                            "Ngày tiếp nhận ngoài phạm vi lịch làm việc; không tính được ngày hẹn trả.",
                        )
                    )
                mask[np.flatnonzero(mask)[outside]] = False
                days64 = rec_a[mask].astype("datetime64[D]")
            after = (cut_a[mask] >= 0) & (rmin_a[mask] >= cut_a[mask])
            due_a[mask] = due_dates_many(cal, days64, after, days_a[mask]).astype(np.int64)
    for name, _, _, row in new_procs.values():
        if len(name) > 500:
            errors.append((row, 21, "ten_thu_tuc", name[:60] + "…", "Tên thủ tục dài quá 500 ký tự."))
    if errors:
        errors.sort(key=lambda e: (e[0], e[1]))
        collector = ErrorCollector()
        for row, _, col, value, message in errors:
            collector.add(row, col, value, message)
        progress(100, "Tệp bị từ chối")
        collector.raise_if_any()

    # ---- classification and the fingerprint of each row ---------------------------------------------------
    returned = ret_a >= 0
    # 0 = pending, 1 = early, 2 = on time, 3 = late
    outcome_i = np.where(~returned, 0, np.where(ret_a < due_a, 1, np.where(ret_a == due_a, 2, 3))).astype(np.int8)
    # The file does not say when the apology was issued: it is dated the original due date, the last day
    # on which it should have been (docs/dossiers.md).
    apo_day = np.where(apo_a, due_a, -1)
    has_time = rmin_a >= 0
    # Receipt moment in UTC minutes since 1970 (the file's times are Vietnamese, UTC+7).
    rec_utc = np.where(has_time, rec_a * 1440 + rmin_a - 420, -1)
    chan_codes = [CHANNEL_CODE[v] if v else 0 for v in chan_v]
    form_codes = [FORM_CODE.get(v, 0) if v is not None else 0 for v in form_v]
    # The fingerprint says what the row means, not how it was written: a re-export in another date format
    # changes nothing. Procedure and unit enter by their codes (a digest of each distinct code).
    fps = _fingerprints(
        [
            np.array([_code_digest(c) for c in u_keys], dtype=np.uint64)[u_inv],
            np.array([_code_digest(c) for c in p_keys], dtype=np.uint64)[p_inv],
            np.array(chan_codes, dtype=np.uint64)[chan_inv],
            np.array(form_codes, dtype=np.uint64)[form_inv],
            rec_a,
            rec_utc,
            due_a,
            ret_a,
            apo_day,
            new_a,
        ]
    )
    progress(55, "Đang đối chiếu với dữ liệu đã có")

    result = ImportResult(dry_run=dry_run)
    with _foreign_keys_checked_here() as check_here, transaction.atomic():
        if not dry_run:
            # Before reading what exists: a concurrent import of the same units waits here until this one
            # commits, so both never count the same new dossier into the summary.
            _lock_units(uid_a, catalogue=bool(new_procs))
        old_hash = _existing_hashes(codes_l)
        if old_hash:
            olds = [old_hash.get(c) for c in codes_l]
            is_new = np.fromiter((h is None for h in olds), dtype=bool, count=count)
            same = ~is_new & (np.array([h or "" for h in olds], dtype="U32") == fps.astype("U32"))
        else:
            is_new, same = np.ones(count, dtype=bool), np.zeros(count, dtype=bool)
        write = np.flatnonzero(~same)
        changed = np.flatnonzero(~is_new & ~same)
        result.created = int(is_new.sum())
        result.updated = len(changed)
        result.unchanged = int(same.sum())
        result.details = {"rows": total_rows, "new_procedures": len(new_procs)}
        if dry_run or not len(write):
            progress(100, "Hoàn thành")
            if not dry_run:
                audit.record(
                    actor,
                    "dossiers.import",
                    ("dossiers.importjob", _audit_id(job, path)),
                    data={"file": str(path), **result.__dict__},
                )
            return result

        progress(65, "Đang ghi hồ sơ")
        # What the changed dossiers contributed to the summary table before this file.
        before = (
            summary.StatEvents.from_rows(_old_rows([codes_l[k] for k in changed.tolist()])) if len(changed) else None
        )
        _create_procedures(new_procs, procs)
        p_pk = np.array([procs[c].pk or 0 for c in p_keys], dtype=np.int64)[p_inv]
        p_field = np.array([procs[c].field_id or 0 for c in p_keys], dtype=np.int64)[p_inv]
        w = write
        chan_i = np.array(chan_codes, dtype=np.int64)[chan_inv[w]]
        after = summary.StatEvents(
            unit=uid_a[w],
            field=p_field[w],
            channel=chan_i,
            received=rec_a[w],
            due=due_a[w],
            closed=ret_a[w],
            state=outcome_i[w].astype(np.int64),
            apology=apo_day[w],
        )
        # The summary rows are computed in a second thread while the database writes the dossiers
        # (sqlite3 and psycopg release the GIL while the database works; two cores here). On PostgreSQL
        # from when the file is in the staging table: before that the main thread needs the GIL itself.
        pg = connection.vendor == "postgresql"
        with ThreadPoolExecutor(max_workers=1) as pool:
            stat_rows = [] if pg else [pool.submit(_stat_rows, before, after, False)]

            def staged() -> None:
                if pg:
                    stat_rows.append(pool.submit(_stat_rows, before, after, True))

            triggers = _postgresql_foreign_key_triggers_off()
            if triggers is not None:
                # What the skipped triggers would have done, once per distinct id: lock the referenced rows
                # (FOR KEY SHARE, so they cannot be deleted before this commits) and check they exist. The
                # summary rows refer to the same units and fields, and to those of the changed dossiers.
                _check_references(
                    np.concatenate([uid_a[w], before.unit if before else uid_a[:0]]),
                    p_pk[w],
                    np.concatenate([p_field[w], before.field if before else p_field[:0]]),
                    job.pk if job else None,
                )
            _write(
                codes=[codes_l[k] for k in w.tolist()] if len(w) != count else codes_l,
                unit=uid_a[w],
                proc=p_pk[w],
                field=p_field[w],
                channel=chan_i,
                form=np.array(form_codes, dtype=np.int64)[form_inv[w]],
                rec_utc=rec_utc[w],
                rec=rec_a[w],
                due=due_a[w],
                apo=apo_day[w],
                new_due=new_a[w],
                ret=ret_a[w],
                outcome=outcome_i[w],
                fps=fps[w],
                job_id=job.pk if job else None,
                progress=progress,
                staged=staged,
            )
            if check_here:
                _check_references(uid_a[w], p_pk[w], p_field[w], job.pk if job else None)
            progress(88, "Đang cập nhật bảng tổng hợp")
            summary.write_rows(*stat_rows[0].result())
            if triggers is not None:
                with connection.cursor() as cur:
                    cur.execute("SELECT set_config('session_replication_role', %s, true)", [triggers])
        _mark_figures_stale(after, before)
        audit.record(
            actor,
            "dossiers.import",
            ("dossiers.importjob", _audit_id(job, path)),
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


def _mark_figures_stale(after: summary.StatEvents, before: summary.StatEvents | None) -> None:
    """Cached indicator values of the periods the written rows touch are stale: per unit, every period
    ending on or after the earliest receipt day among its new and changed dossiers (a dossier's figures all
    fall on or after its receipt day; a stock moves every later period). One statement per unit."""
    units = after.unit if before is None else np.concatenate([after.unit, before.unit])
    days = after.received if before is None else np.concatenate([after.received, before.received])
    if not len(units):
        return
    order = np.lexsort((days, units))
    units, days = units[order], days[order]
    first = np.ones(len(units), dtype=bool)
    first[1:] = units[1:] != units[:-1]
    graph = load_graph()  # once for the file, not once per unit
    for unit_id, day in zip(units[first].tolist(), days[first].tolist(), strict=True):
        mark_stale_since(int(unit_id), date.fromordinal(int(day) + _EPOCH), graph)


def _stat_rows(
    before: summary.StatEvents | None, after: summary.StatEvents, copy: bool
) -> tuple[list[tuple], str | None]:
    """The summary rows, and their COPY text for PostgreSQL: both built in the second thread."""
    rows = summary.stat_rows(before, after)
    return rows, summary.copy_text(rows) if copy else None


@contextmanager
def _foreign_keys_checked_here() -> Iterator[bool]:
    """SQLite checks every foreign key of every inserted row (a quarter of the write time). The import has
    looked every unit, procedure and field up itself, so for its own transaction the per-row checks are
    turned off and :func:`_check_references` checks the distinct ids once, inside the same (write-locked)
    transaction. The switch only works outside a transaction: nested in another one, nothing changes."""
    off = connection.vendor == "sqlite" and not connection.in_atomic_block
    if off:
        with connection.cursor() as cur:
            cur.execute("PRAGMA foreign_keys = OFF")
    try:
        yield off
    finally:
        if off:
            with connection.cursor() as cur:
                cur.execute("PRAGMA foreign_keys = ON")


def _postgresql_foreign_key_triggers_off() -> str | None:
    """PostgreSQL checks a foreign key with a trigger per row and key: for a million dossiers (unit,
    holder, procedure, field) four million look-ups queued to the commit — more time than writing the rows.
    ``session_replication_role = replica`` skips those triggers for this transaction only (the
    constraints stay; every other write is checked as before). Allowed to superusers and, from
    PostgreSQL 15, to a role given ``GRANT SET ON PARAMETER session_replication_role``; otherwise the
    triggers run as usual (slower, same result). Returns the setting to restore, or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")  # only the last milliseconds' durability
        cur.execute("SELECT current_setting('session_replication_role')")
        previous = cur.fetchone()[0]
        try:
            with transaction.atomic():  # a refusal must not abort the import's transaction
                cur.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            return None
    return previous


def _check_references(units: np.ndarray, procedures: np.ndarray, fields: np.ndarray, job_id: int | None) -> None:
    """The referenced rows exist (inside the import's transaction; on PostgreSQL also locked FOR KEY SHARE
    as the foreign-key triggers lock them)."""
    for model, ids in (
        (OrgUnit, units),
        (Procedure, procedures),
        (Field, fields),
        (ImportJob, np.array([] if job_id is None else [job_id])),
    ):
        wanted = set(np.unique(ids).tolist())
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"SELECT id FROM {model._meta.db_table} WHERE id = ANY(%s) FOR KEY SHARE", [sorted(wanted)])
                found = {pk for (pk,) in cur.fetchall()}
        else:
            found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            raise ImportRejected(
                [
                    RowError(
                        None,
                        "",
                        ", ".join(str(i) for i in sorted(wanted - found)),
                        f"Có {model._meta.verbose_name} vừa bị xóa trong lúc nạp; hãy nạp lại tệp.",
                    )
                ]
            )


def _factorise(values: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct values (in first-seen order) and, per value, its index among them — so a column of a
    million cells with a hundred distinct values is checked a hundred times, not a million."""
    index = dict.fromkeys(values)
    for i, key in enumerate(index):
        index[key] = i
    inv = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return list(index), inv


def _parse_dates(texts: list[str], dates: _Dates) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(day since 1970, minute of day or −1, empty, unreadable) for a column of dates.

    Dates alone repeat a lot (a few hundred distinct days): the distinct texts are parsed once. Dates
    with a time hardly repeat, and hashing a million distinct strings costs more than reading them all,
    so such a column is read as it is. Either way the usual shapes (dd/mm/yyyy, yyyy-mm-dd, each with an
    optional HH:MM) are read with numpy on the characters, anything else by :class:`_Dates` (the same
    rules, one text at a time)."""
    sample = texts[:20_000]
    if len(set(sample)) * 20 < len(sample) or len(texts) < 20_000:
        keys, inv = _factorise(texts)
        day, minute, empty, unreadable = _parse_texts(keys, dates)
        return day[inv], minute[inv], empty[inv], unreadable[inv]
    return _parse_texts(texts, dates)


def _parse_texts(keys: list[str], dates: _Dates) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    m = len(keys)
    day = np.zeros(m, dtype=np.int64)
    minute = np.full(m, -1, dtype=np.int64)
    fast = np.zeros(m, dtype=bool)
    unreadable = np.zeros(m, dtype=bool)
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=m)
    # dd/mm/yyyy or yyyy-mm-dd (10 characters), + " H:MM" (15) or " HH:MM" (16)
    shaped = (lens == 10) | (lens == 15) | (lens == 16)
    if shaped.any():
        # Longer texts would be cut to 16 characters: blank them (they go the slow way below).
        arr = np.array(
            keys if shaped.all() else [k if s else "" for k, s in zip(keys, shaped.tolist(), strict=True)], dtype="U16"
        )
        ch = arr.view(np.uint32).reshape(m, 16)

        def char(c: int) -> np.ndarray:
            return ch[:, c].astype(np.int64)

        def num(cols: tuple[int, ...]) -> np.ndarray:
            out = np.zeros(m, dtype=np.int64)
            for c in cols:
                out = out * 10 + char(c) - 48
            return out

        def all_digits(cols: tuple[int, ...]) -> np.ndarray:
            return np.logical_and.reduce([(ch[:, c] >= 48) & (ch[:, c] <= 57) for c in cols])

        dmy = shaped & (ch[:, 2] == 47) & (ch[:, 5] == 47) & all_digits((0, 1, 3, 4, 6, 7, 8, 9))
        iso = shaped & (ch[:, 4] == 45) & (ch[:, 7] == 45) & all_digits((0, 1, 2, 3, 5, 6, 8, 9))
        y = np.where(dmy, num((6, 7, 8, 9)), num((0, 1, 2, 3)))
        mo = np.where(dmy, num((3, 4)), num((5, 6)))
        d = np.where(dmy, num((0, 1)), num((8, 9)))
        timed = lens > 10
        short = lens == 15  # one-digit hour
        long_t = (ch[:, 13] == 58) & all_digits((11, 12, 14, 15))
        short_t = (ch[:, 12] == 58) & all_digits((11, 13, 14))
        tshape = timed & ((ch[:, 10] == 32) | (iso & (ch[:, 10] == 84))) & np.where(short, short_t, long_t)
        hh = np.where(short, num((11,)), num((11, 12)))
        mm = np.where(short, num((13, 14)), num((14, 15)))
        fast = (dmy | iso) & (~timed | tshape)
        # A well-shaped text with an impossible date or time is unreadable, as the regex path says.
        good_month = (mo >= 1) & (mo <= 12) & (y >= 1)
        ym = np.where(good_month, (y - 1970) * 12 + mo - 1, 0)
        first = ym.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        length = (ym + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - first
        valid = good_month & (d >= 1) & (d <= length) & (~timed | ((hh < 24) & (mm < 60)))
        day = np.where(fast & valid, first + d - 1, 0)
        minute = np.where(fast & valid & timed, hh * 60 + mm, -1)
        unreadable = fast & ~valid
    empty = lens == 0
    for j in np.flatnonzero(~fast & ~empty).tolist():
        parsed = dates.parse(keys[j])
        if parsed is None:
            unreadable[j] = True
        else:
            day[j], minute[j] = parsed
    return day, minute, empty, unreadable


CHANNEL_CODE = {"truc_tiep": 1, "truc_tuyen": 2, "buu_chinh": 3}
CHANNEL_NAME = {v: k for k, v in CHANNEL_CODE.items()}
FORM_CODE = {"": 0, "toan_trinh": 1, "mot_phan": 2}
OUTCOME_NAME = ("", "som", "dung", "tre")
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _code_digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_HEX = np.array([f"{i:02x}" for i in range(256)], dtype="S2")


def _fingerprints(parts: list[np.ndarray]) -> np.ndarray:
    """128-bit fingerprints (32 hex digits as ASCII bytes, the ``row_hash`` column) of rows given
    column-wise as integer arrays: two independent 64-bit lanes of splitmix64 over the values, computed
    for all rows at once."""
    n = len(parts[0]) if parts else 0
    with np.errstate(over="ignore"):
        lanes = []
        for seed in (0x9E3779B97F4A7C15, 0xD1B54A32D192ED03):
            h = np.full(n, seed, dtype=np.uint64)
            for i, p in enumerate(parts):
                v = p.astype(np.int64).view(np.uint64)
                h = _mix(h ^ _mix(v + np.uint64((i + 1) * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)))
            lanes.append(h)
    raw = np.stack(lanes, axis=1).astype(">u8").view(np.uint8).reshape(n, 16)
    return _HEX[raw].view("S32").ravel()


def _existing_hashes(codes: list[str]) -> dict[str, str]:
    """code → row_hash of the dossiers already stored among ``codes``: the whole table in one read when it
    is not much bigger than the file, else a join with the file's codes in a temporary table."""
    table = Dossier._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        stored = cur.fetchone()[0]
        if not stored:
            return {}
        if stored <= 4 * len(codes):
            cur.execute(f"SELECT code, row_hash FROM {table}")
            return dict(cur.fetchall())
        if connection.vendor == "postgresql":
            cur.execute("DROP TABLE IF EXISTS dossier_import_codes")
            cur.execute("CREATE TEMP TABLE dossier_import_codes (code varchar(80)) ON COMMIT DROP")
            with cur.cursor.copy("COPY dossier_import_codes (code) FROM STDIN") as copy:
                for start in range(0, len(codes), 50_000):
                    copy.write("".join(_copy_text(c) + "\n" for c in codes[start : start + 50_000]))
        else:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS dossier_import_codes (code TEXT)")
            cur.execute("DELETE FROM dossier_import_codes")
            connection.connection.executemany(
                "INSERT INTO dossier_import_codes (code) VALUES (?)", ((c,) for c in codes)
            )
        cur.execute(f"SELECT d.code, d.row_hash FROM dossier_import_codes i JOIN {table} d ON d.code = i.code")
        found = dict(cur.fetchall())
        if connection.vendor != "postgresql":
            cur.execute("DELETE FROM dossier_import_codes")
        return found


def _old_rows(codes: list[str]) -> list[tuple]:
    """The stored state (as the summary table counts it) of the dossiers a file changes."""
    table = Dossier._meta.db_table
    out: list[tuple] = []
    with connection.cursor() as cur:
        for start in range(0, len(codes), 900):
            batch = codes[start : start + 900]
            cur.execute(
                f"SELECT unit_id, field_id, channel, received_on, due_on, closed_on, status, outcome, apology_on "
                f"FROM {table} WHERE code IN ({', '.join(['%s'] * len(batch))})",
                batch,
            )
            out.extend(cur.fetchall())
    return out


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# Advisory-lock namespace of the dossier import ("CCHC"); key 0 is the procedure catalogue, others unit ids.
_LOCK_NAMESPACE = 0x43434843


def _lock_units(unit_ids: np.ndarray, *, catalogue: bool) -> None:
    """Serialise imports of the same units (and catalogue additions) until this transaction ends.

    PostgreSQL: transaction-level advisory locks, taken in key order so two imports never deadlock.
    SQLite: nothing to do — its IMMEDIATE transactions already let one writer in at a time."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({int(u) for u in np.unique(unit_ids).tolist()} | ({0} if catalogue else set()))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(pg_advisory_xact_lock(%s, k)) FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS s",
            [_LOCK_NAMESPACE, keys],
        )


def _create_procedures(new_procs: dict[str, tuple[str, str, int, int]], procs: dict[str, _Proc]) -> None:
    """Procedures the file names with a name and a time: created with the field given (by code, else by
    exact name, else a new field). Runs under the catalogue lock: what a concurrent import created
    meanwhile is taken as it is, never created twice."""
    if not new_procs:
        return
    for p in Procedure.objects.filter(code__in=list(new_procs)):
        procs[p.code] = _Proc(p.pk, p.field_id, p.time_unit, p.time_value, -1)
    new_procs = {code: spec for code, spec in new_procs.items() if procs.get(code) is None or procs[code].pk is None}
    by_code = {f.code: f for f in Field.objects.all()}
    by_name = {unicodedata.normalize("NFC", f.name).casefold(): f for f in by_code.values()}
    for code, (name, field_text, days, _) in new_procs.items():
        text = field_text.strip() or "Lĩnh vực khác"
        field = by_code.get(text) or by_name.get(unicodedata.normalize("NFC", text).casefold())
        if field is None:
            slug = _slug(text)
            field = by_code.get(slug) or Field.objects.get_or_create(code=slug, defaults={"name": text})[0]
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
# Which value of a prepared row each column takes (SQLite numbered parameters ?1…: the due date, the
# return date and the unit are bound once and used for two or three columns).
_SOURCES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13, 13, 13, 14, 2, 15, 16)


def _constants() -> dict[str, str]:
    """SQL literals for the columns the file does not fill: what Django would save for them (the defaults,
    empty texts), read from the model so that a column added later (e.g. ``lookup_key``, empty until a
    receipt is printed) does not break the import's raw INSERT; nullable columns stay NULL."""
    out = {"source": "'nhap'"}
    for f in Dossier._meta.concrete_fields:
        if f.primary_key or f.column in _COLS or f.column in out or (f.null and not f.has_default()):
            continue
        # get_default(): the field's default, or "" for a text column without one (as Django saves it).
        value = f.get_db_prep_save(f.get_default(), connection)
        if value is None:
            continue
        if isinstance(value, bool):
            out[f.column] = "TRUE" if value else "FALSE"
        elif isinstance(value, int | float):
            out[f.column] = repr(value)
        elif isinstance(value, str):
            out[f.column] = "'" + value.replace("'", "''") + "'"
        else:
            raise TypeError(f"{f.column}: no SQL literal for the default {value!r}")
    return out


_UPDATED = [c for c in _COLS if c != "code"] + ["source"]


def _day_strings(a: np.ndarray) -> list[str | None]:
    """ISO dates of day numbers (−1 → None) through a table of the few hundred distinct days."""
    if not len(a):
        return []
    lo, hi = int(a[a >= 0].min()) if (a >= 0).any() else 0, int(a.max())
    lut = np.empty(hi - lo + 2, dtype=object)
    lut[:-1] = np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]")).tolist()
    lut[-1] = None
    return lut[np.where(a >= 0, a - lo, hi - lo + 1)].tolist()


def _moment_strings(a: np.ndarray, suffix: str) -> list[str | None]:
    """'YYYY-MM-DD HH:MM:00' (+ suffix) of UTC minute numbers (−1 → None)."""
    keys, inv = np.unique(a, return_inverse=True)
    text = np.datetime_as_string(np.maximum(keys, 0).astype("datetime64[m]")).tolist()
    lut = np.array(
        [None if k < 0 else f"{t[:10]} {t[11:]}:00{suffix}" for k, t in zip(keys.tolist(), text, strict=True)] + [None]
    )
    return lut[inv.ravel()].tolist()


_NAMES = {
    "channel": ("", *(CHANNEL_NAME[k] for k in sorted(CHANNEL_NAME))),
    "form": tuple(sorted(FORM_CODE, key=FORM_CODE.__getitem__)),
    "outcome": OUTCOME_NAME,
}


def _write(
    *,
    codes: list[str],
    unit: np.ndarray,
    proc: np.ndarray,
    field: np.ndarray,
    channel: np.ndarray,
    form: np.ndarray,
    rec_utc: np.ndarray,
    rec: np.ndarray,
    due: np.ndarray,
    apo: np.ndarray,
    new_due: np.ndarray,
    ret: np.ndarray,
    outcome: np.ndarray,
    fps: np.ndarray,
    job_id: int | None,
    progress: ProgressFn,
    staged: Callable[[], None] = lambda: None,
) -> None:
    """Insert or update the dossiers of the file (only the new and changed rows come here). ``channel``,
    ``form`` and ``outcome`` are the import's numbers (CHANNEL_CODE, FORM_CODE, OUTCOME_NAME), days and
    UTC minutes are counted from 1970 (−1 = none), ``fps`` the fingerprints as bytes. ``staged`` is
    called when the rest is the database's work (PostgreSQL: the file is in the staging table)."""
    if connection.vendor == "postgresql":
        _write_postgresql(
            codes=codes,
            ints={
                "unit": unit,
                "proc": proc,
                "field": field,
                "chan": channel,
                "form": form,
                "rec_utc": rec_utc,
                "rec": rec,
                "due": due,
                "apo": apo,
                "new_due": new_due,
                "ret": ret,
                "outcome": outcome,
            },
            fps=fps,
            job_id=job_id,
            progress=progress,
            staged=staged,
        )
        return
    table = Dossier._meta.db_table
    status = np.array(["dang_xu_ly", "da_tra"], dtype=object)[(ret >= 0).astype(np.int64)].tolist()
    values = [
        codes,
        unit.tolist(),
        proc.tolist(),
        field.tolist(),
        np.array(_NAMES["channel"], dtype=object)[channel.astype(np.int64)].tolist(),
        np.array(_NAMES["form"], dtype=object)[form.astype(np.int64)].tolist(),
        status,
        _moment_strings(rec_utc, ""),
        _day_strings(rec),
        _day_strings(due),
        _day_strings(apo),
        _day_strings(new_due),
        _day_strings(ret),
        np.array(OUTCOME_NAME, dtype=object)[outcome.astype(np.int64)].tolist(),
        fps.astype("U32").tolist(),
    ]
    constants = _constants()
    cols = ", ".join((*_COLS, *constants))
    sets = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED)
    raw = connection.connection  # sqlite3 connection, inside the Django transaction
    # The default page cache (2 MB) makes every index insert of a big file spill to the OS: give this
    # connection room while it imports (it is per connection and harmless afterwards).
    raw.execute("PRAGMA cache_size = -262144")
    marks = ", ".join(
        [f"?{s}" if s <= len(values) else ("NULL" if job_id is None else str(int(job_id))) for s in _SOURCES]
        + list(constants.values())
    )
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT (code) DO UPDATE SET {sets}"
    # A first load of many rows: drop the secondary indexes and build them again at the end (a sort
    # instead of a million random b-tree inserts). Same transaction: a failure restores them.
    indexes: list[str] = []
    stored = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if len(codes) >= _REINDEX_MIN and len(codes) > stored:
        indexes = [
            s
            for (s,) in raw.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
            )
        ]
        for s in indexes:
            raw.execute(f"DROP INDEX {s.split()[2]}")
    rows = list(zip(*values, strict=True))
    del values
    for start in range(0, len(rows), _WRITE_BATCH):
        raw.executemany(sql, rows[start : start + _WRITE_BATCH])
        progress(65 + int(20 * (start + _WRITE_BATCH) / max(len(rows), 1)), "Đang ghi hồ sơ")
    for s in indexes:
        raw.execute(s)


# The staging table of the PostgreSQL path: the import's numbers, turned into the dossier's columns by
# the INSERT … SELECT (so the file goes over the wire as fixed-width binary built by numpy, not as text
# built row by row). Identifiers are bigint like the keys they hold; the rest fits in int4.
_STAGE_INTS = {
    "unit": "int8",
    "proc": "int8",
    "field": "int8",
    "chan": "int4",
    "form": "int4",
    "rec_utc": "int4",
    "rec": "int4",
    "due": "int4",
    "apo": "int4",
    "new_due": "int4",
    "ret": "int4",
    "outcome": "int4",
}
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
_COPY_CHUNK = 100_000


def _sql_text_array(values: tuple[str, ...]) -> str:
    return "(ARRAY[" + ", ".join(f"'{v}'" for v in values) + "])"


def _write_postgresql(
    *,
    codes: list[str],
    ints: dict[str, np.ndarray],
    fps: np.ndarray,
    job_id: int | None,
    progress: ProgressFn,
    staged: Callable[[], None],
) -> None:
    """COPY (binary) into a temporary table, then one INSERT … SELECT … ON CONFLICT (code) DO UPDATE.

    The rows go in the order of their codes: the unique index on ``code`` (which the ON CONFLICT probes)
    then takes them as appends to neighbouring pages instead of a million random b-tree descents — about
    twice as fast on a first load of a province-year."""
    table = Dossier._meta.db_table
    n = len(codes)
    encoded = [c.encode() for c in codes]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
    width = max(int(lengths.max()), 1)
    as_bytes = np.array(encoded, dtype=f"S{width}")
    order = np.argsort(as_bytes)
    stage_cols = [*_STAGE_INTS, "row_hash", "code"]
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE dossier_stage ("
            + ", ".join(f"{c} {t} NOT NULL" for c, t in _STAGE_INTS.items())
            + ", row_hash text NOT NULL, code text NOT NULL) ON COMMIT DROP"
        )
        with cur.cursor.copy(f"COPY dossier_stage ({', '.join(stage_cols)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_COPY_SIGNATURE)
            # One record layout per code length (a file's codes usually have one or two lengths).
            for length in np.unique(lengths).tolist():
                rows = order[lengths[order] == length]
                layout = [("nfields", ">i2")]
                for c, t in _STAGE_INTS.items():
                    layout += [(f"{c}_len", ">i4"), (c, ">i8" if t == "int8" else ">i4")]
                layout += [("row_hash_len", ">i4"), ("row_hash", "S32"), ("code_len", ">i4"), ("code", f"S{length}")]
                for start in range(0, len(rows), _COPY_CHUNK):
                    part = rows[start : start + _COPY_CHUNK]
                    rec = np.empty(len(part), dtype=layout)
                    rec["nfields"] = len(stage_cols)
                    for c, t in _STAGE_INTS.items():
                        rec[f"{c}_len"] = 8 if t == "int8" else 4
                        rec[c] = ints[c][part]
                    rec["row_hash_len"] = 32
                    rec["row_hash"] = fps[part]
                    rec["code_len"] = length
                    rec["code"] = as_bytes[part].astype(f"S{length}")  # drops only the padding
                    copy.write(rec.tobytes())
            copy.write(b"\xff\xff")
        progress(75, "Đang ghi hồ sơ")
        staged()

        def day(c: str) -> str:
            return f"CASE WHEN {c} >= 0 THEN date '1970-01-01' + {c} END"

        computed = {
            "code": "code",
            "unit_id": "unit",
            "procedure_id": "proc",
            "field_id": "field",
            "channel": f"{_sql_text_array(_NAMES['channel'])}[chan + 1]",
            "online_form": f"{_sql_text_array(_NAMES['form'])}[form + 1]",
            "status": "CASE WHEN ret >= 0 THEN 'da_tra' ELSE 'dang_xu_ly' END",
            "received_at": (
                "CASE WHEN rec_utc >= 0 THEN timestamptz '1970-01-01 00:00+00' + rec_utc * interval '1 minute' END"
            ),
            "received_on": "date '1970-01-01' + rec",
            "original_due_on": "date '1970-01-01' + due",
            "due_on": "date '1970-01-01' + due",
            "apology_on": day("apo"),
            "new_due_on": day("new_due"),
            "result_ready_on": day("ret"),
            "returned_on": day("ret"),
            "closed_on": day("ret"),
            "outcome": f"{_sql_text_array(_NAMES['outcome'])}[outcome + 1]",
            "holder_id": "unit",
            "row_hash": "row_hash",
            "import_job_id": "NULL" if job_id is None else str(int(job_id)),
        }
        assert tuple(computed) == _COLS
        constants = _constants()
        cur.execute(
            f"INSERT INTO {table} ({', '.join((*_COLS, *constants))}) "
            f"SELECT {', '.join((*computed.values(), *constants.values()))} FROM dossier_stage "
            f"ON CONFLICT (code) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _UPDATED)}"
        )
        cur.execute("DROP TABLE dossier_stage")  # a second import in the same transaction makes its own


def _audit_id(job: ImportJob | None, path: Path | str) -> str:
    """The audit row's object id (64 characters at most): the job, else the file's name (the full path is in
    the audit data)."""
    return str(job.pk) if job else Path(str(path)).name[-64:]
