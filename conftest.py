"""Fixtures shared by every app's tests, the browser ones included (one Chromium for the whole session:
Playwright's sync API allows one running instance per thread)."""

import io
import os
import shutil

import pytest

from cchc.accounts.models import Role
from cchc.accounts.services import create_user
from cchc.org.demo import DEMO_ORG_FILE
from cchc.org.models import OrgUnit
from cchc.org.services import load_org_file

TEST_PASSWORD = "Mat-khau-thu-nghiem-2026"

# A test CA, a PKCS#12 file and a SoftHSM2 token (session-wide: SoftHSM2 reads its setup once per process).
pytest_plugins = ["cchc.documents.tests.fixtures"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 makes every login in a test cost ~0.3 s; the hashing itself is tested on its own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Django's cache outlives a test: the public pages' rate limits count there, so every test starts
    (and leaves) it empty. The default cache is a database table (shared by a server's processes); tests
    that do not use the database get process memory instead (cchc/runtime/tests test the table)."""
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_org(db):
    """The demo province (districts until 30/6/2025, merged communes from 1/7/2025)."""
    load_org_file(DEMO_ORG_FILE, actor="test")
    return {u.code: u for u in OrgUnit.objects.all()}


# Xã Sơn Tây (a commune of the demo province) and Xã Sơn Giang (the commune it is not in): the officer of the
# one and an outsider from the other, which the apps' scope tests use.
SONTAY, SONGIANG = "000.16.21.H42", "000.00.62.H42"


@pytest.fixture
def sontay(demo_org):
    return demo_org[SONTAY]


@pytest.fixture
def officer(make_user, sontay):
    return make_user("canbo.sontay", Role.COMMUNE_OFFICER, sontay)


@pytest.fixture
def outsider(make_user, demo_org):
    return make_user("canbo.songiang", Role.COMMUNE_OFFICER, demo_org[SONGIANG])


@pytest.fixture
def catalogue(db):
    """The demo procedure catalogue (30 commune procedures), by code."""
    from cchc.dossiers.demo import PROCEDURES_FILE
    from cchc.dossiers.models import Procedure
    from cchc.dossiers.services import import_procedures

    import_procedures(PROCEDURES_FILE, actor="test")
    return {p.code: p for p in Procedure.objects.all()}


# ---- the whole demo, built once per run --------------------------------------------------------------
@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker):
    """The whole demo (`cchc demo`, ~26 s) built ONCE per test run, inside a transaction that is rolled back
    when the session ends. Use it through ``shared_demo``: each test then runs in a savepoint of that
    transaction (pytest-django's ``db``), so whatever it writes is undone and the next test sees the same demo.

    While the transaction is open every test sees the demo, so ``pytest_collection_modifyitems`` below runs
    the tests that use it last; a test that needs a transaction of its own (``transaction=True``,
    ``live_server``) cannot use it."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("demo", force=True, stdout=io.StringIO())
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def shared_demo(request, demo_database, db):
    """The demo of ``demo_database`` for one test, whose writes are rolled back at its end."""
    marker = request.node.get_closest_marker("django_db")
    if "live_server" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        pytest.fail("shared_demo lives in one open transaction: a transactional test builds its own demo.")


def pytest_collection_modifyitems(items):
    """The tests on the shared demo run last, after every test that expects an empty database, the
    transactional ones included (this runs after pytest-django's own ordering; a stable sort: the order
    among the others does not change)."""
    items.sort(key=lambda item: "demo_database" in getattr(item, "fixturenames", ()))


# Under pytest-xdist the several-servers tests of two workers must not share (and flush) one Redis database:
# worker gwN uses database 11 + N (cchc/runtime/tests/servers.py reads CCHC_TEST_REDIS_URL when imported).
if os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw") and "CCHC_TEST_REDIS_URL" not in os.environ:
    _worker_number = int(os.environ["PYTEST_XDIST_WORKER"][2:])
    os.environ["CCHC_TEST_REDIS_URL"] = f"redis://127.0.0.1:6379/{11 + _worker_number}"


@pytest.fixture(scope="session", autouse=True)
def _worker_files():
    """Under pytest-xdist each worker has its own test database (pytest-django names it per worker) but the
    same settings: job progress files ($CCHC_VAR_DIR/jobs/<id>.json) and uploads would collide between
    workers whose rows carry the same ids, so each worker gets its own folders."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from pathlib import Path

        from django.conf import settings

        settings.VAR_DIR = Path(settings.VAR_DIR) / worker
        settings.MEDIA_ROOT = Path(settings.MEDIA_ROOT) / worker


@pytest.fixture
def make_user(db):
    def make(username: str, role: str = Role.COMMUNE_OFFICER, unit: OrgUnit | None = None, **extra):
        user, _ = create_user(
            actor="test",
            username=username,
            role=role,
            unit=unit,
            password=TEST_PASSWORD,
            must_change_password=extra.pop("must_change_password", False),
            **extra,
        )
        return user

    return make


# ---- real browser: Debian's Chromium driven by Playwright (never a downloaded browser) -----------------
CHROMIUM = os.environ.get("CCHC_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server and Playwright's sync API share a thread


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium không có tại {CHROMIUM}: `make test` cài gói chromium của Debian.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}


@pytest.fixture
def open_page(browser):
    """A factory of pages in fresh contexts (``viewport``, e.g. PHONE or WALL, plus any of Playwright's
    context options: ``is_mobile``, ``java_script_enabled``…), all closed at the end of the test."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        context = browser.new_context(locale="vi-VN", viewport=viewport or {"width": 1280, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def wait_for_js(page, expression: str, timeout_s: float = 10) -> None:
    """Wait until ``expression`` is truthy in ``page``, polling from the test side: the product's CSP has no
    'unsafe-eval', which Playwright's ``wait_for_function`` needs for its in-page predicate, while
    ``page.evaluate`` (DevTools protocol) is not bound by the page's CSP."""
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"Sau {timeout_s} s vẫn chưa đúng: {expression}")
        page.wait_for_timeout(50)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def phone(open_page):
    """A phone: 390×844, touch."""
    return open_page(PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def tv(open_page):
    """The screen in a service centre: 1920×1080."""
    return open_page(WALL)


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return do
