from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.directives import selectors, services
from cchc.directives.models import DirectiveDocument, EvidenceLink
from cchc.indicators.registry import Computed, Span, get_function

TODAY = date(2021, 12, 20)


def _doc(actor, unit, symbol, day, summary="Trích yếu"):
    return services.save_document(actor, unit, services.DocumentData(symbol, day, summary), today=TODAY)


def test_symbols_are_parsed_by_the_nd30_parser(officer, sontay):
    qd = _doc(officer, sontay, "140/QĐ-UBND", date(2021, 8, 28))
    assert (qd.number, qd.type_code, qd.body, qd.type_name) == (140, "QĐ", "UBND", "Quyết định")
    cv = _doc(officer, sontay, "123/UBND-VP", date(2021, 8, 1))
    assert (cv.type_code, cv.body, cv.type_name) == ("", "UBND-VP", "Công văn")
    kh = _doc(officer, sontay, "4/KH-UBND", date(2021, 1, 19))
    assert kh.symbol == "04/KH-UBND"
    qppl = _doc(officer, sontay, "54/2021/QĐ-UBND", date(2021, 9, 27))
    assert qppl.symbol == "54/2021/QĐ-UBND"


def test_78_cv_ubnd_is_refused_with_a_clear_message(officer, sontay):
    with pytest.raises(services.DirectiveError) as exc:
        _doc(officer, sontay, "78/CV-UBND", date(2021, 8, 25))
    assert exc.value.field == "symbol"
    assert exc.value.message == (
        "“78/CV-UBND”: công văn không ghi tên loại “CV”; ký hiệu là <cơ quan>-<đơn vị soạn thảo>, ví dụ 123/UBND-VP."
    )
    assert not DirectiveDocument.objects.exists()


@pytest.mark.parametrize(
    "symbol, day, field, message",
    [
        ("abc", date(2021, 1, 1), "symbol", "“abc” không đúng dạng số/ký hiệu (ví dụ 303/BC-UBND, 123/UBND-VP)."),
        ("54/2019/QĐ-UBND", date(2021, 1, 1), "symbol", "Năm trong số, ký hiệu (2019) khác năm ban hành (2021)."),
        ("5/KH-UBND", date(2022, 1, 1), "issued_on", "Ngày ban hành không được sau ngày hôm nay."),
    ],
)
def test_other_bad_values(officer, sontay, symbol, day, field, message):
    with pytest.raises(services.DirectiveError) as exc:
        _doc(officer, sontay, symbol, day)
    assert (exc.value.field, exc.value.message) == (field, message)


def test_same_symbol_twice_in_a_year_is_refused_but_not_next_year(officer, sontay):
    _doc(officer, sontay, "12/KH-UBND", date(2020, 1, 25))
    _doc(officer, sontay, "12/KH-UBND", date(2021, 1, 25))
    with pytest.raises(services.DirectiveError, match=r"Sổ văn bản năm 2021 đã có văn bản số 12/KH-UBND\."):
        _doc(officer, sontay, "12/KH-UBND", date(2021, 3, 1))


def test_search_counts_and_indicator(officer, sontay, demo_org):
    from cchc.directives.demo import run_demo

    run_demo(lambda line: None)
    docs = selectors.documents_for(officer, unit=sontay)
    assert docs.count() == 9
    assert [d.symbol for d in selectors.documents_for(officer, q="một cửa")] == [
        "140/QĐ-UBND",
        "78/UBND-VP",
        "37/KH-UBND",
    ]
    assert selectors.documents_for(officer, type_code="").count() == 1
    assert selectors.counts_by_type(docs)[:2] == [("KH", "Kế hoạch", 4), ("QĐ", "Quyết định", 3)]
    q3 = selectors.documents_for(officer, start=date(2021, 6, 15), end=date(2021, 9, 14))
    assert q3.count() == 6
    fn = get_function("documents.directives_issued")
    assert fn is get_function("directives.issued")
    value = fn([sontay, demo_org["001.16.21.H42"]], Span(date(2021, 6, 15), date(2021, 9, 14), "2021-Q3"))
    assert isinstance(value, Computed) and value.value == 6
    assert value.inputs == {"Quyết định": 3, "Báo cáo": 1, "Kế hoạch": 1, "Công văn": 1}


def test_evidence_link_attach_detach_and_audit(officer, sontay):
    from cchc.plans import services as plan_services

    plan = plan_services.save_plan(officer, sontay, year=2021, title="Kế hoạch")
    task = plan_services.save_task(officer, plan, plan_services.TaskData(code="1", title="Việc", area="chi_dao"))
    doc = _doc(officer, sontay, "140/QĐ-UBND", date(2021, 8, 28))
    link = services.attach_evidence(officer, doc, task, "Quyết định kiện toàn")
    again = services.attach_evidence(officer, doc, task, "")
    assert link.pk == again.pk and EvidenceLink.objects.count() == 1
    assert [lk.document for lk in selectors.evidence_for(officer, task)] == [doc]
    assert link.target == task
    assert AuditEvent.objects.filter(verb="directives.evidence_attached").count() == 1
    services.detach_evidence(officer, link)
    assert selectors.evidence_for(officer, task) == []


def test_views_and_scope(client, officer, outsider, sontay):
    doc = _doc(SystemActor("test"), sontay, "140/QĐ-UBND", date(2021, 8, 28))
    client.force_login(outsider)
    for name in ("directives:detail", "directives:edit", "directives:download"):
        assert client.get(reverse(name, args=[doc.pk])).status_code == 404
    assert client.post(reverse("directives:delete", args=[doc.pk])).status_code == 404
    assert "140/QĐ-UBND" not in client.get(reverse("directives:index")).content.decode()
    client.force_login(officer)
    assert client.get(reverse("directives:index") + "?q=140&loai=QĐ&tu=01/01/2021&den=31/12/2021").status_code == 200
    assert client.get(reverse("directives:detail", args=[doc.pk])).status_code == 200
    response = client.post(
        reverse("directives:create"), {"symbol": "78/CV-UBND", "issued_on": "25/08/2021", "summary": "Chấn chỉnh"}
    )
    assert "công văn không ghi tên loại “CV”" in response.content.decode()
    upload = SimpleUploadedFile("cv78.pdf", b"%PDF-1.4 thu", content_type="application/pdf")
    response = client.post(
        reverse("directives:create"),
        {"symbol": "78/UBND-VP", "issued_on": "25/08/2021", "summary": "Chấn chỉnh", "file": upload},
    )
    created = DirectiveDocument.objects.get(symbol="78/UBND-VP")
    assert response.status_code == 302
    download = client.get(reverse("directives:download", args=[created.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 thu"


def test_picker_on_the_task_page_and_foreign_target(client, officer, outsider, sontay, demo_org):
    from cchc.plans import services as plan_services

    plan = plan_services.save_plan(SystemActor("test"), sontay, year=2021, title="Kế hoạch")
    task = plan_services.save_task(
        SystemActor("test"), plan, plan_services.TaskData(code="1", title="Việc", area="chi_dao")
    )
    doc = _doc(SystemActor("test"), sontay, "140/QĐ-UBND", date(2021, 8, 28))
    client.force_login(officer)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "Văn bản minh chứng" in page and "140/QĐ-UBND" in page
    ct = ContentType.objects.get_for_model(task).pk
    next_url = reverse("plans:task", args=[task.pk])
    response = client.post(
        reverse("directives:attach"),
        {"document": doc.pk, "content_type": ct, "object_id": task.pk, "note": "QĐ", "next": next_url},
    )
    assert response.status_code == 302 and response["Location"] == next_url
    assert EvidenceLink.objects.count() == 1
    # Another commune can neither attach to this task nor detach its link.
    client.force_login(outsider)
    other_plan = plan_services.save_plan(SystemActor("test"), demo_org["000.00.62.H42"], year=2021, title="KH")
    other_task = plan_services.save_task(
        SystemActor("test"), other_plan, plan_services.TaskData(code="1", title="V", area="chi_dao")
    )
    assert (
        client.post(
            reverse("directives:attach"), {"document": doc.pk, "content_type": ct, "object_id": other_task.pk}
        ).status_code
        == 404
    )
    outsider_doc = _doc(SystemActor("test"), demo_org["000.00.62.H42"], "1/QĐ-UBND", date(2021, 8, 1))
    assert (
        client.post(
            reverse("directives:attach"), {"document": outsider_doc.pk, "content_type": ct, "object_id": task.pk}
        ).status_code
        == 404
    )
    link = EvidenceLink.objects.get()
    assert client.post(reverse("directives:detach", args=[link.pk])).status_code == 404
    assert EvidenceLink.objects.count() == 1
