"""Nạp tỉnh và các xã, phường, đặc khu theo danh mục chính thức từ 1/7/2025 (gói ``vietnam-provinces``):
``cchc org load-official --province 42`` or ``--province "Hà Tĩnh"``.

Units are keyed by their official administrative codes (province: 2 digits, commune: 5 digits, as the
package gives them), so loading again changes nothing, and a renamed unit is updated in place. A province
already in the install under its agency code (mã định danh, e.g. 000.00.00.H42) is named with ``--under`` so
that its communes hang under it instead of under a second copy. Agencies and desks are added afterwards.
The writes are those of ``cchc org load`` (same checks, audit rows, all or nothing, --dry-run).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cchc.core.actors import SystemActor
from cchc.core.importing import ErrorCollector, ImportRejected, ImportResult, RowError
from cchc.core.params import parse_int
from cchc.core.text import fold
from cchc.org import services
from cchc.org.models import Level, OrgUnit

LOADER = SystemActor("cchc org load-official")

REFORM_DAY = date(2025, 7, 1)  # the two-level local government (no district) since this day
KINDS = {"tỉnh": "Tỉnh", "thành phố trung ương": "Thành phố", "xã": "Xã", "phường": "Phường", "đặc khu": "Đặc khu"}
PREFIXES = ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu ")


def _place(name: str) -> str:
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def full_name(province: Any) -> str:
    """ "Tỉnh Hà Tĩnh", "Thành phố Hà Nội": the package writes some with their kind, some without."""
    place = _place(province.name)
    return f"{KINDS.get(str(province.division_type.value), 'Tỉnh')} {place}"


def find_province(text: str) -> Any:
    """A province of the package by its code ("42", "1") or its name with or without accents and prefix
    ("Hà Tĩnh", "ha tinh", "Tỉnh Hà Tĩnh"). Raises ImportRejected naming the candidates otherwise."""
    from vietnam_provinces import Province

    wanted = fold(text).strip()
    provinces = list(Province.iter_all())
    if (number := parse_int(wanted)) is not None:
        found = [p for p in provinces if int(p.code) == number]
    else:
        found = [p for p in provinces if wanted in (fold(full_name(p)), fold(_place(p.name)))]
        if not found:
            found = [p for p in provinces if wanted in fold(p.name)]
    if len(found) == 1:
        return found[0]
    message = (
        f"Không có tỉnh, thành phố nào khớp “{text}”."
        if not found
        else f"“{text}” khớp nhiều tỉnh, thành phố: {', '.join(full_name(p) for p in found)}; ghi rõ hơn hoặc dùng mã."
    )
    raise ImportRejected([RowError(None, "province", text, message)], 1)


def official_units(province: Any, under: OrgUnit | None) -> services.OrgFile:
    """The province (unless ``under`` stands for it) and its communes as an org file to load."""
    from vietnam_provinces import Ward

    parent_code = under.code if under else f"{int(province.code):02d}"
    units = []
    if under is None:
        units.append(
            services.UnitSpec(
                code=parent_code,
                name=full_name(province),
                kind=KINDS.get(str(province.division_type.value), "Tỉnh"),
                level=Level.PROVINCE,
                place_name=_place(province.name),
                valid_from=REFORM_DAY,
                valid_to=None,
                row=None,
            )
        )
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: int(w.code))
    for k, ward in enumerate(wards, start=1):
        spec = services.UnitSpec(
            code=f"{int(ward.code):05d}",
            name=ward.name,
            kind=KINDS.get(str(ward.division_type.value), "Xã"),
            level=Level.COMMUNE,
            place_name=_place(ward.name),
            valid_from=REFORM_DAY,
            valid_to=None,
            row=k,
        )
        spec.links.append(services.LinkSpec(parent_code, REFORM_DAY, None, k))
        units.append(spec)
    return services.OrgFile(units, [])


def load_official(
    province_text: str,
    *,
    under_code: str | None = None,
    actor: Any = LOADER,
    dry_run: bool = False,
) -> tuple[Any, ImportResult]:
    """Nạp tỉnh và xã theo danh mục chính thức. Returns (the package's province, the result)."""
    from django.db import transaction

    province = find_province(province_text)
    under = None
    if under_code:
        under = OrgUnit.objects.filter(code=under_code).first()
        if under is None or under.level != Level.PROVINCE:
            raise ImportRejected(
                [RowError(None, "under", under_code, "Không có đơn vị cấp tỉnh với mã này trong hệ thống.")], 1
            )
    org = official_units(province, under)
    errors = ErrorCollector()
    services.validate(org, errors)
    errors.raise_if_any()
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        services._write(org, result, actor)
        if dry_run:
            transaction.set_rollback(True)
    result.details["communes"] = len(org.units) - (0 if under else 1)
    return province, result
