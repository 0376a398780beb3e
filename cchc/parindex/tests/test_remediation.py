"""Remediation documents a Phòng Nội vụ signs: reasons that agree with the scores, measures per kind of
criterion, a lead and a deadline on every row, the right addressee for the date, the report's sections with
today's figures, tasks tracked in the plans app (not counted in the yearly plan), status flowing back, and
every demo plan and report passing the report checker."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from cchc.accounts.actors import SystemActor
from cchc.checker.services import check_document
from cchc.parindex import demo, documents, remediation, selectors, services
from cchc.parindex.models import Assessment, Framework, RemediationTask, Score, TaskStatus
from cchc.plans.models import Plan, PlanKind, PlanTask

SON_TAY, SON_LAM = "000.16.21.H42", "000.13.21.H42"


def _score(a, code) -> Score:
    return Score.objects.select_related("criterion", "assessment__unit", "assessment__framework").get(
        assessment=a, criterion__code=code
    )


def _line(a, code) -> selectors.Line:
    sheet = selectors.build_sheet(Assessment.objects.get(pk=a.pk))
    return next(ln for ln in sheet.lines if ln.code == code)


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def _finalised(demo_set, unit, position=1) -> Assessment:
    return demo.score_commune(demo_set, unit, position)


def test_reason_states_the_figure_against_the_rule_and_agrees_with_the_points(demo_set, demo_org):
    a = services.start_assessment(SystemActor("test"), demo_set, demo_org[SON_LAM])
    score = _score(a, "1.3.2")  # thresholds 100 → 1,5; 80 → 0,75 (declared figure)
    services.save_score(SystemActor("test"), score, score.version, declared_value="93,65")
    line = _line(a, "1.3.2")
    assert line.obtained == D("0.75")
    assert remediation.reason(line) == (
        "Tỷ lệ vấn đề phát hiện qua kiểm tra được xử lý 93,65%, dưới mức 100% nên được 0,75/1,5 điểm"
    )
    # A typed self-score that contradicts the figure is refused at submission unless explained.
    score = _score(a, "1.3.2")
    services.save_score(SystemActor("test"), score, score.version, self_score="1,5")
    problems = services.submission_problems(Assessment.objects.get(pk=a.pk))
    assert any(
        p.startswith("Tiêu chí 1.3.2: điểm tự chấm 1,5 khác điểm tính từ số liệu 93,65% (0,75 điểm)") for p in problems
    ), problems
    # If it is kept (explained), the reason says both instead of printing a figure that contradicts it.
    score = _score(a, "1.3.2")
    services.save_score(
        SystemActor("test"), score, score.version, explanation="Số liệu kê khai nhầm, đã có văn bản đính chính"
    )
    text = remediation.reason(_line(a, "1.3.2"))
    assert text.startswith("Theo số liệu 93,65% thì được 0,75 điểm; điểm thẩm định 1,5/1,5 điểm")


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("1.1.1", "0", "Chưa thực hiện “ban hành kế hoạch CCHC năm kịp thời” nên được 0/1 điểm"),
        (
            "1.2",
            "2",
            "Báo cáo CCHC định kỳ: có 2 báo cáo chậm/thiếu không đạt yêu cầu, mỗi báo cáo chậm/thiếu "
            "trừ 0,25 điểm nên được 0,5/1 điểm",
        ),
        (
            "1.1.2",
            "85",
            "Mức độ hoàn thành kế hoạch CCHC 85,00% so với mức đủ điểm 100%, tính theo tỷ lệ được 0,85/1 điểm",
        ),
    ],
)
def test_reason_for_each_rule_shape(demo_set, demo_org, code, value, expected):
    a = services.start_assessment(SystemActor("test"), demo_set, demo_org[SON_LAM])
    score = _score(a, code)
    services.save_score(SystemActor("test"), score, score.version, declared_value=value)
    assert remediation.reason(_line(a, code)) == expected


def test_imported_reason_is_kept_as_written(demo_set, demo_org, tmp_path):
    rows = ["don_vi,ma_tieu_chi,diem_tu_cham,diem_tham_dinh,ghi_chu"]
    for c in demo_set.criteria.filter(is_leaf=True):
        code = c.code
        if c.outside_total:
            rows.append(f"{SON_TAY},{code},0,0,")
        elif code == "2.2.1":
            rows.append(f'{SON_TAY},{code},{c.max_points},"0,75",Chưa triển khai văn bản QPPL mới đến thôn')
        else:
            rows.append(f"{SON_TAY},{code},{c.max_points},{c.max_points},")
    path = tmp_path / "diem.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    services.import_scores(path, demo_set, "test")
    a = Assessment.objects.get(framework=demo_set, unit__code=SON_TAY)
    groups, _ = selectors.lost_points(selectors.build_sheet(a))
    lost = {ln.code: ln for g in groups for ln in g.lines}
    assert lost["2.2.1"].reason == "Chưa triển khai văn bản QPPL mới đến thôn nên được 0,75/1,25 điểm"
    assert all("Chưa có tài liệu kiểm chứng" not in ln.reason for ln in lost.values())


def test_plan_cites_the_decision_addresses_the_level_of_its_date_and_fills_every_row(demo_set, demo_org):
    a = _finalised(demo_set, demo_org[SON_TAY])
    plan = services.ensure_plan(SystemActor("test"), a)
    services.update_plan(SystemActor("test"), plan, issued_on=date(2024, 3, 5), number="07/KH-UBND")
    text = "\n".join(_paragraphs(documents.plan_docx(a)))
    assert (
        "Theo kết quả công bố Chỉ số cải cách hành chính (CCHC) năm 2023 tại Quyết định số 125/QĐ-UBND "
        "ngày 20/02/2024 của Ủy ban nhân dân tỉnh Hà Tĩnh"
    ) in text
    assert "trong huyện Hương Sơn" in text and "Khắc phục để đạt tối đa điểm" not in text
    doc = Document(io.BytesIO(documents.plan_docx(a)))
    recipients = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Phòng Nội vụ huyện Hương Sơn" in recipients  # before 1/7/2025: the district's office
    appendix = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in appendix.rows[1:]]
    criteria_rows = [r for r in rows if r[1]]
    assert criteria_rows and all(r[6].strip() and r[7].strip() for r in criteria_rows)  # lead and deadline
    measures = {t.measure for t in plan.tasks.all()}
    assert len(measures) >= 4  # per kind of criterion, not one sentence for all
    # The same plan dated after the reform goes to the province's Sở Nội vụ.
    services.update_plan(SystemActor("test"), plan, issued_on=date(2025, 8, 1))
    doc = Document(io.BytesIO(documents.plan_docx(a)))
    recipients = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Sở Nội vụ tỉnh Hà Tĩnh" in recipients and "Phòng Nội vụ" not in recipients


def test_report_opens_with_direction_and_reports_each_criterion_with_todays_figure(demo_set, demo_org):
    a = _finalised(demo_set, demo_org[SON_TAY])
    plan = services.ensure_plan(SystemActor("test"), a)
    services.update_plan(
        SystemActor("test"), plan, issued_on=date(2024, 3, 5), number="07/KH-UBND", report_on=date(2024, 11, 25)
    )
    task = plan.tasks.select_related("criterion", "plan__assessment__unit").first()
    services.update_task(
        SystemActor("test"),
        task,
        task.version,
        status="done",
        action_taken="Đã ban hành kế hoạch bổ sung",
        result_evidence="Kế hoạch số 20/KH-UBND ngày 10/4/2024",
        completed_on="10/04/2024",
    )
    paragraphs = _paragraphs(documents.report_docx(a))
    headings = [p for p in paragraphs if p[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings[0] == "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"
    assert paragraphs[paragraphs.index("BÁO CÁO") + 3].startswith("Thực hiện Kế hoạch số 07/KH-UBND ngày 05/03/2024")
    text = "\n".join(paragraphs)
    assert "Kính gửi: Phòng Nội vụ huyện Hương Sơn" in text
    assert (
        f"- Tiêu chí {task.criterion.code} “{task.criterion.name}”" in text
        and "Đã ban hành kế hoạch bổ sung; tài liệu kiểm chứng: Kế hoạch số 20/KH-UBND ngày 10/4/2024" in text
    )
    assert "Tiếp tục khắc phục tiêu chí" not in text and "chưa thực hiện 26" not in text
    # Criteria scored from an indicator say what this year's figure gives, or that it is not there yet.
    live = [
        p
        for p in paragraphs
        if p.startswith("- Tiêu chí") and ("Theo số liệu năm 2024 đến nay" in p or "Chưa có số liệu năm 2024" in p)
    ]
    lost_with_indicator = [ln for g in documents.facts_for(a).groups for ln in g.lines if ln.criterion.indicator]
    assert len(live) == len({ln.code for ln in lost_with_indicator})


def test_remediation_rows_are_plan_tasks_not_counted_and_status_flows_back(demo_set, demo_org):
    from cchc.indicators.registry import Span
    from cchc.plans import indicators as plan_indicators
    from cchc.plans import services as plan_services

    a = _finalised(demo_set, demo_org[SON_TAY])
    plan = services.ensure_plan(SystemActor("test"), a)
    rows = list(plan.tasks.select_related("criterion"))
    mirror = Plan.objects.get(source_ref=f"parindex:{plan.pk}")
    assert mirror.kind == PlanKind.PAR_REMEDIATION and mirror.year == 2024
    leaves = PlanTask.objects.filter(plan=mirror, children__isnull=True)
    assert leaves.count() == len(rows) and all(r.plans_task_ref for r in RemediationTask.objects.filter(plan=plan))
    assert all(t.deadline and t.responsible for t in leaves)
    unit = demo_org[SON_TAY]
    span = Span(date(2024, 1, 1), date(2024, 12, 31))
    assert plan_indicators.tasks_planned([unit], span).value == 0  # remediation rows never counted
    # Done in the plans app → done in the remediation report, with its evidence.
    first = RemediationTask.objects.select_related("criterion").get(pk=rows[0].pk)
    ptask = PlanTask.objects.get(pk=int(first.plans_task_ref))
    plan_services.set_status(
        SystemActor("test"),
        ptask,
        "hoan_thanh",
        date(2024, 5, 2),
        evidence="Biên bản kiểm tra 02/5/2024",
        today=date(2024, 5, 3),
    )
    first.refresh_from_db()
    assert (first.status, first.completed_on, first.result_evidence) == (
        TaskStatus.DONE,
        date(2024, 5, 2),
        "Biên bản kiểm tra 02/5/2024",
    )
    report = "\n".join(_paragraphs(documents.report_docx(a, day=date(2024, 11, 25))))
    assert "tài liệu kiểm chứng: Biên bản kiểm tra 02/5/2024" in report


def test_every_demo_plan_and_report_passes_the_checker(demo_set):
    demo.run(lambda line: None)
    fw = Framework.objects.get(code=demo_set.code)
    checked = 0
    for a in fw.assessments.select_related("unit", "framework"):
        for kind, render in (("kế hoạch", documents.plan_docx), ("báo cáo", documents.report_docx)):
            result = check_document(render(a), name=f"{kind} {a.unit.code}.docx")
            errors = [f for f in result.findings if f.severity == "error"]
            assert not errors, (a.unit.code, kind, [f.message for f in errors])
            checked += 1
    assert checked == 40


def test_a_reviewer_cannot_edit_remediation(demo_set, demo_org, make_user):
    from cchc.accounts.models import Role

    a = _finalised(demo_set, demo_org[SON_TAY])
    reviewer = make_user("tinh", Role.PROVINCE_REVIEWER, demo_org[demo.DEMO_PROVINCE])
    with pytest.raises((ValidationError, Exception)):
        services.ensure_plan(reviewer, a)


def test_announcing_decision_is_entered_once_per_set_and_checked(demo_set):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "parindex",
        "announce",
        "--framework",
        demo_set.code,
        "--number",
        "88/QĐ-UBND",
        "--date",
        "15/03/2024",
        "--issuer",
        "Ủy ban nhân dân huyện Hương Sơn",
        stdout=out,
    )
    demo_set.refresh_from_db()
    assert (demo_set.announced_number, demo_set.announced_on, demo_set.announced_by) == (
        "88/QĐ-UBND",
        date(2024, 3, 15),
        "Ủy ban nhân dân huyện Hương Sơn",
    )
    with pytest.raises(CommandError, match="không phải số, ký hiệu của một quyết định"):
        call_command(
            "parindex",
            "announce",
            "--framework",
            demo_set.code,
            "--number",
            "88/KH-UBND",
            "--date",
            "15/03/2024",
            "--issuer",
            "UBND",
            stdout=out,
        )
    with pytest.raises(CommandError, match="trước năm đó"):
        call_command(
            "parindex",
            "announce",
            "--framework",
            demo_set.code,
            "--number",
            "88/QĐ-UBND",
            "--date",
            "15/03/2022",
            "--issuer",
            "UBND",
            stdout=out,
        )


def test_reviewer_enters_the_announcing_decision_on_the_results_page(demo_set, demo_org, make_user, client):
    from django.urls import reverse

    from cchc.accounts.models import Role

    client.force_login(make_user("xa", Role.COMMUNE_OFFICER, demo_org[SON_TAY]))
    url = reverse("parindex:announce", args=[demo_set.code])
    assert client.post(url, {"number": "9/QĐ-UBND", "date": "01/03/2024", "issuer": "UBND"}).status_code == 403
    client.force_login(make_user("tinh", Role.PROVINCE_REVIEWER, demo_org[demo.DEMO_PROVINCE]))
    page = client.get(reverse("parindex:results", args=[demo_set.code])).content.decode()
    assert "Quyết định công bố kết quả" in page
    client.post(url, {"number": "9/QĐ-UBND", "date": "01/03/2024", "issuer": "Ủy ban nhân dân tỉnh Hà Tĩnh"})
    demo_set.refresh_from_db()
    assert (demo_set.announced_number, demo_set.announced_on) == ("9/QĐ-UBND", date(2024, 3, 1))
    response = client.post(url, {"number": "9/QĐ-UBND", "date": "31/02/2024", "issuer": "X"}, follow=True)
    assert "Ngày ban hành" in response.content.decode()


def test_the_plan_goes_to_the_leader_like_a_report(demo_set, demo_org, make_user, client):
    """Trình ký → the leader's list → returned with a comment → sent again → approved: the plan then carries
    its signer and date, and its PDF is what the leader signs (cchc.documents.approvals)."""
    from django.urls import reverse

    from cchc.accounts.models import Role
    from cchc.documents import approvals

    a = _finalised(demo_set, demo_org[SON_TAY])
    officer = make_user("canbo.kp", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    leader = make_user("lanhdao.kp", Role.LEADER, demo_org[SON_TAY])
    client.force_login(officer)
    url = reverse("parindex:remediation", args=[a.pk])
    assert client.post(url, {"action": "create"}).status_code == 302
    assert "Kế hoạch chưa trình lãnh đạo ký duyệt" in client.get(url).content.decode()
    client.post(url, {"action": "approval", "note": "Kính trình"})
    plan = a.remediation_plan
    first = approvals.current(plan)
    assert first.state == "pending" and first.title.startswith("Kế hoạch khắc phục Chỉ số CCHC")
    assert list(approvals.pending_for(leader)) == [first]
    with pytest.raises(ValidationError):
        services.request_plan_approval(officer, plan)  # already waiting
    approvals.decide(leader, first, "return", "Bổ sung thời hạn mục 3.4.1")
    assert "Bổ sung thời hạn mục 3.4.1" in client.get(url).content.decode()
    client.post(url, {"action": "approval"})
    second = approvals.current(plan)
    assert second.round == 2
    approvals.decide(leader, second, "approve")
    plan.refresh_from_db()
    assert plan.signer and plan.issued_on is not None
    assert approvals.kind_of(second).pdf(plan)[:5] == b"%PDF-"
    reviewer = make_user("tinh.kp", Role.PROVINCE_REVIEWER, demo_org["000.00.00.H42"])
    with pytest.raises(Exception):  # noqa: B017 — a reviewer above never asks the commune's leader
        services.request_plan_approval(reviewer, plan)
