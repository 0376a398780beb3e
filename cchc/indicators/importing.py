"""Nhập số liệu chỉ tiêu từ tệp CSV/XLSX (hoặc từ các dòng JSON của API): toàn bộ hoặc không gì cả.

Columns (the header is row 1; the order is free, other columns are ignored):

=============  ==================================================================================
``don_vi``     unit code (mã định danh: 000.00.21.H42)
``ky``         period code (2021-NAM, 2026-Q3, 2026-6T, 2026-T01, 2026-QUY1)
``ma_chi_tieu`` indicator code of the catalogue (dossiers.district.received)
``gia_tri``    the figure: Vietnamese numbers (2.517; 96,58) or plain (2517); a boolean or an enum by its
               label ("Có", "Kết hợp") or its number; an empty cell leaves the figure as it is; the word
               ``xóa`` (or ``xoa``) deletes the entered figure
``ghi_chu``    note kept with the figure (optional)
=============  ==================================================================================

Every bad row is named with its row and column; a file with any error saves nothing. Importing the
same file again changes nothing and says so (counts of added, changed, unchanged, cleared rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.importing import ErrorCollector, ImportRejected, RowError
from cchc.core.models import AuditEvent
from cchc.core.tabular import SPREADSHEETS, cell_text, csv_delimiter, decode_csv, normalise_header, workbook_rows
from cchc.core.text import fold
from cchc.core.uploads import UploadKind, check_upload
from cchc.core.vnformat import format_date, format_number
from cchc.indicators.models import Indicator, IndicatorValue, Origin, Period
from cchc.indicators.periods import PeriodCodeError, ensure_period, get_period
from cchc.indicators.services import Actor, actor_label, clean_value, entry_refusal
from cchc.org.models import OrgUnit

COLUMNS = ("don_vi", "ky", "ma_chi_tieu", "gia_tri", "ghi_chu")
REQUIRED = ("don_vi", "ky", "ma_chi_tieu", "gia_tri")
# Headers as people write them in a spreadsheet, folded ("Mã đơn vị" → "ma don vi").
_ALIASES = {
    "don vi": "don_vi",
    "ma don vi": "don_vi",
    "ma dinh danh": "don_vi",
    "ky": "ky",
    "ma ky": "ky",
    "ky bao cao": "ky",
    "ma chi tieu": "ma_chi_tieu",
    "chi tieu": "ma_chi_tieu",
    "gia tri": "gia_tri",
    "so lieu": "gia_tri",
    "ghi chu": "ghi_chu",
}
CLEAR_WORDS = {"xoa"}  # folded "xóa": deletes the entered figure
MAX_FILE_BYTES = 20 * 1024 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ``progress(pct, stage)`` of a background job (cchc.indicators.jobs); the CLI and the API pass none.
ProgressFn = Callable[[int, str], None]
_PROGRESS_EVERY = 2000  # rows between two progress reports (each is a write on the job's row or side file)


def _no_progress(pct: int, stage: str) -> None:
    pass


def _report(progress: ProgressFn, done: int, total: int, span: tuple[int, int], what: str) -> None:
    """``what`` x/N, as a share of the job's ``span`` of percents."""
    low, high = span
    progress(low + (high - low) * done // max(total, 1), f"{what} {format_number(done)}/{format_number(total)}")


class RowAction(StrEnum):
    """What importing a row does."""

    ADD = "add"  # thêm mới
    CHANGE = "change"  # thay đổi
    UNCHANGED = "unchanged"  # không đổi
    CLEAR = "clear"  # xóa số liệu đã nhập
    SKIP = "skip"  # ô giá trị trống: bỏ qua

    @property
    def label(self) -> str:
        return {
            "add": "Thêm mới",
            "change": "Thay đổi",
            "unchanged": "Không đổi",
            "clear": "Xóa",
            "skip": "Bỏ qua (ô trống)",
        }[self.value]


@dataclass
class RawRow:
    """One data row as read: its number as the user counts it (header = 1) and its cells by column."""

    row: int
    cells: dict[str, object]

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        text = "" if value is None else (cell_text(value) if not isinstance(value, str) else value.strip())
        return text.replace("\x00", "")  # PostgreSQL refuses NUL in text


@dataclass
class PlannedRow:
    """Một dòng của tệp đã kiểm tra: the figure it sets and what it changes."""

    row: int
    unit: OrgUnit
    period: Period
    indicator: Indicator
    value: Decimal | None
    note: str
    action: RowAction
    old: Decimal | None = None
    old_note: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "unit": self.unit.code,
            "period": self.period.code,
            "indicator": self.indicator.code,
            "name": self.indicator.name,
            "value": None if self.value is None else _plain(self.value),
            "old": None if self.old is None else _plain(self.old),
            "note": self.note,
            "action": str(self.action),
        }


@dataclass
class FigureImport:
    """Kết quả (hoặc kết quả kiểm tra thử) của một lần nhập số liệu."""

    source_name: str
    dry_run: bool
    rows: list[PlannedRow] = field(default_factory=list)

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def changes(self) -> int:
        return sum(1 for r in self.rows if r.action in (RowAction.ADD, RowAction.CHANGE, RowAction.CLEAR))

    def summary(self) -> str:
        head = "Kiểm tra thử (chưa lưu)" if self.dry_run else "Đã nhập"
        text = (
            f"{head} {self.source_name}: thêm mới {self.count(RowAction.ADD)}, thay đổi "
            f"{self.count(RowAction.CHANGE)}, không đổi {self.count(RowAction.UNCHANGED)}, xóa "
            f"{self.count(RowAction.CLEAR)}, bỏ qua (ô trống) {self.count(RowAction.SKIP)}."
        )
        if not self.changes:
            text += " Không có số liệu nào thay đổi."
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source_name,
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "added": self.count(RowAction.ADD),
            "changed": self.count(RowAction.CHANGE),
            "unchanged": self.count(RowAction.UNCHANGED),
            "cleared": self.count(RowAction.CLEAR),
            "skipped": self.count(RowAction.SKIP),
            "rows": [r.as_dict() for r in self.rows],
        }


def _plain(value: Decimal) -> str:
    """2517 or 96,58 — the way a cell is written back (no thousands mark: never ambiguous)."""
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",")


# ---- reading ---------------------------------------------------------------------------------------
def read_file(name: str, content: bytes) -> list[RawRow]:
    """The data rows of a CSV (UTF-8, with or without BOM; separator ``;``, ``,`` or tab, read from the
    header line) or XLSX (first sheet; numbers stay numbers, so 1.5 in a number cell is one and a half)."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportRejected([RowError(None, "", name, "Tệp quá lớn (tối đa 20 MB); hãy chia thành nhiều tệp.")])
    check_upload(content, name, UploadKind.TABLE)  # ZIP bombs and claimed ranges, before calamine allocates
    lower = name.lower()
    if lower.endswith(SPREADSHEETS):
        table = workbook_rows(content)
    else:
        text = decode_csv(content)
        table = [list(r) for r in csv.reader(io.StringIO(text), delimiter=csv_delimiter(text))]
    if not table:
        raise ImportRejected([RowError(None, "", "", "Tệp không có dữ liệu.")])
    columns = _columns(table[0])
    rows = []
    for n, cells in enumerate(table[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        rows.append(RawRow(n, {col: cells[i] if i < len(cells) else None for i, col in columns.items()}))
    return rows


def _columns(header: list[object]) -> dict[int, str]:
    found: dict[int, str] = {}
    errors = ErrorCollector()
    for i, cell in enumerate(header):
        column = _ALIASES.get(normalise_header(cell_text(cell)))
        if column is None:
            continue  # other columns (tên chỉ tiêu…) are for the reader
        if column in found.values():
            errors.add(1, cell_text(cell), "", f"Cột “{column}” có hai lần.")
        found[i] = column
    for column in REQUIRED:
        if column not in found.values():
            errors.add(1, column, "", f"Thiếu cột “{column}” (các cột: {', '.join(COLUMNS)}).")
    errors.raise_if_any()
    return found


def rows_from_dicts(items: Iterable[Mapping[str, object]]) -> list[RawRow]:
    """JSON rows (the API): {"don_vi": …, "ky": …, "ma_chi_tieu": …, "gia_tri": …, "ghi_chu": …}; the first
    item is row 2, as if the keys were a header."""
    return [RawRow(n, {c: item.get(c) for c in COLUMNS}) for n, item in enumerate(items, start=2)]


# ---- checking and saving ---------------------------------------------------------------------------
class _Lookup:
    """Units, periods, indicators and the actor's scope, read once for the whole file."""

    def __init__(self, actor: Actor, rows: list[RawRow]) -> None:
        codes = {r.text("don_vi") for r in rows}
        self.units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.periods: dict[str, Period | PeriodCodeError] = {}
        self.editable: frozenset[int] | None = None
        if getattr(actor, "is_authenticated", False):
            from cchc.accounts import scope

            self.editable = scope.unit_ids(actor, scope.Action.EDIT)  # None: every unit (system admin)

    def period(self, code: str) -> Period | PeriodCodeError:
        key = code.strip().upper()
        if key not in self.periods:
            try:
                self.periods[key] = get_period(key)
            except PeriodCodeError as exc:
                self.periods[key] = exc
            except (ValueError, OverflowError):  # a year the calendar cannot hold (0000-NAM)
                self.periods[key] = PeriodCodeError(f"Mã kỳ “{code}” không hợp lệ: năm ngoài phạm vi.")
        return self.periods[key]


def _check_row(raw: RawRow, look: _Lookup, errors: ErrorCollector) -> tuple | None:
    """(unit, period, indicator, value or None, note, action hint) or None when the row is wrong."""
    before = errors.total
    unit_code, period_code, code = raw.text("don_vi"), raw.text("ky"), raw.text("ma_chi_tieu")
    unit = look.units.get(unit_code)
    if not unit_code:
        errors.add(raw.row, "don_vi", "", "Thiếu mã đơn vị.")
    elif unit is None:
        errors.add(raw.row, "don_vi", unit_code, "Không có đơn vị mã này.")
    elif look.editable is not None and unit.pk not in look.editable:
        errors.add(raw.row, "don_vi", unit_code, f"{unit.name} nằm ngoài phạm vi nhập số liệu của bạn.")
    period = look.period(period_code) if period_code else None
    if period is None:
        errors.add(raw.row, "ky", "", "Thiếu mã kỳ (ví dụ 2021-NAM, 2026-Q3, 2026-T01).")
    elif isinstance(period, PeriodCodeError):
        errors.add(raw.row, "ky", period_code, str(period))
        period = None
    elif unit is not None and not (
        unit.valid_from <= period.end and (unit.valid_to is None or unit.valid_to >= period.start)
    ):
        errors.add(
            raw.row,
            "ky",
            period_code,
            f"{unit.name} không tồn tại trong kỳ {period.code} (từ "
            f"{format_date(period.start)} đến {format_date(period.end)}).",
        )
    indicator = look.indicators.get(code)
    if not code:
        errors.add(raw.row, "ma_chi_tieu", "", "Thiếu mã chỉ tiêu.")
    elif indicator is None:
        errors.add(raw.row, "ma_chi_tieu", code, "Không có chỉ tiêu mã này trong danh mục.")
    elif entry_refusal(indicator):
        errors.add(raw.row, "ma_chi_tieu", code, entry_refusal(indicator))
        indicator = None
    note = _unprotect(raw.text("ghi_chu"))
    cell = raw.cells.get("gia_tri")
    text = _unprotect(cell.strip().replace("\x00", "")) if isinstance(cell, str) else cell
    if text is None or text == "":
        return (unit, period, indicator, None, note, RowAction.SKIP) if errors.total == before else None
    if isinstance(text, str) and fold(text) in CLEAR_WORDS:
        return (unit, period, indicator, None, note, RowAction.CLEAR) if errors.total == before else None
    value = None
    if indicator is not None:
        try:
            value = clean_value(indicator, text)
        except ValidationError as exc:
            errors.add(raw.row, "gia_tri", cell_text(cell), " ".join(exc.messages))
    if errors.total != before:
        return None
    return unit, period, indicator, value, note, None


def _unprotect(text: str) -> str:
    """A cell the export protected against formula injection ("'=…") reads back as written."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def plan(
    actor: Actor, rows: list[RawRow], source_name: str, dry_run: bool, progress: ProgressFn = _no_progress
) -> FigureImport:
    """Check every row (all errors at once, ImportRejected if any) and say what each would change."""
    errors = ErrorCollector()
    look = _Lookup(actor, rows)
    checked = []
    seen: dict[tuple[int, str, int], int] = {}
    span = (5, 90) if dry_run else (5, 40)
    for n, raw in enumerate(rows):
        if n % _PROGRESS_EVERY == 0:
            _report(progress, n, len(rows), span, "Đang kiểm tra dòng")
        found = _check_row(raw, look, errors)
        if found is None:
            continue
        unit, period, indicator, value, note, action = found
        key = (unit.pk, period.code, indicator.pk)
        if key in seen:
            errors.add(
                raw.row, "ma_chi_tieu", indicator.code, f"Trùng với dòng {seen[key]} (cùng đơn vị, kỳ và chỉ tiêu)."
            )
            continue
        seen[key] = raw.row
        checked.append((raw.row, unit, period, indicator, value, note, action))
    errors.raise_if_any()
    existing = _existing(checked)
    result = FigureImport(source_name, dry_run)
    for row, unit, period, indicator, value, note, action in checked:
        old = existing.get((unit.pk, period.code, indicator.pk))
        old_value, old_note = (old.value, old.note) if old is not None else (None, "")
        if action == RowAction.CLEAR and old is None:
            action = RowAction.UNCHANGED
        elif action is None:
            if old is None:
                action = RowAction.ADD
            elif old.value == value and old.note == note:
                action = RowAction.UNCHANGED
            else:
                action = RowAction.CHANGE
        result.rows.append(PlannedRow(row, unit, period, indicator, value, note, action, old_value, old_note))
    return result


def _existing(checked: list[tuple]) -> dict[tuple[int, str, int], IndicatorValue]:
    saved = {c[2].pk for c in checked if c[2].pk is not None}
    if not saved:
        return {}
    qs = IndicatorValue.objects.filter(
        unit_id__in={c[1].pk for c in checked}, period_id__in=saved, indicator_id__in={c[3].pk for c in checked}
    ).select_related("period")
    return {(v.unit_id, v.period.code, v.indicator_id): v for v in qs}


def import_rows(
    actor: Actor,
    rows: list[RawRow],
    *,
    source_name: str,
    dry_run: bool = False,
    origin: Origin = Origin.FILE,
    progress: ProgressFn = _no_progress,
) -> FigureImport:
    """Nhập các dòng số liệu: check all, then save all in one transaction (or nothing); audited per figure
    and once for the whole import. ``source_name``: the file name (printed in each figure's provenance)."""
    if not rows:
        raise ImportRejected([RowError(None, "", "", "Tệp không có dòng số liệu nào.")])
    if dry_run:
        return plan(actor, rows, source_name, dry_run=True, progress=progress)
    with transaction.atomic():
        result = plan(actor, rows, source_name, dry_run=False, progress=progress)
        _apply(
            actor,
            [p for p in result.rows if p.action not in (RowAction.UNCHANGED, RowAction.SKIP)],
            source_name,
            origin,
            progress,
        )
        audit.record(
            actor,
            "indicators.figures_imported",
            ("indicators.import", source_name[:100]),
            data={
                "source": source_name,
                "origin": str(origin),
                "by": actor_label(actor),
                **{
                    k: v
                    for k, v in result.as_dict().items()
                    if k in ("added", "changed", "unchanged", "cleared", "skipped")
                },
            },
        )
    return result


def _apply(
    actor: Actor, changes: list[PlannedRow], source_name: str, origin: Origin, progress: ProgressFn = _no_progress
) -> None:
    """Write the planned changes in bulk (a few statements for the whole file, not several per row), with
    the same rows and audit rows as ``services.store_value`` / ``delete_value``; the caller holds the
    transaction, and the existing figures are locked here."""
    if not changes:
        return
    periods = {code: ensure_period(code) for code in {p.period.code for p in changes}}
    existing = {
        (v.unit_id, v.period_id, v.indicator_id): v
        for v in IndicatorValue.objects.select_for_update().filter(
            unit_id__in={p.unit.pk for p in changes},
            period_id__in={p.pk for p in periods.values()},
            indicator_id__in={p.indicator.pk for p in changes},
        )
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    label, now = actor_label(actor), timezone.now()
    added, changed, removed, events = [], [], [], []
    for p in changes:
        period = periods[p.period.code]
        row = existing.get((p.unit.pk, period.pk, p.indicator.pk))
        data = {"period": period.code, "indicator": p.indicator.code, "row": p.row, "source": source_name}
        if p.action == RowAction.CLEAR:
            if row is not None:
                removed.append(row.pk)
                events.append((row, "indicators.value_cleared", {**data, "old": str(row.value)}))
            continue
        old = None if row is None else str(row.value)
        if row is None:
            row = IndicatorValue(unit=p.unit, period=period, indicator=p.indicator)
            added.append(row)
        else:
            changed.append(row)
        row.value, row.note, row.entered_by, row.entered_by_label = p.value, p.note, user, label
        row.origin, row.origin_name, row.entered_at = origin, source_name[:255], now
        events.append(
            (
                row,
                "indicators.value_entered",
                {
                    **data,
                    "old": old,
                    "new": str(p.value),
                    "note": p.note,
                    "origin": str(origin),
                    "origin_name": source_name,
                },
            )
        )
    IndicatorValue.objects.filter(pk__in=removed).delete()
    total, done = len(added) + len(changed), 0
    for start in range(0, len(added), _PROGRESS_EVERY):
        _report(progress, done, total, (40, 90), "Đang ghi số liệu")
        IndicatorValue.objects.bulk_create(added[start : start + _PROGRESS_EVERY], batch_size=500)
        done += len(added[start : start + _PROGRESS_EVERY])
    fields = ("value", "note", "entered_by", "entered_by_label", "origin", "origin_name", "entered_at")
    for row in changed:  # one plain UPDATE each: bulk_update's CASE WHEN was ten times slower here
        if done % _PROGRESS_EVERY == 0:
            _report(progress, done, total, (40, 90), "Đang ghi số liệu")
        IndicatorValue.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
        done += 1
    progress(92, "Đang ghi nhật ký thay đổi")
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=user,
                actor_label=label,
                verb=verb,
                object_type=IndicatorValue._meta.label_lower,
                object_id=str(row.pk),
                unit_id=row.unit_id,  # not row.unit: one query per changed row
                data=data,
            )
            for row, verb, data in events
        ],
        batch_size=500,
    )


def import_file(
    actor: Actor,
    path: str | Path,
    *,
    content: bytes | None = None,
    dry_run: bool = False,
    origin: Origin = Origin.FILE,
    progress: ProgressFn = _no_progress,
) -> FigureImport:
    """``cchc indicators import FILE``, the upload page's job and the API: a CSV or XLSX file."""
    name = Path(str(path)).name.replace("\x00", "")
    data = content if content is not None else Path(path).read_bytes()
    progress(1, "Đang đọc tệp")
    rows = read_file(name, data)
    return import_rows(actor, rows, source_name=name, dry_run=dry_run, origin=origin, progress=progress)
