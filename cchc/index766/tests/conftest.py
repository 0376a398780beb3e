"""Small hand-made fixtures: a province with two communes (one ended on 30/6/2026), a field, procedures and
a dossier factory that writes the row as the services leave it (due_on already moved by a supplement)."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from cchc.dossiers.models import Dossier, Field, Procedure
from cchc.org.models import OrgUnit, OrgUnitParent

_SEQ = count(1)


@pytest.fixture
def org(db):
    province = OrgUnit.objects.create(
        code="P01", name="Tỉnh Thử", kind="ubnd", level="tinh", valid_from=date(2020, 1, 1)
    )
    a = OrgUnit.objects.create(code="X01", name="Xã An", kind="ubnd", level="xa", valid_from=date(2020, 1, 1))
    b = OrgUnit.objects.create(
        code="X02", name="Xã Bình", kind="ubnd", level="xa", valid_from=date(2020, 1, 1), valid_to=date(2026, 6, 30)
    )
    for unit in (a, b):
        OrgUnitParent.objects.create(unit=unit, parent=province, valid_from=date(2020, 1, 1), valid_to=unit.valid_to)
    return {"P": province, "A": a, "B": b}


@pytest.fixture
def procs(db):
    field = Field.objects.create(code="ht", name="Hộ tịch")
    full = Procedure.objects.create(
        code="TT1", name="Đăng ký khai sinh", field=field, level="xa", online_form="toan_trinh"
    )
    plain = Procedure.objects.create(code="TT2", name="Chứng thực", field=field, level="xa")
    return {"full": full, "plain": plain, "field": field}


@pytest.fixture
def dossier(procs):
    def make(unit, received_on: date, due_on: date, *, procedure=None, **fields) -> Dossier:
        procedure = procedure or procs["plain"]
        return Dossier.objects.create(
            code=f"D{next(_SEQ):05d}",
            unit=unit,
            procedure=procedure,
            field=procedure.field,
            received_on=received_on,
            original_due_on=fields.pop("original_due_on", due_on),
            due_on=due_on,
            **fields,
        )

    return make


@pytest.fixture
def returned(dossier):
    """A dossier returned on ``day``, its outcome classified against due_on as the services do."""
    from cchc.dossiers.rules import classify

    def make(unit, received_on: date, due_on: date, day: date, **fields) -> Dossier:
        return dossier(
            unit, received_on, due_on, returned_on=day, closed_on=day, outcome=classify(day, due_on), status="da_tra",
            **fields,
        )  # fmt: skip

    return make
