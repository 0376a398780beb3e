"""Issue 14, "Done when": no page of a crawl of every demo role shows a placeholder left unfilled
(``{KY_TOI.TEN}``), an indicator code (``training.planned``) or a Python repr (``{'…``, ``[<…``,
``<QuerySet``, ``Decimal(``, ``None`` as a value). Same crawl as the reads-never-write test: every URL
pattern of the URL conf, filled with demo objects, as each role and as a visitor. Only what a person reads
is checked: the text of the page and the ``title``/``aria-label`` attributes, not scripts or styles."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cchc.indicators.tests.test_reads_never_write import ROLES, _urls, demo_db  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|\{[A-Za-z_][\w.]*\}")
REPR = re.compile(r"\{'|\[<|<QuerySet|Decimal\(|\bNone\b|<[A-Za-z]+: |object at 0x")
CODE = re.compile(r"\b[a-z]+\.[a-z_]+(?:\.[a-z_]+)?\b")


class _Text(HTMLParser):
    """The text a person reads: data outside <script>/<style>, plus title and aria-label attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str, codes: set[str]) -> list[str]:
    found = [m.group(0) for m in PLACEHOLDER.finditer(text)] + [m.group(0) for m in REPR.finditer(text)]
    found += [m.group(0) for m in CODE.finditer(text) if m.group(0) in codes]
    return found


def test_visible_text_finder():
    html = (
        "<p title=\"x {ky.ten}\">Số liệu: training.planned; {'a': 1} [&lt;Dossier: X&gt;] None</p>"
        "<script>var a = {b: 1}; if (x === None) {}</script><p>Tỷ lệ 96,90% — 000.16.21.H42</p>"
    )
    text = visible_text(html)
    assert "var a" not in text
    assert problems(text, {"training.planned"}) == ["{ky.ten}", "{'", "[<", "None", "training.planned"]
    assert problems(visible_text("<p>Xã Sơn Tây, 000.16.21.H42, 96,90%, dichvucong.gov.vn</p>"), set()) == []


# Pages found showing indicator codes when this test was written (issue 14), outside the desk's apps: listed
# for their owners; the test fails once one is clean, so that it is removed from here.
KNOWN_CODE_PAGES: dict[str, str] = {}  # pattern → why a page may still show codes (none left)


def test_no_page_shows_a_placeholder_a_code_or_a_repr(demo_db, client):  # noqa: F811
    from cchc.accounts.models import User
    from cchc.indicators.models import Indicator
    from cchc.indicators.registry import _functions  # function names ("dossiers.resolved") are codes too

    codes = set(Indicator.objects.values_list("code", flat=True)) | set(_functions)
    urls_all = _urls(demo_db, with_admin=False)
    found: dict[str, set[str]] = {}
    client.raise_request_exception = False
    for username in ROLES:
        client.logout()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        for url in urls_all:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for bad in problems(visible_text(response.content.decode()), codes):
                found.setdefault(url.split("?")[0], set()).add(f"{bad} ({username or 'khách'})")
    known = {url for url in found if any(re.match(p, url) for p in KNOWN_CODE_PAGES)}
    only_codes = {url for url in known if all(CODE.fullmatch(item.split(" (")[0]) for item in found[url])}
    report = "\n".join(
        f"{url}: {', '.join(sorted(items)[:6])}" for url, items in sorted(found.items()) if url not in only_codes
    )
    assert not report, report
    cleaned = [p for p in KNOWN_CODE_PAGES if not any(re.match(p, url) for url in only_codes)]
    assert not cleaned, f"These pages no longer show codes: remove them from KNOWN_CODE_PAGES: {cleaned}"
