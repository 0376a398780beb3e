"""The product's errors (cchc.core.errors) answer the same way at every door: a page, the API, a command."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import include, path

from cchc.api.api import api
from cchc.cli import main
from cchc.core.errors import CchcError, Conflict, FieldError, NotAllowed, NotFound, ValidationFailed

CASES = {
    "du-lieu": (ValidationFailed("Ngày kết thúc phải sau ngày bắt đầu.", field="end"), 400),
    "xung-dot": (Conflict("Người khác vừa sửa mục này; hãy tải lại trang."), 409),
    "quyen": (NotAllowed("Chỉ lãnh đạo đơn vị được ký duyệt."), 403),
    "khong-co": (NotFound("Không có báo cáo này."), 404),
}


def _raise(request, kind: str):
    raise CASES[kind][0]


urlpatterns = [path("thu-loi/<str:kind>/", _raise), path("", include("cchc.urls"))]


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_a_page_answers_each_error_with_its_status_and_message(client, error_urls, kind):
    exc, status = CASES[kind]
    response = client.get(f"/thu-loi/{kind}/")
    page = response.content.decode()
    assert response.status_code == status
    assert exc.message in page and "Traceback" not in page
    assert f"Mã lỗi {status}" in page or status == 400  # the product's own frame, not Django's English page


@pytest.mark.django_db
def test_an_htmx_request_gets_the_message_alone(client, error_urls):
    response = client.get("/thu-loi/xung-dot/", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert response.content.decode() == CASES["xung-dot"][0].message


@pytest.mark.parametrize("kind", CASES)
def test_the_api_answers_each_error_with_its_status_and_detail(kind):
    exc, status = CASES[kind]
    response = api.on_exception(RequestFactory().get("/api/x"), exc)
    assert response.status_code == status
    assert json.loads(response.content) == {"detail": exc.message}


@pytest.mark.parametrize("kind", CASES)
def test_a_command_raising_an_error_exits_non_zero_with_the_message(monkeypatch, capsys, kind):
    from cchc.jobs.management.commands import demo

    exc, _ = CASES[kind]

    def handle(self, *args, **options):
        raise exc

    monkeypatch.setattr(demo.Command, "handle", handle)
    with pytest.raises(SystemExit) as info:
        main(["demo"])
    assert info.value.code != 0
    assert f"CommandError: {exc.message}" in capsys.readouterr().err


def test_the_hierarchy_keeps_the_old_catches_working():
    assert isinstance(NotFound(), Http404) and isinstance(NotAllowed(), PermissionDenied)
    old = FieldError("title", "Cần nhập tiêu đề.")
    assert isinstance(old, ValidationFailed) and isinstance(old, ValueError)
    assert (old.field, old.message, old.messages) == ("title", "Cần nhập tiêu đề.", ["Cần nhập tiêu đề."])
    assert all(isinstance(exc, CchcError) for exc, _ in CASES.values())
    assert Conflict().message  # a default Vietnamese message when the service gives none
