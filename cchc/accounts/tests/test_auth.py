"""Login, throttling, forced password change and the reviewers' unit switcher."""

import pytest
from django.contrib.auth.hashers import identify_hasher

from cchc.accounts.middleware import SESSION_KEY
from cchc.accounts.models import Role
from conftest import TEST_PASSWORD

SON_TAY, SON_LAM = "000.16.21.H42", "000.13.21.H42"


@pytest.fixture
def officer(demo_org, make_user):
    return make_user("cb", Role.COMMUNE_OFFICER, demo_org[SON_TAY], full_name="Lê Thị Lan")


def test_pages_need_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_login_page_is_vietnamese_and_wrong_password_says_so(client, officer):
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert 'lang="vi"' in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    wrong = client.post("/tai-khoan/dang-nhap/", {"username": "cb", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.content.decode()


def test_login_then_home_says_what_needs_doing(client, officer):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "cb", "password": TEST_PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Việc cần làm" in page and "Xã Sơn Tây" in page and "Lê Thị Lan" in page


def test_passwords_are_hashed_with_djangos_default_hasher(demo_org, make_user, settings):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the tests use a fast hasher elsewhere
    user = make_user("h", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    assert TEST_PASSWORD not in user.password and user.check_password(TEST_PASSWORD)


def test_five_failures_lock_the_account_even_for_the_right_password(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/tai-khoan/dang-nhap/", {"username": "cb", "password": "sai-mat-khau"})
    locked = client.post("/tai-khoan/dang-nhap/", {"username": "cb", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_set_by_someone_else_must_be_changed_first(client, demo_org, make_user):
    make_user("moi", Role.COMMUNE_OFFICER, demo_org[SON_TAY], must_change_password=True)
    client.post("/tai-khoan/dang-nhap/", {"username": "moi", "password": TEST_PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/doi-mat-khau/"
    new_password = "Mot-mat-khau-moi-2026"
    client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert client.get("/").status_code == 200


def test_reviewer_switches_unit_within_scope_only(client, demo_org, make_user):
    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]))
    home = client.get("/").content.decode()
    assert 'id="unit-switch"' in home and "Huyện Hương Sơn (đến 30/06/2025)" in home
    son_lam = demo_org[SON_LAM]
    response = client.post("/tai-khoan/chon-don-vi/", {"unit_id": son_lam.pk, "next": "/"})
    assert response.status_code == 302 and client.session[SESSION_KEY] == son_lam.pk
    assert "Xã Sơn Lâm" in client.get("/").content.decode().split("<main", 1)[1]


def test_switching_to_a_unit_outside_scope_is_404(client, demo_org, make_user):
    client.force_login(make_user("pnv", Role.DISTRICT_REVIEWER, demo_org["000.01.21.H42"]))
    outside = demo_org["000.00.62.H42"]
    assert client.post("/tai-khoan/chon-don-vi/", {"unit_id": outside.pk}).status_code == 404
    assert SESSION_KEY not in client.session


def test_switch_ignores_an_offsite_next(client, demo_org, make_user):
    client.force_login(make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]))
    response = client.post("/tai-khoan/chon-don-vi/", {"unit_id": demo_org[SON_TAY].pk, "next": "https://evil.example"})
    assert response["Location"] == "/"


def test_officers_have_no_unit_switcher(client, officer):
    client.force_login(officer)
    assert 'id="unit-switch"' not in client.get("/").content.decode()


def test_reviewer_home_lists_communes_without_an_officer(client, demo_org, make_user):
    reviewer = make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"])
    make_user("cb", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    assert "Đơn vị cấp xã chưa có công chức phụ trách CCHC" in page
    assert '<span class="badge">7</span>' in page  # 8 communes today, Sơn Tây has its officer
