"""What a citizen or an officer sees when something goes wrong, with DEBUG off: Vietnamese pages, never
Django's technical page or an English "Not Found"; the favicon is local; the login page names real accounts."""

import pytest
from django.test import Client
from django.urls import path

from cchc.accounts.models import Role

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("lỗi thử")


urlpatterns = [path("no-loi/", _boom)]


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.mark.parametrize("url", ["/khong-co-trang-nay/", "/cong-khai/khong-co/thu-tuc/", "/ho-so/999999/"])
def test_404_is_vietnamese_for_citizens_and_officers(client, no_debug, url, demo_org, make_user):
    response = client.get(url, follow=True)
    page = response.content.decode()
    if response.redirect_chain:  # a page behind the login: the citizen gets the login page
        assert "Đăng nhập" in page
        client.force_login(make_user("canbo.x", Role.COMMUNE_OFFICER, demo_org["000.16.21.H42"]))
        response = client.get(url)
        page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and "Trang công khai" in page
    assert "Not Found" not in page and "Page not found" not in page and "Traceback" not in page


def test_403_names_the_reason_in_vietnamese(client, no_debug, demo_org, make_user):
    client.force_login(make_user("lanhdao.x", Role.LEADER, demo_org["000.16.21.H42"]))
    response = client.get("/ho-so/tiep-nhan/")
    page = response.content.decode()
    assert response.status_code == 403 and "Không có quyền thực hiện" in page and "Forbidden" not in page


def test_500_is_a_vietnamese_page_without_details(no_debug, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/no-loi/")
    page = response.content.decode()
    assert response.status_code == 500 and "Hệ thống đang gặp sự cố" in page
    assert "RuntimeError" not in page and "lỗi thử" not in page and "Server Error" not in page


def test_csrf_failure_is_vietnamese(no_debug, demo_org, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("motcua.x", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"]))
    response = client.post("/ho-so/tiep-nhan/", {"applicant_name": "A"})
    assert response.status_code == 403 and "Trang đã cũ, chưa gửi được" in response.content.decode()


def test_favicon_is_served_locally(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/tai-khoan/dang-nhap/").content.decode()


def test_login_page_suggests_only_existing_demo_accounts(client, settings, demo_org, make_user):
    settings.CCHC_DEMO_MODE = True
    make_user("motcua.sontay", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"])
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "<code>motcua.sontay</code> — Công chức Bộ phận Một cửa" in page
    assert "canbo.sonlam" not in page and "sonoivu" not in page  # not created here: not offered


def test_admin_labels_of_login_throttling_are_vietnamese(client, make_user, db):
    admin = make_user("quantri.x", Role.SYSTEM_ADMIN, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get("/quan-tri/").content.decode()
    assert "Chống dò mật khẩu" in page and "Lượt đăng nhập sai" in page
    assert "Access attempts" not in page and "Axes" not in page
