"""Page links that keep the filters: ``{% pager page %}`` renders "Trang 1 2 3 … 9" with the current
query string, its ``trang`` replaced (never appended again at each click)."""

from __future__ import annotations

from django import template
from django.core.paginator import Page

register = template.Library()

PAGE_PARAM = "trang"


def page_numbers(number: int, last: int, around: int = 2) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: the first, the last and ``around`` pages each side; None marks a gap."""
    wanted = {1, last, *range(max(1, number - around), min(last, number + around) + 1)}
    out: list[int | None] = []
    for n in sorted(wanted):
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


@register.inclusion_tag("core/_pager.html", takes_context=True)
def pager(context, page: Page, noun: str = "dòng") -> dict:
    request = context["request"]
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    base = query.urlencode()

    def url(n: int) -> str:
        return f"?{base}&{PAGE_PARAM}={n}" if base else f"?{PAGE_PARAM}={n}"

    numbers = page_numbers(page.number, page.paginator.num_pages)
    return {
        "page": page,
        "noun": noun,
        "links": [(n, url(n) if n else "") for n in numbers],
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "first_row": page.start_index(),
        "last_row": page.end_index(),
    }


@register.simple_tag(takes_context=True)
def xlsx_url(context) -> str:
    """The current page's address with its filters, asking for the XLSX download (cchc.core.downloads)."""
    from cchc.core.downloads import download_url

    return download_url(context["request"])
