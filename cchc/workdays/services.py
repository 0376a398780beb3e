"""Ghi lịch làm việc: loading yearly notices and editing local overrides. Every write bumps the
calendar version in the same transaction (so every app server's cached engine is rebuilt) and is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from cchc.accounts import scope
from cchc.accounts.models import Role
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.vnformat import VietnameseParseError, format_date, parse_date
from cchc.org.models import Level, OrgUnit
from cchc.workdays.models import CalendarVersion, DayKind, Notice, NoticeDay, Override
from cchc.workdays.rules import NOTICES_FILE, anchor_days, load_law

SHIPPED = "shipped"
MAX_RANGE_DAYS = 16  # the longest run of days off a notice has ever announced is 9 (Tết)


def bump_version() -> None:
    """Mark the calendar changed. Call inside the transaction that changes it."""
    CalendarVersion.objects.get_or_create(pk=1)
    CalendarVersion.objects.filter(pk=1).update(version=F("version") + 1, token=uuid.uuid4().hex)


# ---- yearly notices --------------------------------------------------------------------------------
class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping, so an error names the line the administrator must fix."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


@dataclass
class DaySpec:
    day: date
    kind: str
    name: str
    basis: str
    source_note: str
    exchange_for: date | None
    line: int | None
    where: str


@dataclass
class YearSpec:
    year: int
    basis: str
    line: int | None
    days: list[DaySpec] = field(default_factory=list)


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value).strip()


def _date_field(errors: ErrorCollector, item: dict, key: str, where: str, required: bool = True) -> date | None:
    raw = item.get(key)
    line = item.get("__line__")
    if raw in (None, ""):
        if required:
            errors.add(line, f"{where}.{key}", "", "Thiếu ngày.")
        return None
    if isinstance(raw, date):
        return raw
    try:
        return parse_date(str(raw))
    except VietnameseParseError as exc:
        errors.add(line, f"{where}.{key}", raw, str(exc))
        return None


def read_notices(path: Path, errors: ErrorCollector) -> list[YearSpec]:
    """Read and check a notices file; every problem goes to ``errors`` with its line and field."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}
    except FileNotFoundError:
        errors.add(None, "", str(path), "Không tìm thấy tệp.")
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(None if mark is None else mark.line + 1, "", "", f"Tệp YAML sai cú pháp: {exc}")
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("years"), list):
        errors.add(None, "years", "", "Tệp phải có mục “years:” là danh sách các năm.")
        return []
    specs: list[YearSpec] = []
    seen_years: dict[int, int | None] = {}
    for i, item in enumerate(doc["years"], start=1):
        if not isinstance(item, dict):
            errors.add(None, f"years[{i}]", item, "Mỗi năm phải là một mục có year, days_off, working_days.")
            continue
        line = item.get("__line__")
        try:
            year = int(item.get("year"))
        except (TypeError, ValueError):
            errors.add(line, f"years[{i}].year", item.get("year"), "Năm phải là số, ví dụ 2027.")
            continue
        where = f"năm {year}"
        if not 2000 <= year <= 2100:
            errors.add(line, f"{where}.year", year, "Năm phải trong khoảng 2000-2100.")
            continue
        if year in seen_years:
            errors.add(line, f"{where}.year", year, f"Năm {year} đã có ở dòng {seen_years[year]}.")
            continue
        seen_years[year] = line
        spec = YearSpec(year, _text(item, "basis"), line)
        specs.append(spec)
        _read_days(errors, spec, item.get("days_off"), DayKind.OFF, where)
        _read_days(errors, spec, item.get("working_days"), DayKind.WORK, where)
        _check_year(errors, spec, where)
    return specs


def _read_days(errors: ErrorCollector, spec: YearSpec, items: Any, kind: str, where: str) -> None:
    key = "days_off" if kind == DayKind.OFF else "working_days"
    if items is None:
        if kind == DayKind.OFF:
            errors.add(spec.line, f"{where}.{key}", "", "Thiếu danh sách ngày nghỉ (days_off).")
        return
    if not isinstance(items, list):
        errors.add(spec.line, f"{where}.{key}", "", "Phải là một danh sách.")
        return
    for j, item in enumerate(items, start=1):
        entry = f"{where}.{key}[{j}]"
        if not isinstance(item, dict):
            errors.add(spec.line, entry, item, "Mỗi ngày phải là một mục có date (hoặc from, to), name, basis.")
            continue
        line = item.get("__line__")
        name, basis = _text(item, "name"), _text(item, "basis")
        if not name:
            errors.add(line, f"{entry}.name", "", "Thiếu tên ngày (name).")
        if not basis:
            errors.add(line, f"{entry}.basis", "", "Thiếu căn cứ pháp lý (basis).")
        if "date" in item:
            first = last = _date_field(errors, item, "date", entry)
        elif kind == DayKind.OFF and ("from" in item or "to" in item):
            first = _date_field(errors, item, "from", entry)
            last = _date_field(errors, item, "to", entry)
        else:
            errors.add(line, f"{entry}.date", "", "Thiếu ngày (date, hoặc from và to cho một đợt nghỉ).")
            continue
        exchange = _date_field(errors, item, "in_exchange_for", entry, required=False)
        if first is None or last is None:
            continue
        if last < first:
            errors.add(line, f"{entry}.to", format_date(last), "Ngày kết thúc trước ngày bắt đầu.")
            continue
        if (last - first).days >= MAX_RANGE_DAYS:
            errors.add(line, f"{entry}.to", format_date(last), f"Một đợt nghỉ dài quá {MAX_RANGE_DAYS} ngày.")
            continue
        d = first
        while d <= last:
            if d.year != spec.year:
                errors.add(
                    line,
                    f"{entry}.{'date' if first == last else 'from'}",
                    format_date(d),
                    f"Ngày không thuộc năm {spec.year}.",
                )
                break
            spec.days.append(DaySpec(d, kind, name, basis, _text(item, "source"), exchange, line, entry))
            d += timedelta(days=1)


def _check_year(errors: ErrorCollector, spec: YearSpec, where: str) -> None:
    law = load_law()
    by_day: dict[date, DaySpec] = {}
    for d in spec.days:
        other = by_day.get(d.day)
        if other is not None:
            errors.add(
                d.line,
                f"{d.where}",
                format_date(d.day),
                f"Ngày {format_date(d.day)} đã có ở mục {other.where} (dòng {other.line}).",
            )
            continue
        by_day[d.day] = d
        if d.kind == DayKind.WORK and d.day.weekday() not in law.weekly_rest:
            errors.add(
                d.line,
                f"{d.where}.date",
                format_date(d.day),
                "Ngày làm việc bù phải là ngày nghỉ hằng tuần (thứ Bảy hoặc Chủ nhật).",
            )
    for d in spec.days:
        if d.kind == DayKind.WORK and d.exchange_for is not None:
            target = by_day.get(d.exchange_for)
            if target is None or target.kind != DayKind.OFF:
                errors.add(
                    d.line,
                    f"{d.where}.in_exchange_for",
                    format_date(d.exchange_for),
                    "Ngày được nghỉ đổi lại phải có trong danh sách ngày nghỉ (days_off) của năm.",
                )
    # The law's own holidays must all be there: a notice that forgets 2/9 is a typo, not a decision.
    try:
        anchors = anchor_days(spec.year)
    except ValueError:
        anchors = []
    for anchor in anchors:
        found = by_day.get(anchor.day)
        if found is None or found.kind != DayKind.OFF:
            errors.add(
                spec.line,
                f"{where}.days_off",
                format_date(anchor.day),
                f"Thiếu ngày lễ luật định: {anchor.name} {format_date(anchor.day)} ({anchor.basis}).",
            )


def _wanted_rows(spec: YearSpec) -> list[tuple]:
    return sorted((d.day, d.kind, d.name, d.basis, d.source_note, d.exchange_for) for d in spec.days)


def load_notices_file(
    path: str | Path,
    *,
    actor: Any = "cchc calendar load-notices",
    dry_run: bool = False,
    source: str | None = None,
    only_years: set[int] | None = None,
) -> ImportResult:
    """Nạp thông báo nghỉ lễ. All or nothing; loading the same file again changes nothing.

    Each year in the file replaces that year's notice as a whole; years not in the file are untouched.
    Raises ``ImportRejected`` naming the line and field of every mistake.
    """
    path = Path(path)
    errors = ErrorCollector()
    specs = read_notices(path, errors)
    errors.raise_if_any()
    if only_years is not None:
        specs = [s for s in specs if s.year in only_years]
    source = source or path.name
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        existing = {n.year: n for n in Notice.objects.filter(year__in=[s.year for s in specs])}
        for spec in specs:
            notice = existing.get(spec.year)
            wanted = _wanted_rows(spec)
            if notice is not None:
                have = sorted(notice.days.values_list("day", "kind", "name", "basis", "source_note", "exchange_for"))
                if have == wanted and notice.basis == spec.basis:
                    result.unchanged += 1
                    continue
                notice.days.all().delete()
                notice.basis, notice.source = spec.basis, source
                notice.save()
                result.updated += 1
                verb = Verb.NOTICE_UPDATE
            else:
                notice = Notice.objects.create(year=spec.year, basis=spec.basis, source=source)
                result.created += 1
                verb = Verb.NOTICE_CREATE
            NoticeDay.objects.bulk_create(
                NoticeDay(notice=notice, day=d, kind=k, name=n, basis=b, source_note=s, exchange_for=x)
                for d, k, n, b, s, x in wanted
            )
            audit.record(
                actor,
                verb,
                notice,
                data={
                    "year": spec.year,
                    "source": source,
                    "days_off": sum(1 for w in wanted if w[1] == DayKind.OFF),
                    "working_days": [format_date(w[0]) for w in wanted if w[1] == DayKind.WORK],
                },
            )
        if result.created or result.updated:
            bump_version()
        result.details = {"years": len(specs)}
        if dry_run:
            transaction.set_rollback(True)
    return result


def load_shipped_notices(actor: Any = "cchc migrate") -> ImportResult:
    """Load ``cchc/data/workdays/notices.yaml`` for the years an administrator has not loaded himself.

    Runs after every ``migrate``: a new install has the official calendar at once, an update of the shipped
    file reaches installs that still use it, and a year an administrator loaded from his own file is kept.
    """
    own = set(Notice.objects.exclude(source=SHIPPED).values_list("year", flat=True))
    errors = ErrorCollector()
    years = {s.year for s in read_notices(NOTICES_FILE, errors)} - own
    errors.raise_if_any()
    return load_notices_file(NOTICES_FILE, actor=actor, source=SHIPPED, only_years=years)


# ---- local overrides ---------------------------------------------------------------------------------
def can_manage(user: Any) -> bool:
    """Only a system administrator (scope: every unit for ADMIN) edits the calendar."""
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) == Role.SYSTEM_ADMIN
        and scope.unit_ids(user, scope.Action.ADMIN) is None
    )


def _require_manager(user: Any) -> None:
    if not can_manage(user):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa lịch làm việc.")


def _clean(day: date, kind: str, name: str, province: OrgUnit | None, exclude_pk: int | None = None) -> dict:
    errors: dict[str, str] = {}
    if kind not in DayKind.values:
        errors["kind"] = "Chọn ngày nghỉ hoặc ngày làm việc."
    if not (name or "").strip():
        errors["name"] = "Nhập tên ngày (ví dụ: Nghỉ lễ hội truyền thống của tỉnh)."
    if province is not None and province.level != Level.PROVINCE:
        errors["province"] = "Chỉ chọn đơn vị cấp tỉnh, hoặc để trống để áp dụng toàn quốc."
    law = load_law()
    if day.year < law.first_year:
        errors["day"] = f"Lịch làm việc chỉ tính từ năm {law.first_year}."
    clash = Override.objects.filter(day=day, province=province)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        where = province.name if province else "toàn quốc"
        errors["day"] = f"Ngày {format_date(day)} đã có điều chỉnh ({where}); hãy sửa điều chỉnh đó."
    if errors:
        raise ValidationError(errors)
    return {"day": day, "kind": kind, "name": name.strip(), "province": province}


def _audit_data(o: Override) -> dict:
    return {
        "day": format_date(o.day),
        "kind": o.kind,
        "name": o.name,
        "note": o.note,
        "province": o.province.code if o.province else None,
    }


@transaction.atomic
def create_override(
    actor: Any, *, day: date, kind: str, name: str, note: str = "", province: OrgUnit | None = None
) -> Override:
    """Thêm điều chỉnh lịch (ngày nghỉ hoặc ngày làm việc), toàn quốc hoặc cho một tỉnh."""
    _require_manager(actor)
    values = _clean(day, kind, name, province)
    o = Override.objects.create(note=note.strip(), created_by=actor, **values)
    bump_version()
    audit.record(actor, Verb.OVERRIDE_CREATE, o, unit=province, data=_audit_data(o))
    return o


@transaction.atomic
def update_override(
    actor: Any, override: Override, *, day: date, kind: str, name: str, note: str = "", province: OrgUnit | None = None
) -> Override:
    _require_manager(actor)
    values = _clean(day, kind, name, province, exclude_pk=override.pk)
    before = _audit_data(override)
    for key, value in values.items():
        setattr(override, key, value)
    override.note = note.strip()
    override.save()
    bump_version()
    audit.record(
        actor,
        Verb.OVERRIDE_UPDATE,
        override,
        unit=province,
        data={"before": before, "after": _audit_data(override)},
    )
    return override


@transaction.atomic
def delete_override(actor: Any, override: Override) -> None:
    _require_manager(actor)
    data = _audit_data(override)
    pk, unit = override.pk, override.province
    override.delete()
    bump_version()
    audit.record(actor, Verb.OVERRIDE_DELETE, ("workdays.override", str(pk)), unit=unit, data=data)
