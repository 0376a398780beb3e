from datetime import date

import pytest
from django.urls import reverse

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.indicators.registry import Span, get_function
from cchc.inspections import selectors, services
from cchc.inspections.models import Finding, TargetKind

TODAY = date(2021, 12, 20)
YEAR = Span(date(2020, 12, 15), date(2021, 12, 14), "2021-NAM")


@pytest.fixture
def inspection(sontay, demo_org):
    obj = services.save_inspection(
        SystemActor("test"),
        sontay,
        title="Kiểm tra CCHC",
        start_on=date(2021, 9, 27),
        end_on=date(2021, 9, 30),
        today=TODAY,
    )
    return obj


def test_targets_findings_and_figures(inspection, officer, sontay, demo_org):
    section = services.add_target(officer, inspection, org_unit=demo_org["001.16.21.H42"], today=TODAY)
    assert (section.name, section.kind, section.inspected_on) == (
        "Bộ phận Một cửa xã Sơn Tây",
        TargetKind.DEPARTMENT,
        date(2021, 9, 27),
    )
    commune = services.add_target(officer, inspection, org_unit=demo_org["000.17.21.H42"], today=TODAY)
    assert commune.kind == TargetKind.COMMUNE
    a = services.save_finding(officer, inspection, description="Hồ sơ trễ hạn", target=section, today=TODAY)
    assert a.found_on == date(2021, 9, 27)
    services.save_finding(
        officer,
        inspection,
        description="Niêm yết thiếu",
        found_on=date(2021, 9, 30),
        fixed_on=date(2021, 10, 10),
        today=TODAY,
    )
    services.save_finding(
        officer,
        inspection,
        description="Sổ theo dõi thiếu",
        found_on=date(2021, 9, 30),
        fixed_on=date(2021, 12, 16),
        today=TODAY,
    )
    f = selectors.figures([sontay.pk], YEAR.start, YEAR.end)
    # Fixed on 16/12 is after the 2021 cut-off (14/12): it counts as found, not yet fixed.
    assert (f.departments, f.subordinate_units, f.communes, f.found, f.fixed) == (1, 0, 1, 3, 1)
    services.record_fix(officer, a, date(2021, 11, 1), "Đã xử lý", today=TODAY)
    assert get_function("inspections.issues_resolved")([sontay], YEAR) == 2
    assert get_function("inspections.issues_found")([sontay], YEAR) == 3
    assert get_function("inspections.communes")([sontay], YEAR) == 1
    assert get_function("inspections.departments")([sontay], YEAR) == 1
    assert get_function("inspections.subordinate_units")([sontay], YEAR) == 0
    assert get_function("inspections.issues_found")([sontay], Span(date(2021, 12, 15), date(2022, 12, 14))) == 0
    assert AuditEvent.objects.filter(verb__startswith="inspections.finding").count() == 4


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"description": ""}, "description", "Cần mô tả vấn đề phát hiện."),
        (
            {"description": "x", "fixed_on": date(2021, 9, 1)},
            "fixed_on",
            "Ngày khắc phục không được trước ngày phát hiện.",
        ),
        ({"description": "x", "fixed_on": date(2022, 1, 1)}, "fixed_on", "Ngày khắc phục không được sau ngày hôm nay."),
    ],
)
def test_finding_rules(inspection, officer, kwargs, field, message):
    with pytest.raises(services.InspectionError) as exc:
        services.save_finding(officer, inspection, today=TODAY, **kwargs)
    assert (exc.value.field, exc.value.message) == (field, message)
    assert not Finding.objects.exists()


def test_inspection_rules(sontay, officer):
    with pytest.raises(services.InspectionError, match=r"Ngày kết thúc không được trước ngày bắt đầu\."):
        services.save_inspection(officer, sontay, title="x", start_on=date(2021, 9, 2), end_on=date(2021, 9, 1))


def test_demo_matches_the_indicator_demo_and_is_idempotent(sontay, demo_org):
    from cchc.inspections.demo import run_demo

    run_demo(lambda line: None)
    run_demo(lambda line: None)
    f = selectors.figures([sontay.pk, demo_org["001.16.21.H42"].pk], YEAR.start, YEAR.end)
    assert (f.subordinate_units, f.found, f.fixed) == (1, 5, 5)


def test_views_and_scope(client, officer, outsider, inspection):
    finding = services.save_finding(SystemActor("test"), inspection, description="Hồ sơ trễ hạn", today=TODAY)
    client.force_login(outsider)
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("inspections:finding", args=[finding.pk])).status_code == 404
    assert client.post(reverse("inspections:fix", args=[finding.pk]), {"fixed_on": "01/10/2021"}).status_code == 404
    assert f'href="/kiem-tra/{inspection.pk}/"' not in client.get(reverse("inspections:index")).content.decode()
    client.force_login(officer)
    for url in [
        reverse("inspections:index"),
        reverse("inspections:detail", args=[inspection.pk]),
        reverse("inspections:create"),
        reverse("inspections:edit", args=[inspection.pk]),
        reverse("inspections:add_finding", args=[inspection.pk]),
        reverse("inspections:finding", args=[finding.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("inspections:fix", args=[finding.pk]), {"fixed_on": "01/10/2021", "fix_note": "Xong"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.fixed_on == date(2021, 10, 1)
    page = client.get(reverse("inspections:index")).content.decode()
    assert f'href="/kiem-tra/{inspection.pk}/"' in page
    assert "Vấn đề phát hiện: <strong>1</strong>; đã khắc phục xong: <strong>1</strong>" in page
