"""Results per unit and period: arithmetic, the tree of the period, scope, the indicators, question sets."""

import uuid
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.indicators.registry import Span, get_function
from cchc.surveys import demo, selectors, services
from cchc.surveys.models import Channel, QuestionSetChoice, Rating

SON_TAY = "000.16.21.H42"
HUONG_SON = "000.00.21.H42"


@pytest.fixture
def demo_ratings(demo_org):
    demo.run(lambda line: None)
    return demo_org


def test_reference_report_figures_219_of_226(demo_ratings):
    result = selectors.survey_results(demo_ratings[SON_TAY], date(2020, 12, 15), date(2021, 12, 14))
    assert (result.ballots, result.satisfied) == (226, 219)
    assert str(result.rate) == "96.90"
    overall = result.questions[0]
    assert overall.code == "tong_the" and overall.answered == 226 and overall.satisfied == 219
    assert sum(n for _, n, _, _ in overall.options) == 226
    assert [q.code for q in result.questions] == ["tong_the", "tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y"]


def test_demo_is_idempotent_and_respects_the_period_boundary(demo_ratings):
    before = list(Rating.objects.order_by("dossier_code").values_list("dossier_code", "overall", "rated_on"))
    demo.run(lambda line: None)
    after = list(Rating.objects.order_by("dossier_code").values_list("dossier_code", "overall", "rated_on"))
    assert before == after and len(after) == 226 + demo.AFTER_PERIOD
    next_year = selectors.survey_results(demo_ratings[SON_TAY], date(2021, 12, 15), date(2022, 12, 14))
    assert next_year.ballots == demo.AFTER_PERIOD


def test_district_counts_its_communes_as_the_tree_stood(demo_ratings):
    """Xã Sơn Tây hung under Huyện Hương Sơn until 30/6/2025 and under the province after."""
    district = demo_ratings[HUONG_SON]
    assert selectors.survey_results(district, date(2020, 12, 15), date(2021, 12, 14)).ballots == 226
    unit = demo_ratings[SON_TAY]
    Rating.objects.create(
        dossier_code=f"{SON_TAY}-250801-0001",
        unit=unit,
        client_id=uuid.uuid4(),
        channel=Channel.KIOSK,
        question_set="sipas-2021",
        overall="hai_long",
        satisfied=True,
        rated_at=timezone.make_aware(datetime.combine(date(2025, 8, 2), time(9))),
        rated_on=date(2025, 8, 2),
    )
    span = (date(2024, 12, 15), date(2025, 12, 14))
    assert selectors.survey_results(unit, *span).ballots == 1
    assert selectors.survey_results(district, *span).ballots == 0  # after the district was abolished
    assert selectors.survey_results(demo_ratings["000.00.00.H42"], *span).ballots == 1


def test_computed_indicators_are_registered_with_the_catalogue_codes(demo_ratings):
    units = [demo_ratings[SON_TAY], demo_ratings["001.16.21.H42"]]
    span = Span(date(2020, 12, 15), date(2021, 12, 14), "2021-NAM")
    assert get_function("surveys.ballots")(units, span).value == 226
    assert get_function("surveys.satisfied")(units, span).value == 219


def test_results_page_shows_the_figures_in_vietnamese_format(client, demo_ratings, make_user):
    user = make_user("canbo", Role.COMMUNE_OFFICER, demo_ratings[SON_TAY])
    client.force_login(user)
    page = client.get(reverse("surveys:results"), {"ky": "2021-NAM"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="s-ballots">226<' in html and 'id="s-satisfied">219<' in html and 'id="s-rate">96,90%<' in html
    assert "15/12/2020" in html and "14/12/2021" in html
    assert 'class="s-bar"' in html  # the chart
    by_dates = client.get(reverse("surveys:results"), {"tu": "01/01/2021", "den": "31/12/2021"}).content.decode()
    assert "01/01/2021" in by_dates
    bad = client.get(reverse("surveys:results"), {"ky": "2021-XYZ"}).content.decode()
    assert "không hợp lệ" in bad


def test_commune_officer_gets_404_for_another_commune(client, demo_ratings, make_user):
    user = make_user("canbo", Role.COMMUNE_OFFICER, demo_ratings["000.18.21.H42"])
    client.force_login(user)
    assert client.get(reverse("surveys:results"), {"don_vi": SON_TAY, "ky": "2021-NAM"}).status_code == 404
    assert client.get(reverse("surveys:results"), {"don_vi": "000.18.21.H42"}).status_code == 200


def test_province_reviewer_sees_the_commune(client, demo_ratings, make_user):
    user = make_user("snv", Role.PROVINCE_REVIEWER, demo_ratings["000.00.01.H42"])
    client.force_login(user)
    html = client.get(reverse("surveys:results"), {"don_vi": SON_TAY, "ky": "2021-NAM"}).content.decode()
    assert 'id="s-rate">96,90%<' in html


def test_anonymous_is_sent_to_login(client, demo_org):
    assert client.get(reverse("surveys:results")).status_code == 302


def test_question_set_per_unit_and_date(client, demo_org, make_user, rating_payload):
    unit = demo_org[SON_TAY]
    assert selectors.question_set_for(unit, date(2026, 1, 1)).code == "sipas-2021"  # the default
    officer = make_user("canbo", Role.COMMUNE_OFFICER, unit)
    client.force_login(officer)
    response = client.post(reverse("surveys:question_sets"), {"set_code": "chung-3-muc", "valid_from": "01/03/2026"})
    assert response.status_code == 302
    choice = QuestionSetChoice.objects.get()
    assert (choice.unit, choice.set_code, choice.chosen_by) == (unit, "chung-3-muc", officer)
    assert choice.valid_from == date(2026, 3, 1)
    assert selectors.question_set_for(unit, date(2026, 2, 28)).code == "sipas-2021"
    assert selectors.question_set_for(unit, date(2026, 3, 1)).code == "chung-3-muc"
    bad = client.post(reverse("surveys:question_sets"), {"set_code": "khong-co", "valid_from": "01/03/2026"})
    assert "không có trong tệp" in bad.content.decode()
    bad_date = client.post(reverse("surveys:question_sets"), {"set_code": "chung-3-muc", "valid_from": "32/13/2026"})
    assert "Dùng từ ngày" in bad_date.content.decode()
    assert QuestionSetChoice.objects.count() == 1


def test_leader_may_see_but_not_choose_question_sets(client, demo_org, make_user):
    user = make_user("lanhdao", Role.LEADER, demo_org[SON_TAY])
    client.force_login(user)
    assert client.get(reverse("surveys:question_sets")).status_code == 200
    response = client.post(reverse("surveys:question_sets"), {"set_code": "chung-3-muc", "valid_from": "01/03/2026"})
    assert response.status_code == 403 and not QuestionSetChoice.objects.exists()


def test_kiosk_page_uses_the_units_question_set(client, demo_org, catalogue):
    services.choose_question_set(SystemActor("test"), demo_org[SON_TAY], "chung-3-muc", date(2020, 1, 1))
    html = client.get(reverse("kiosk:page", args=[SON_TAY])).content.decode()
    assert '"code": "chung-3-muc"' in html and "Bộ phận Một cửa" not in html
    # The desk's dossiers carry the commune's code: the citizen is not asked to choose between two codes.
    assert '"prefixes": ["000.16.21.H42"]' in html
    # Only once dossiers were really coded with the desk's own code is it offered as well.
    from cchc.dossiers.services import Applicant, receive

    receive(
        SystemActor("test"),
        unit=demo_org["001.16.21.H42"],
        procedure=catalogue["1.004873"],
        applicant=Applicant("Lê Văn Tư"),
    )
    html = client.get(reverse("kiosk:page", args=[SON_TAY])).content.decode()
    assert '"prefixes": ["000.16.21.H42", "001.16.21.H42"]' in html


def test_nav_entry_is_registered():
    from cchc.core.registry import nav_entries

    class Officer:
        is_authenticated = True
        is_active = True
        is_staff = False
        is_superuser = False
        role = "commune_officer"
        unit_id = None

    entry = next(e for e in nav_entries(Officer()) if e.url_name == "surveys:results")
    assert (entry.label, entry.order) == ("Khảo sát hài lòng", 30)
