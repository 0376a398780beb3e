"""Tải bảng về Excel: every list or table a page shows downloads as XLSX through one helper.

A page offers the link ``{% xlsx_link %}`` (the page's own address and filters plus ``tai=xlsx``); its view
starts with ``if wants_xlsx(request): return table_download(...)``, giving the same rows it shows, as
columns with Vietnamese headers and number formats. Writing is ``cchc.core.xlsx.xlsx_response``: streamed
through a write-only sheet, formula-like text kept as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone

from cchc.core.xlsx import Column, Kind, xlsx_response

DOWNLOAD_PARAM, XLSX = "tai", "xlsx"

__all__ = ["Column", "Kind", "download_url", "table_download", "wants_xlsx"]


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get(DOWNLOAD_PARAM) == XLSX


def download_url(request: HttpRequest) -> str:
    """This page's address with its filters, asking for the XLSX (any page number dropped: all rows)."""
    query = request.GET.copy()
    for key in (DOWNLOAD_PARAM, "trang"):
        query.pop(key, None)
    query[DOWNLOAD_PARAM] = XLSX
    return f"{request.path}?{query.urlencode()}"


def table_download(
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "",
    subtitle: str = "",
) -> FileResponse:
    """The XLSX of one table: ``name`` gives the sheet and the file name ("Danh sách hồ sơ" →
    "Danh sách hồ sơ 06-12-2026.xlsx"); ``title``/``subtitle`` are printed above the header row (unit,
    period, filters) so the file says what it holds once it leaves the page."""
    today = timezone.localdate()
    lines = [line for line in (title, subtitle, f"Tải về ngày {today:%d/%m/%Y}") if line]
    return xlsx_response(f"{name} {today:%d-%m-%Y}.xlsx", name, columns, rows, title_lines=lines)
