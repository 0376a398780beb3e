"""A GET never writes (issue 12): after ``migrate`` + ``cchc demo``, a GET of every page of the URL conf,
as each demo role, leaves the row count of every table unchanged — except the indicator cache
(``ComputedValue``) and the login bookkeeping (sessions, axes).

Every URL pattern is resolved from the URL conf (nothing listed by hand), so a page added later is
crawled too; a parameter is filled with real objects of the demo (the first rows of the models of the
pattern's app, unit codes, framework codes…), a few combinations per pattern.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

# Rows a GET may write: the indicator cache, and what logging in writes.
ALLOWED_WRITERS = {
    "indicators.computedvalue",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
# Pages known to write on GET, each with who must fix it. The test fails when one of them stops writing,
# so this list never outlives the bug.
KNOWN_WRITERS: dict[str, str] = {}  # pattern → why a GET may still write (none left)
MAX_COMBINATIONS = 4
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _patterns(patterns=None, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str | None]]:
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace


def _first_pks(app_label: str) -> list[str]:
    """The first row of every model of an app (the ids a parameterised page of that app is about)."""
    found: list[str] = []
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return found
    for model in config.get_models():
        pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None and str(pk) not in found:
            found.append(str(pk))
    return found


def _candidates(namespace: str | None, name: str, demo: dict[str, list[str]]) -> list[str]:
    by_name = {
        "code": demo["framework_codes"] if namespace == "parindex" else demo["unit_codes"],
        "unit_code": demo["desk_units"],
        "procedure_code": demo["procedure_codes"],
        "token": demo["tokens"],
        "fmt": ["docx", "xlsx", "pdf"],
        "kind": demo["kinds"],
        "number": ["01", "02"],
        "step": demo["steps"],
        "day": ["2021-06-14"],
        "app_label": ["indicators"],
        "object_id": demo["admin_ids"],
        "content_type_id": demo["content_types"],
        "id": demo["user_ids"],
    }
    if name in by_name:
        return by_name[name][:3]
    app = {"kiosk": "surveys", "core": "core", "admin": "core"}.get(namespace or "", namespace or "")
    return (_first_pks(app) or ["1"])[:3]


def _urls(demo: dict[str, list[str]], with_admin: bool) -> list[str]:
    urls: list[str] = []
    for raw, namespace in _patterns():
        if raw.startswith("quan-tri/") and not with_admin:
            continue
        if raw.endswith("(?P<url>.*)$"):
            continue  # the admin's catch-all
        route = raw.replace("^", "").replace("$", "")
        names = [m.group("name") or m.group("rname") for m in _PARAM.finditer(route)]
        choices = [_candidates(namespace, n, demo) for n in names]
        for combo in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
            values = iter(combo)
            urls.append("/" + _PARAM.sub(lambda _m, v=values: next(v), route))
    # pages of this issue with the query a user sends
    urls += [
        "/chi-tieu/?don-vi=000.00.21.H42&ky=2021-NAM",
        "/chi-tieu/?don-vi=000.16.21.H42&ky=2021-NAM",
        "/chi-tieu/?don-vi=000.00.00.H42&ky=2090-NAM",
        "/chi-tieu/kiem-tra/?don-vi=000.00.00.H42&tu-ky=2021-Q1&den-ky=2021-NAM",
        "/bao-cao/tinh-hinh/?don-vi=000.00.21.H42&ky=2021-NAM",
        "/cong-khai/000.16.21.H42/ket-qua/?nam=2021",
        "/ho-so/thong-ke/?don-vi=000.00.21.H42&tu=2021-01-01&den=2021-12-31",
        "/chi-so-766/?don-vi=000.16.21.H42&ky=2026-QUY4&tai=xlsx",
        "/chi-so-766/xep-hang/?don-vi=000.00.00.H42&ky=2026-NAM",
        "/chi-so-766/thanh-phan/tien_do/?don-vi=000.16.21.H42&tu=01/11/2026&den=30/11/2026",
    ]
    return list(dict.fromkeys(urls))


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k] and k not in ALLOWED_WRITERS}


def _counts() -> dict[str, int]:
    return {m._meta.label_lower: m.objects.count() for m in apps.get_models(include_auto_created=True)}


@pytest.fixture
def demo_db(shared_demo, settings):
    """The demo (``cchc demo``, built once per run by the root conftest) and the ids to fill URLs with."""
    settings.CCHC_DEMO_MODE = True
    from cchc.accounts.models import User
    from cchc.dossiers.models import Procedure
    from cchc.org.models import OrgUnit

    def codes(model_label: str, field: str) -> list[str]:
        try:
            model = apps.get_model(model_label)
        except LookupError:
            return []
        return [str(v) for v in model.objects.order_by("pk").values_list(field, flat=True)[:3]]

    demo = {
        "unit_codes": ["000.00.21.H42", "000.16.21.H42", "000.00.00.H42"],
        "desk_units": ["000.16.21.H42", "000.00.62.H42", *codes("public.ServiceDesk", "unit__code")][:3],
        "procedure_codes": list(Procedure.objects.values_list("code", flat=True)[:2]),
        "framework_codes": codes("parindex.Framework", "code"),
        "tokens": codes("surveys.KioskLink", "token") or ["khong-co"],
        "kinds": ["result_ready", "report", "plan", "lost"],
        "steps": ["submit", "approve"],
        "admin_ids": [str(OrgUnit.objects.order_by("pk").first().pk)],
        "content_types": [],
        "user_ids": [str(User.objects.order_by("pk").first().pk)],
    }
    from django.contrib.contenttypes.models import ContentType

    demo["content_types"] = [str(ContentType.objects.get_for_model(OrgUnit).pk)]
    return demo


ROLES = [
    "quantri",
    "sonoivu",
    "noivu.huongson",
    "canbo.sontay",
    "motcua.sontay",
    "lanhdao.sontay",
    "canbo.songiang",
    None,
]  # None: a visitor who is not logged in


def test_a_get_of_every_page_as_every_demo_role_writes_nothing(demo_db, client):
    from cchc.accounts.models import User

    urls_all = _urls(demo_db, with_admin=True)
    urls_staff = [u for u in urls_all if not u.startswith("/quan-tri/")]
    assert len(urls_staff) > 100, urls_staff  # every page of the URL conf, not a hand-made list
    writes: list[str] = []
    known: dict[str, list[str]] = {pattern: [] for pattern in KNOWN_WRITERS}
    errors: list[str] = []
    client.raise_request_exception = False  # a page that fails is reported with the others, not raised
    for username in ROLES:
        client.logout()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        urls = urls_all if username == "quantri" else urls_staff
        # Count every table around the role's whole crawl; only when something changed, count around each
        # page again to name the writers (counting ~90 tables per request would triple the test's time).
        # The first pass is rolled back, so the second starts from the same rows (a writer that writes only
        # once — the first print of a form — is caught again).
        with transaction.atomic():
            before = _counts()
            for url in urls:
                if client.get(url).status_code >= 500:
                    errors.append(f"{username or 'khách'} GET {url} → 500")
            wrote = _changed(before, _counts())
            transaction.set_rollback(True)
        if wrote:
            for url in urls:
                page_before = _counts()
                response = client.get(url)
                changed = _changed(page_before, _counts())
                if changed:
                    line = f"{username or 'khách'} GET {url} → {response.status_code}: {changed}"
                    pattern = next((p for p in KNOWN_WRITERS if re.match(p, url)), None)
                    (known[pattern] if pattern else writes).append(line)
    assert not writes, "\n".join(writes)
    assert not errors, "\n".join(errors)
    fixed = [p for p, lines in known.items() if not lines]
    assert not fixed, f"These pages no longer write on GET: remove them from KNOWN_WRITERS: {fixed}"
