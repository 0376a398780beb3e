"""One org graph per read-only request (``selectors.one_graph_per_read``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cchc.org.selectors import one_graph_per_read

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class OneGraphPerReadMiddleware:
    """A GET reads the org tree once however many parts of it ask (the user's scope, the figures, the
    page's tables: three readings of a few thousand rows each before). A GET writes nothing
    (``indicators/tests/test_reads_never_write.py``), so the tree cannot change under it; a POST reads
    afresh at each call, as before."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READ_METHODS:
            return self.get_response(request)
        with one_graph_per_read():
            return self.get_response(request)
