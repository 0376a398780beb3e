"""Bộ máy lịch làm việc: the working days of a year range, precomputed, and arithmetic on them.

Pure Python + numpy, no database: ``cchc.workdays.selectors.get_calendar()`` builds one from the law
rules, the yearly notices and the overrides, and caches it per process.

Definitions (the dossier code relies on them):

- ``add_working_days(d, n)``, n ≥ 1: the n-th working day *after* ``d`` (counting starts on the next
  working day, whatever ``d`` is): add_working_days(24/01/2025, 3) = 05/02/2025.
  n = 0: ``d`` itself if it is a working day, otherwise the next working day ("trong ngày").
  n < 0: the |n|-th working day *before* ``d`` (for "warn 2 working days before the due date").
- ``working_days_between(a, b)``: the number of working days in (a, b] — after ``a``, up to and including
  ``b``; negative when b < a. So ``working_days_between(d, add_working_days(d, n)) == n`` for n ≥ 1, and a
  dossier returned on its due date has used exactly its processing time.
- Range: ``first_year``..``last_year``. A date outside raises ``CalendarRangeError`` (Vietnamese message);
  nothing is guessed. Years inside the range without an official notice follow the Labour Code rules and
  are reported by ``is_estimated`` / ``explain`` as "dự kiến".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from cchc.core.vnformat import format_date
from cchc.workdays.rules import OFF, WORK, CalendarDay, DaySource

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


class CalendarRangeError(ValueError):
    """A date the calendar does not cover; the message is Vietnamese and says how to extend it."""


@dataclass(frozen=True)
class DayInfo:
    """Vì sao một ngày là ngày làm việc hay ngày nghỉ."""

    day: date
    working: bool
    reason: str
    name: str = ""
    basis: str = ""
    source: DaySource | str = ""
    estimated: bool = False

    def sentence(self) -> str:
        """ "26/04/2025 (thứ Bảy) là ngày làm việc: …" — what the CLI and the page print."""
        verdict = "là ngày làm việc" if self.working else "là ngày nghỉ"
        text = f"{format_date(self.day)} ({WEEKDAY_NAMES[self.day.weekday()]}) {verdict}: {self.reason}"
        if self.basis:
            text += f" — căn cứ: {self.basis}"
        if self.estimated:
            text += (
                f". Lưu ý: năm {self.day.year} chưa có thông báo nghỉ lễ chính thức, "
                "lịch tính theo Bộ luật Lao động (dự kiến)"
            )
        return text + "."


class WorkCalendar:
    """Lịch làm việc của một phạm vi năm (toàn quốc, hoặc một tỉnh có điều chỉnh riêng)."""

    def __init__(
        self,
        first_year: int,
        last_year: int,
        weekly_rest: Iterable[int],
        law: dict[int, list[CalendarDay]],
        notices: dict[int, list[CalendarDay]],
        overrides: Iterable[CalendarDay] = (),
        version: int = 0,
        label: str = "toàn quốc",
    ) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.version, self.label = version, label
        self.weekly_rest = frozenset(weekly_rest)
        self.start = date(first_year, 1, 1)
        self.end = date(last_year, 12, 31)
        self.estimated_years = frozenset(y for y in range(first_year, last_year + 1) if y not in notices)

        # One entry per special day; later layers replace earlier ones: law (estimated years only) <
        # notice < national override < provincial override (the caller orders the overrides).
        special: dict[date, CalendarDay] = {}
        for year in range(first_year, last_year + 1):
            for entry in notices.get(year) if year in notices else law.get(year, []):
                special[entry.day] = entry
        for entry in overrides:
            if self.start <= entry.day <= self.end:
                special[entry.day] = entry
        self._special = special

        n_days = (self.end - self.start).days + 1
        weekday = (np.arange(n_days) + self.start.weekday()) % 7
        working = ~np.isin(weekday, list(self.weekly_rest))
        for entry in special.values():
            working[(entry.day - self.start).days] = entry.kind == WORK
        self._working = working
        # _cum[i]: working days in [start, start + i]; _days[k]: offset of the k-th working day.
        self._cum = np.cumsum(working, dtype=np.int64)
        self._days = np.flatnonzero(working).astype(np.int64)
        self._base = np.datetime64(self.start, "D")
        self.off_count = int(n_days - len(self._days))

    # ---- range -----------------------------------------------------------------------------------
    def _range_error(self, day: date | np.datetime64) -> CalendarRangeError:
        shown = format_date(day.astype(date) if isinstance(day, np.datetime64) else day)
        return CalendarRangeError(
            f"Ngày {shown} nằm ngoài phạm vi lịch làm việc ({format_date(self.start)} - {format_date(self.end)}). "
            f"Hãy nạp thông báo nghỉ lễ của năm đó (lệnh “cchc calendar load-notices”) để mở rộng lịch."
        )

    def _offset(self, day: date) -> int:
        if not self.start <= day <= self.end:
            raise self._range_error(day)
        return (day - self.start).days

    def _offsets(self, days: np.ndarray) -> np.ndarray:
        offsets = (np.asarray(days, dtype="datetime64[D]") - self._base).astype(np.int64)
        bad = (offsets < 0) | (offsets >= len(self._working))
        if bad.any():
            raise self._range_error(np.asarray(days, dtype="datetime64[D]").ravel()[np.argmax(bad.ravel())])
        return offsets

    def _day_at(self, index: int) -> date:
        if not 0 <= index < len(self._days):
            raise CalendarRangeError(
                f"Kết quả vượt quá phạm vi lịch làm việc ({format_date(self.start)} - {format_date(self.end)}). "
                "Hãy nạp thông báo nghỉ lễ của năm sau (lệnh “cchc calendar load-notices”)."
            )
        return self.start + timedelta(days=int(self._days[index]))

    # ---- scalar API ----------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        """Ngày làm việc?"""
        return bool(self._working[self._offset(day)])

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (see the module docstring for n ≤ 0)."""
        off = self._offset(day)
        if n > 0:
            return self._day_at(int(self._cum[off]) + n - 1)
        before = int(self._cum[off]) - int(self._working[off])  # working days strictly before ``day``
        return self._day_at(before + n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b < a."""
        return int(self._cum[self._offset(b)] - self._cum[self._offset(a)])

    def is_estimated(self, day: date) -> bool:
        """True when ``day``'s year has no official notice (law rules only)."""
        self._offset(day)
        return day.year in self.estimated_years

    def explain(self, day: date) -> DayInfo:
        working = self.is_working_day(day)
        estimated = day.year in self.estimated_years
        entry = self._special.get(day)
        weekday = WEEKDAY_NAMES[day.weekday()]
        if entry is not None:
            if entry.source == DaySource.OVERRIDE:
                what = "ngày làm việc" if working else "ngày nghỉ"
                reason = f"điều chỉnh của địa phương ({what}) — {entry.name}"
            else:
                reason = entry.name[:1].lower() + entry.name[1:] if entry.kind == WORK else entry.name
            return DayInfo(day, working, reason, entry.name, entry.basis, entry.source, estimated)
        if day.weekday() in self.weekly_rest:
            return DayInfo(
                day, False, f"ngày nghỉ hằng tuần ({weekday})", source=DaySource.WEEKEND, estimated=estimated
            )
        return DayInfo(
            day, True, f"ngày làm việc bình thường ({weekday})", source=DaySource.WEEKDAY, estimated=estimated
        )

    def days_off(self, year: int) -> list[CalendarDay]:
        """Every named day off of ``year`` (holidays, compensation, swaps, local days off), including the
        ones that fall on a weekly rest day (shown as such), in date order."""
        self._offset(date(year, 1, 1))
        return [e for d, e in sorted(self._special.items()) if d.year == year and e.kind == OFF]

    def working_weekend_days(self, year: int) -> list[CalendarDay]:
        """Thứ Bảy, Chủ nhật phải đi làm (làm bù) in ``year``."""
        self._offset(date(year, 1, 1))
        return [e for d, e in sorted(self._special.items()) if d.year == year and e.kind == WORK]

    def working_day_count(self, year: int) -> int:
        start, end = self._offset(date(year, 1, 1)), self._offset(date(year, 12, 31))
        return int(self._working[start : end + 1].sum())

    # ---- vectorised API (numpy datetime64[D] arrays) ---------------------------------------------
    def is_working_day_many(self, days: np.ndarray) -> np.ndarray:
        """Boolean array: which of ``days`` are working days."""
        return self._working[self._offsets(days)]

    def add_working_days_many(self, days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """Vectorised ``add_working_days``: ``days`` datetime64[D] array, ``n`` an int or int array."""
        offsets = self._offsets(days)
        n = np.asarray(n, dtype=np.int64)
        cum = self._cum[offsets]
        index = np.where(n > 0, cum + n - 1, cum - self._working[offsets] + n)
        if index.size and (index.min() < 0 or index.max() >= len(self._days)):
            self._day_at(int(index.min()) if index.min() < 0 else int(index.max()))  # raises the Vietnamese error
        return self._base + self._days[index]

    def working_days_between_many(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Vectorised ``working_days_between``: working days in (a, b] for each pair."""
        return self._cum[self._offsets(b)] - self._cum[self._offsets(a)]

    def holidays_array(self) -> np.ndarray:
        """Weekdays that are not working days (for numpy.busday_offset / busdaycalendar)."""
        offsets = np.flatnonzero(~self._working)
        days = self._base + offsets
        return days[~np.isin((offsets + self.start.weekday()) % 7, list(self.weekly_rest))]

    def extra_working_days_array(self) -> np.ndarray:
        """Weekly rest days that are working days (Saturdays worked)."""
        return np.array(
            sorted(
                e.day
                for e in self._special.values()
                if e.kind == WORK and e.day.weekday() in self.weekly_rest and self._working[(e.day - self.start).days]
            ),
            dtype="datetime64[D]",
        )


def to_datetime64(days: Iterable[date]) -> np.ndarray:
    """A list of dates as a datetime64[D] array (helper for callers and tests)."""
    return np.array(list(days), dtype="datetime64[D]")
