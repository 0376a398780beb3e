"""Demo: the one-stop desks of the demo communes, published."""

from __future__ import annotations

from cchc.org.models import Level, OrgUnit
from cchc.public.models import ServiceDesk

HOURS = "Sáng 7h30 - 11h30, chiều 13h30 - 17h00, từ thứ Hai đến thứ Sáu; sáng thứ Bảy 7h30 - 11h30"


def _lower_kind(name: str) -> str:
    """"Xã Sơn Tây" → "xã Sơn Tây", as it reads inside a sentence."""
    kind, _, rest = name.partition(" ")
    return f"{kind.lower()} {rest}" if rest else name


def run(out) -> None:
    made = 0
    for index, unit in enumerate(OrgUnit.objects.filter(level=Level.COMMUNE).order_by("code"), start=1):
        place = _lower_kind(unit.name)
        _, created = ServiceDesk.objects.get_or_create(
            unit=unit,
            defaults={
                "name": f"Bộ phận Một cửa UBND {place}",
                "address": f"Trụ sở UBND {place}, tỉnh Hà Tĩnh",
                "phone": f"0239 3{870000 + index:06d}",
                "opening_hours": HOURS,
            },
        )
        made += created
    out(f"{made} nơi tiếp nhận hồ sơ công khai")
