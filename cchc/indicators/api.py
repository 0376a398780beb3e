"""/api/indicators: a unit's figures with provenance, import of figures (a file or JSON rows), export.

Imports run with the caller's scope (a token acts as its user) and are recorded as "Nhập qua API" with the
file name or the given source name; a rejected import answers 400 with every row error.
"""

from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from cchc.accounts import scope
from cchc.api.schemas import Error
from cchc.core.importing import ImportRejected
from cchc.indicators import exporting, importing
from cchc.indicators.models import Origin, ValueSource
from cchc.indicators.periods import PeriodCodeError, get_period
from cchc.indicators.selectors import catalogue_version, values_for

router = Router(tags=["Chỉ tiêu / indicators"])


class RowErrorOut(Schema):
    row: int | None
    field: str
    value: str
    message: str


class RejectedOut(Schema):
    detail: str
    errors: list[RowErrorOut] = []


class ValueOut(Schema):
    code: str
    group: str
    stt: str
    name: str
    unit: str | None
    type: str | None
    in_appendix: bool
    value: float | int | None
    display: str
    source: ValueSource
    missing_reason: str | None
    provenance: dict
    own: bool


class ValuesOut(Schema):
    unit: str
    period: str
    catalogue_version: int | None
    values: list[ValueOut]


class ImportRowIn(Schema):
    don_vi: str
    ky: str
    ma_chi_tieu: str
    gia_tri: str | float | int | None = None
    ghi_chu: str = ""


class ImportIn(Schema):
    rows: list[ImportRowIn]
    source: str = "API"
    dry_run: bool = False


class PlannedOut(Schema):
    row: int
    unit: str
    period: str
    indicator: str
    name: str
    value: str | None
    old: str | None
    note: str
    action: str


class ImportOut(Schema):
    source: str
    dry_run: bool
    summary: str
    added: int
    changed: int
    unchanged: int
    cleared: int
    skipped: int
    rows: list[PlannedOut]


ERRORS = {400: RejectedOut, 401: Error, 403: Error, 404: Error, 422: Error}


def _period(code: str):
    try:
        return get_period(code)
    except PeriodCodeError as exc:
        raise _Rejected(str(exc)) from exc
    except (ValueError, OverflowError) as exc:  # a year the calendar cannot hold (0000-NAM)
        raise _Rejected(f"Mã kỳ “{code}” không hợp lệ: năm ngoài phạm vi.") from exc


class _Rejected(Exception):
    def __init__(self, detail: str, errors: list | None = None) -> None:
        super().__init__(detail)
        self.detail, self.errors = detail, errors or []


def _rejected(exc: ImportRejected) -> tuple[int, dict]:
    return 400, {"detail": exc.summary(), "errors": [e.as_dict() for e in exc.errors]}


@router.get("/values", response={200: ValuesOut, **ERRORS}, summary="Số liệu của một đơn vị trong một kỳ")
def values(request, unit: str, period: str):
    """Mọi chỉ tiêu của đơn vị trong kỳ, kèm nguồn gốc (nhập tay, nhập từ tệp, tính từ dữ liệu, cộng dồn…)."""
    try:
        found = scope.access_unit(request.user, unit.strip(), scope.Action.VIEW)
        period_obj = _period(period)
    except _Rejected as exc:
        return 400, {"detail": exc.detail}
    items = values_for(found, period_obj)
    return {
        "unit": found.code,
        "period": period_obj.code,
        "catalogue_version": catalogue_version(),
        "values": [v.as_dict() for v in items],
    }


@router.post("/import", response={200: ImportOut, **ERRORS}, summary="Nhập số liệu từ tệp CSV/XLSX")
def import_upload(request, file: UploadedFile = File(...), dry_run: bool = False):  # noqa: B008  (ninja)
    """Cột don_vi, ky, ma_chi_tieu, gia_tri, ghi_chu; toàn bộ hoặc không gì cả; dry_run: chỉ kiểm tra."""
    try:
        result = importing.import_file(
            request.user, file.name or "tep", content=file.read(), dry_run=dry_run, origin=Origin.API
        )
    except ImportRejected as exc:
        return _rejected(exc)
    return result.as_dict()


@router.post("/import/rows", response={200: ImportOut, **ERRORS}, summary="Nhập số liệu từ các dòng JSON")
def import_rows(request, payload: ImportIn):
    """Các dòng như cột của tệp nhập; ``source``: tên nguồn ghi trong nguồn gốc của số liệu."""
    rows = importing.rows_from_dicts(r.dict() for r in payload.rows)
    source = (payload.source or "API").replace("\x00", "").strip()[:100] or "API"
    try:
        result = importing.import_rows(
            request.user, rows, source_name=source, dry_run=payload.dry_run, origin=Origin.API
        )
    except ImportRejected as exc:
        return _rejected(exc)
    return result.as_dict()


_FILE_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_FILE_200 = {
    200: {
        "description": "Tệp CSV (UTF-8, dấu ;) hoặc XLSX",
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in _FILE_TYPES.values()},
    }
}


@router.get(
    "/export", response=ERRORS, summary="Xuất số liệu đã nhập (CSV/XLSX)", openapi_extra={"responses": _FILE_200}
)
def export(request, unit: str, period: str, format: str = "csv"):
    """Cùng các cột với tệp nhập; nhập lại tệp xuất không thay đổi gì."""
    if format not in ("csv", "xlsx"):
        return 400, {"detail": "Định dạng là csv hoặc xlsx."}
    try:
        found = scope.access_unit(request.user, unit.strip(), scope.Action.VIEW)
        period_obj = _period(period)
    except _Rejected as exc:
        return 400, {"detail": exc.detail}
    data = exporting.export(found, period_obj, format)
    response = HttpResponse(data, content_type=_FILE_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="so_lieu_{found.code}_{period_obj.code}.{format}"'
    return response
