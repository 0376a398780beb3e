"""Read once per GET: what many parts of one read-only request ask for (the org tree, the indicator
catalogue) is read from the database once and handed to each of them.

A GET writes nothing (``indicators/tests/test_reads_never_write.py`` crawls every page), so what it read at its
start is still what the database holds at its end. Outside such a request (a POST, a job, a command) every
call reads afresh, as before. Callers get the same object: they must not change it — least of all what is
read with ``tables=``: the org tree and the catalogue are then shared by the process's requests while their
tables' token (``core.tablestamps``) is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

from cchc.core import tablestamps

T = TypeVar("T")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("cchc_read_once", default=None)


@contextmanager
def read_only() -> Iterator[None]:
    """Within: ``once(key, read)`` reads each key once. Only around work that writes nothing it reads."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(key: Hashable, read: Callable[[], T], *, tables: str | None = None) -> T:
    """``read()`` once per ``key`` within ``read_only``; every time outside it. ``tables``: the name of the
    ``core.tablestamps`` group ``read`` reads — within ``read_only`` the process's copy is used while that
    group's token is unchanged (one query for every group's token, once per request)."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        if tables is None:
            memo[key] = read()
        else:
            tokens = once(_TOKENS, _read_tokens)
            memo[key] = tablestamps.kept(key, tokens.get(tables), read)
    return memo[key]  # type: ignore[return-value]


_TOKENS = ("core.tablestamps",)


def _read_tokens() -> dict[str, str]:
    from cchc.core.models import TableStamp  # models are ready once a request runs

    return dict(TableStamp.objects.values_list("name", "token"))


class ReadOnceMiddleware:
    """A GET reads the org tree and the catalogue once however many parts of it ask: the user's scope, the
    figures and the page's own tables read the tree three times before, the report page's four periods
    the catalogue four times."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READ_METHODS:
            return self.get_response(request)
        with read_only():
            return self.get_response(request)
