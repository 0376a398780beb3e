"""Writes: issuing document numbers from the unit's register."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.documents.models import NumberRegister
from cchc.documents.symbols import format_symbol, issued_types
from cchc.org.models import OrgUnit

OFFICIAL_LETTER = "CV"  # the register of công văn; the symbol itself carries no type


@transaction.atomic
def issue_number(
    actor: Any, unit: OrgUnit, year: int, type_code: str | None, body: str = "UBND", drafting_unit: str = ""
) -> str:
    """Cấp số văn bản: the next number of the unit's register for the year, as its full symbol.

    ``issue_number(user, commune, 2021, "BC")`` → ``303/BC-UBND``; a công văn (``type_code=None``) takes its
    number from its own register and its symbol is ``<body>-<drafting unit>``, e.g. ``123/UBND-VP``.
    """
    if type_code is not None and type_code not in issued_types():
        raise ValueError(f"“{type_code}” không phải là chữ viết tắt tên loại văn bản theo Nghị định 30.")
    register_code = type_code or OFFICIAL_LETTER
    register, _ = NumberRegister.objects.get_or_create(unit=unit, year=year, register=register_code)
    # An UPDATE … SET last_number = last_number + 1 is atomic on every database, so two app servers never
    # hand out the same number.
    NumberRegister.objects.filter(pk=register.pk).update(last_number=F("last_number") + 1)
    register.refresh_from_db(fields=["last_number"])
    symbol_body = body if type_code else f"{body}-{drafting_unit or 'VP'}"
    symbol = format_symbol(register.last_number, type_code, symbol_body)
    audit.record(actor, Verb.NUMBER_ISSUE, register, unit=unit, data={"symbol": symbol, "year": year})
    return symbol
