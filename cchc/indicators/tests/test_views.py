import pytest
from django.urls import reverse

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.indicators.models import IndicatorValue
from cchc.indicators.services import enter_value

SON_TAY = "000.16.21.H42"
SON_NINH = "000.12.21.H42"


@pytest.fixture
def officer(demo_org, make_user, client, catalogue):
    user = make_user("canbo", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    client.force_login(user)
    return user


def test_index_shows_the_table_with_entry_forms(officer, client, demo_org):
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "legal.issued", 1234)
    response = client.get(reverse("indicators:index"), {"ky": "2021-NAM"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xã Sơn Tây — Năm 2021 (từ 15/12/2020 đến 14/12/2021; hạn báo cáo 20/12/2021)" in html
    assert "<th>STT</th><th>Chỉ tiêu</th><th>Đơn vị tính</th><th>Số liệu</th><th>Nguồn</th>" in html
    assert "Cải cách thủ tục hành chính" in html and 'name="so-lieu" value="1234"' in html
    assert "chưa có nguồn số liệu" in html
    assert "Số liệu chỉ tiêu" in html  # the nav entry


def test_htmx_entry_returns_the_row_with_rule_warnings(officer, client, demo_org):
    url = reverse("indicators:enter")
    client.post(
        url, {"don-vi": SON_TAY, "ky": "2021-NAM", "chi-tieu": "legal.issued", "so-lieu": "3"}, HTTP_HX_REQUEST="true"
    )
    response = client.post(
        url,
        {
            "don-vi": SON_TAY,
            "ky": "2021-NAM",
            "chi-tieu": "legal.issued_on_schedule",
            "so-lieu": "5",
            "ghi-chu": "sổ theo dõi",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.strip().startswith("<tr id=")
    assert 'class="warning"' in html and "Số VBQPPL ban hành đúng tiến độ lớn hơn số VBQPPL đã ban hành" in html
    assert IndicatorValue.objects.get(indicator__code="legal.issued_on_schedule").note == "sổ theo dõi"
    bad = client.post(
        url,
        {"don-vi": SON_TAY, "ky": "2021-NAM", "chi-tieu": "legal.issued_on_schedule", "so-lieu": "abc"},
        HTTP_HX_REQUEST="true",
    )
    assert 'class="error"' in bad.content.decode() and "không phải là một số" in bad.content.decode()


def test_another_commune_is_404(officer, client):
    assert client.get(reverse("indicators:index"), {"don-vi": SON_NINH}).status_code == 404
    response = client.post(
        reverse("indicators:enter"), {"don-vi": SON_NINH, "ky": "2021-NAM", "chi-tieu": "legal.issued", "so-lieu": "3"}
    )
    assert response.status_code == 404
    assert not IndicatorValue.objects.exists()


def test_analysis_page_for_a_reviewer(demo_org, make_user, client, catalogue):
    from cchc.indicators.demo import enter_demo_values

    enter_demo_values(lambda line: None)
    reviewer = make_user("sonoivu", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"])
    client.force_login(reviewer)
    # a province is analysed only by the background job the form starts (test_analysis_jobs), never in a GET
    response = client.get(
        reverse("indicators:analysis"), {"don-vi": "000.00.00.H42", "tu-ky": "2021-Q1", "den-ky": "2024-NAM"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "chạy phân tích nền từ kỳ 2021-Q1 đến kỳ 2024-NAM" in html
    assert "Tìm thấy" not in html and 'action="/chi-tieu/kiem-tra/chay/"' in html
    # a commune answers at once
    response = client.get(
        reverse("indicators:analysis"), {"don-vi": "000.16.21.H42", "tu-ky": "2021-Q1", "den-ky": "2024-NAM"}
    )
    html = response.content.decode()
    assert "Tìm thấy 1 sai lệch" in html and "Xã Sơn Tây" in html and "3 = 2" in html
    assert "<td>Cao</td>" in html  # the seeded inconsistency breaks a high-importance rule
