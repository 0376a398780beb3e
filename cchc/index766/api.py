"""/api/index766/: a unit's QĐ 766 index over a period or a day range — the same keys as
``cchc index766 --json`` (both serialise ``IndexResult.as_dict``)."""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema, Status
from pydantic import Field

from cchc.api.schemas import ERRORS
from cchc.index766 import selectors
from cchc.indicators.periods import PeriodCodeError

router = Router(tags=["Bộ chỉ số 766 / QĐ 766 index"])


class GroupOut(Schema):
    code: str
    name: str
    points: float | None
    max: float


class ComponentOut(Schema):
    code: str
    name: str
    group: str
    numerator: int | None
    denominator: int | None
    ratio: float | None
    points: float | None
    max: float
    no_data: bool
    note: str


class IndexOut(Schema):
    unit: str
    unit_name: str
    # "from" is a Python keyword: the field is named from_ and answered as "from" (by_alias below).
    from_: str = Field(alias="from")
    to: str
    version: str
    total: float | None
    max_total: float
    groups: list[GroupOut]
    components: list[ComponentOut]
    no_data_components: list[str]
    as_of: str | None
    stored_at: str | None


@router.get("/", response={200: IndexOut, **ERRORS}, by_alias=True, summary="Bộ chỉ số 766 của một đơn vị")
def index(
    request,
    unit: str,
    period: str = "",
    from_: date | None = Query(None, alias="from"),  # noqa: B008  (ninja)
    to: date | None = None,
):
    """Điểm từng nhóm, từng thành phần (tử số, mẫu số, tỷ lệ, điểm, điểm tối đa) theo mã kỳ (2026-T11,
    2026-QUY4, 2026-NAM) hoặc từ ngày ``from`` đến ngày ``to``; kỳ đã chốt trả kết quả đã lưu."""
    from cchc.accounts import scope

    found = scope.access_unit(request.user, unit.strip(), scope.Action.VIEW)
    try:
        start, end = selectors.resolve_range(period.strip() or None, from_, to)
        result = selectors.index_for(found, start, end, actor=request.user)
    except (ValueError, PeriodCodeError, selectors.NoFormula) as exc:
        return Status(400, {"detail": str(exc)})
    return result.as_dict()
