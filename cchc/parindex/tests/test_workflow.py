"""Assessment workflow, results, lost points, scope, concurrency, imports, documents."""

import io
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.errors import Conflict
from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent
from cchc.parindex import demo, documents, selectors, services
from cchc.parindex.framework import load_framework, parse_framework
from cchc.parindex.models import Assessment, RemediationTask, Score, Status

SON_TAY, SON_LAM = "000.16.21.H42", "000.13.21.H42"


def _score(a, code) -> Score:
    return Score.objects.select_related("criterion", "assessment__unit", "assessment__framework").get(
        assessment=a, criterion__code=code
    )


def _scored(demo_set, unit, position=0) -> Assessment:
    return demo.score_commune(demo_set, unit, position)


def test_twenty_communes_scored_ranked_with_a_tie(demo_set):
    demo.run(lambda line: None)
    results = selectors.results(demo_set)
    assert len(results) == 20 and all(r.sheet.official for r in results)
    assert {r.of for r in results} == {20}
    ranks = [r.rank for r in results]
    indexes = [r.sheet.index for r in results]
    assert indexes == sorted(indexes, reverse=True)
    for i in range(1, 20):  # equal index ⇒ equal rank; otherwise rank = position (competition ranking)
        assert ranks[i] == (ranks[i - 1] if indexes[i] == indexes[i - 1] else i + 1)
    assert len(set(ranks)) < 20  # the demo has ties
    # The not-applicable criterion of one commune leaves the maximum: index = points ÷ 98,5 × 100.
    na = next(r for r in results if r.sheet.applicable_max != D(100))
    assert na.sheet.applicable_max == D("98.5")
    assert na.sheet.index == (na.sheet.total / D("98.5") * 100).quantize(D("0.01"))
    demo.run(lambda line: None)  # idempotent
    assert Assessment.objects.count() == 20


def test_lost_points_add_up_exactly(demo_set, demo_org):
    a = _scored(demo_set, demo_org[SON_LAM], 1)
    sheet = selectors.build_sheet(a)
    groups, grand = selectors.lost_points(sheet)
    for g in groups:
        assert g.total.max_points - g.total.obtained == g.total.lost
        assert sum((ln.lost for ln in g.lines if ln.kind == "tiêu chí"), D(0)) == g.total.lost
        assert sum((ln.lost for ln in g.lines if ln.kind == "điểm trừ"), D(0)) == g.total.penalty
    assert grand["max"] == D(100)
    assert grand["obtained"] + grand["lost"] == D(100)
    assert grand["total"] == sheet.appraised_total == grand["obtained"] + grand["bonus"] - grand["penalty"]
    lost_values = {ln.lost for g in groups for ln in g.lines}
    assert any(v % 1 == D("0.25") for v in lost_values)  # quarter points really occur
    # 2,5 and 0,25 as Decimal: exact, where floats would drift
    assert D("2.5") + D("0.25") * 3 == D("3.25")


def test_bonus_and_penalty_sit_outside_the_100(demo_set, demo_org):
    a = services.start_assessment(SystemActor("test"), demo_set, demo_org[SON_TAY])
    for s in a.scores.select_related("criterion"):
        s.assessment = a
        services.save_score(
            SystemActor("test"),
            s,
            s.version,
            self_score=s.criterion.max_points if s.criterion.rule_type in ("manual", "survey") else None,
            declared_value=None,
        )
    bonus, penalty = _score(a, "1.8"), _score(a, "5.6")
    services.save_score(SystemActor("test"), bonus, bonus.version, self_score="1")
    services.save_score(SystemActor("test"), penalty, penalty.version, declared_value="3")  # 3 × 1 point, capped at 2
    sheet = selectors.build_sheet(a)
    assert sheet.bonus == D(1) and sheet.penalty == D(2)
    assert sheet.applicable_max == D(100)
    f1 = sheet.fields[0]
    assert f1.max_points == D(12) and f1.bonus == D(1)
    with pytest.raises(ValidationError, match="từ 0 đến 1 điểm"):
        services.save_score(SystemActor("test"), _score(a, "1.8"), _score(a, "1.8").version, self_score="1,5")


def test_indicator_rule_scores_from_the_indicator_store(demo_org):
    from cchc.indicators.services import enter_value

    data = {
        "code": "xa-thu",
        "name": "Bộ thử",
        "level": "xa",
        "year": 2023,
        "total": 2.5,
        "criteria": [
            {
                "code": "1",
                "name": "Tuyên truyền",
                "children": [
                    {
                        "code": "1.1",
                        "name": "Tỷ lệ thực hiện nhiệm vụ tuyên truyền",
                        "max": 2.5,
                        "rule": {
                            "type": "thresholds",
                            "indicator": "propaganda.plan_rate",
                            "steps": [[100, 2.5], [95, 1.5]],
                        },
                    },
                ],
            }
        ],
    }
    load_framework(parse_framework(data), "test")
    from cchc.parindex.models import Framework

    fw = Framework.objects.get(code="xa-thu")
    a = services.start_assessment(SystemActor("test"), fw, demo_org[SON_TAY])
    line = selectors.build_sheet(a).lines[1]
    assert line.auto.missing and line.self_points is None and line.needs_manual  # "chưa có số liệu"
    assert "chưa có số liệu" in line.auto.note
    assert services.submission_problems(a) == ["Tiêu chí 1.1: chưa có số liệu, cần chấm điểm trực tiếp."]
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2023-NAM", "propaganda.tasks_planned", 64)
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2023-NAM", "propaganda.tasks_done", 63)
    line = selectors.build_sheet(a).lines[1]
    assert line.auto.value == D("98.44") and line.auto.score == D("1.50") and line.self_points == D("1.50")
    assert "98,44%" in line.auto.note
    services.submit(SystemActor("test"), a)
    services.finalise(SystemActor("test"), a, accept_self_for_rest=True)
    # The official result is frozen: a later change of the figure does not move it.
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2023-NAM", "propaganda.tasks_done", 64)
    a.refresh_from_db()
    assert selectors.build_sheet(a).appraised_total == D("1.50")


def test_concurrent_edits_never_overwrite(demo_set, demo_org):
    a = services.start_assessment(SystemActor("test"), demo_set, demo_org[SON_TAY])
    first = _score(a, "1.5")
    stale_version = first.version
    services.save_score(SystemActor("an"), first, stale_version, self_score="1")
    with pytest.raises(Conflict, match="vừa được an sửa") as exc:
        services.save_score(SystemActor("binh"), first, stale_version, self_score="1,5")
    assert "tải lại trang" in exc.value.messages[0]
    assert _score(a, "1.5").self_score == D(1)
    events = AuditEvent.objects.filter(verb="parindex.score.save")
    assert events.count() == 1 and events.first().data["changes"]["self_score"] == {"old": None, "new": "1"}


def test_workflow_submit_return_finalise_and_rights(demo_set, demo_org, make_user):
    officer = make_user("xa", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    other = make_user("xa2", Role.COMMUNE_OFFICER, demo_org[SON_LAM])
    reviewer = make_user("huyen", Role.DISTRICT_REVIEWER, demo_org["000.00.21.H42"])
    a = services.start_assessment(officer, demo_set, demo_org[SON_TAY])
    with pytest.raises(ValidationError):
        services.submit(officer, a)  # nothing scored yet
    for s in a.scores.select_related("criterion"):
        s.assessment = a
        services.save_score(
            officer,
            s,
            s.version,
            self_score=s.criterion.max_points if s.criterion.rule_type not in ("bonus", "penalty") else None,
            explanation="Hồ sơ lưu tại Văn phòng",
        )
    services.submit(officer, a)
    s = _score(a, "1.5")
    with pytest.raises(ValidationError, match="không sửa được"):
        services.save_score(officer, s, s.version, self_score="0")
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        services.save_score(officer, s, s.version, appraised_score="1")
    with pytest.raises(Http404):
        services.save_score(other, s, s.version, self_score="1")
    services.save_score(reviewer, s, s.version, appraised_score="1", comment="Thiếu quyết định công nhận")
    services.return_for_explanation(reviewer, a, "Bổ sung quyết định công nhận sáng kiến")
    assert Assessment.objects.get(pk=a.pk).status == Status.RETURNED
    services.submit(officer, a)
    with pytest.raises(ValidationError, match="chưa có điểm thẩm định"):
        services.finalise(reviewer, a)
    services.finalise(reviewer, a, accept_self_for_rest=True)
    sheet = selectors.build_sheet(Assessment.objects.get(pk=a.pk))
    assert sheet.official and sheet.appraised_total == D("99.5") and sheet.self_total == D(100)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"parindex.assessment.submit", "parindex.assessment.return", "parindex.assessment.finalise"} <= verbs


def test_pages_and_scope_404(client, demo_set, demo_org, make_user):
    a = _scored(demo_set, demo_org[SON_LAM], 1)
    client.force_login(make_user("xa", Role.COMMUNE_OFFICER, demo_org[SON_TAY]))
    for name in ("assessment", "lost", "remediation"):
        assert client.get(reverse(f"parindex:{name}", args=[a.pk])).status_code == 404
    assert client.get(reverse("parindex:document", args=[a.pk, "ke-hoach", "docx"])).status_code == 404
    assert client.get(reverse("parindex:results", args=[demo_set.code])).status_code == 200
    client.force_login(make_user("lam", Role.COMMUNE_OFFICER, demo_org[SON_LAM]))
    page = client.get(reverse("parindex:assessment", args=[a.pk]) + "?linh-vuc=3")
    assert page.status_code == 200 and "3.4.1" in page.content.decode()
    assert client.get(reverse("parindex:appraisal", args=[a.pk])).status_code == 403
    assert "Xã Sơn Lâm" in client.get(reverse("parindex:results", args=[demo_set.code])).content.decode()
    assert client.get(reverse("parindex:index")).status_code == 200


def test_htmx_autosave_and_conflict_message(client, demo_set, demo_org, make_user):
    officer = make_user("xa", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    a = services.start_assessment(officer, demo_set, demo_org[SON_TAY])
    s = _score(a, "1.5")
    client.force_login(officer)
    url = reverse("parindex:save_score", args=[a.pk, s.pk])
    ok = client.post(url, {"version": s.version, "mode": "self", "self_score": "1,25"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Đã lưu" in ok.content.decode()
    assert _score(a, "1.5").self_score == D("1.25")
    stale = client.post(url, {"version": s.version, "mode": "self", "self_score": "0,5"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "vừa được xa sửa" in stale.content.decode()
    assert _score(a, "1.5").self_score == D("1.25")


def test_import_scores_atomic_idempotent_dry_run(tmp_path, demo_set, demo_org):
    leaves = list(demo_set.criteria.filter(is_leaf=True).exclude(rule_type__in=["bonus", "penalty"]))
    lines = ["don_vi,ma_tieu_chi,diem_tu_cham,diem_tham_dinh,ghi_chu"]
    for c in leaves:
        lines.append(f'{SON_TAY},{c.code},"{str(c.max_points).replace(".", ",")}",{c.max_points},')
    for c in demo_set.criteria.filter(rule_type__in=["bonus", "penalty"], is_leaf=True):
        lines.append(f"{SON_TAY},{c.code},0,0,")
    good = tmp_path / "diem.csv"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("parindex", "import-scores", str(good), "--framework", demo_set.code, "--dry-run", stdout=out)
    assert "Kiểm tra thử" in out.getvalue() and not Assessment.objects.exists()
    call_command("parindex", "import-scores", str(good), "--framework", demo_set.code, stdout=out)
    a = Assessment.objects.get()
    assert a.status == Status.FINALISED and selectors.build_sheet(a).appraised_total == D(100)
    out = io.StringIO()
    call_command("parindex", "import-scores", str(good), "--framework", demo_set.code, stdout=out)
    assert "thêm mới 0, cập nhật 0" in out.getvalue()
    bad = tmp_path / "sai.csv"
    bad.write_text(
        "don_vi,ma_tieu_chi,diem_tu_cham,diem_tham_dinh,ghi_chu\n"
        f"{SON_LAM},1.5,1,,\n{SON_LAM},3.4,1,,\n{SON_LAM},1.6,9,,\nKHONG-CO,1.5,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        services.import_scores(bad, demo_set, "test")
    text = [str(e) for e in exc.value.errors]
    assert (
        "Dòng 3, cột “ma_tieu_chi” (giá trị “3.4”): là tiêu chí có tiêu chí con; chỉ nhập điểm tiêu chí thành phần."
    ) in text
    assert any(t.startswith("Dòng 4, cột “diem_tu_cham” (giá trị “9”)") for t in text)
    assert any(t.startswith("Dòng 5, cột “don_vi”") for t in text)
    assert Assessment.objects.count() == 1  # nothing of the bad file was saved


def _table(doc):
    return [[c.text for c in row.cells] for row in doc.tables[-1].rows]


def test_plan_and_report_documents_match_the_analysis(tmp_path, demo_set, demo_org):
    a = _scored(demo_set, demo_org[SON_LAM], 1)
    plan = services.ensure_plan(SystemActor("test"), a)
    task = plan.tasks.select_related("criterion").order_by("criterion__position").first()
    code = task.criterion.code
    services.update_task(
        SystemActor("test"),
        task,
        task.version,
        responsible="Đ/c Phong & Văn phòng <VP>",
        deadline="15/11/2024",
        status="done",
        action_taken="Đã có quyết định công nhận sáng kiến",
    )
    groups, grand = selectors.lost_points(selectors.build_sheet(a))
    lost = [ln for g in groups for ln in g.lines]
    assert RemediationTask.objects.filter(plan=plan).count() == len(lost)

    out = tmp_path / "ke-hoach.docx"
    call_command(
        "parindex",
        "remediation-plan",
        "--framework",
        demo_set.code,
        "--unit",
        SON_LAM,
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    doc = Document(str(out))
    rows = _table(doc)
    assert rows[0][:6] == [
        "STT",
        "Mã tiêu chí",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm tối đa",
        "Điểm đạt",
        "Điểm bị mất",
    ]
    body = [r for r in rows[1:] if r[1]]
    assert [(r[1], r[3], r[4] or None, r[5]) for r in body] == [
        (
            ln.code,
            documents.n(ln.max_points),
            documents.n(ln.obtained) if ln.kind == "tiêu chí" else None,
            documents.n(ln.lost),
        )
        for ln in lost
    ]
    total = next(r for r in rows if r[2].startswith("TỔNG CỘNG"))
    assert total[2] == "TỔNG CỘNG (trong 100 điểm)" and total[5] == documents.n(grand["lost"])
    if grand["penalty"]:  # outside the 100 points, on its own row so that đạt + mất = tối đa on every row
        assert next(r for r in rows if r[2] == "Điểm trừ (ngoài 100 điểm)")[5] == documents.n(grand["penalty"])
    row_15 = next(r for r in body if r[1] == code)
    assert row_15[6] == "Đ/c Phong & Văn phòng <VP>" and row_15[7] == "15/11/2024"
    texts = [p.text for p in doc.paragraphs]
    assert "KẾ HOẠCH" in texts and "I. MỤC ĐÍCH, YÊU CẦU" in texts and "III. TỔ CHỨC THỰC HIỆN" in texts
    assert not any("{{" in t or "{%" in t for t in texts)
    assert doc.sections[-1].page_width > doc.sections[-1].page_height

    report = Document(io.BytesIO(documents.report_docx(a)))
    fields_table = [[c.text for c in row.cells] for row in report.tables[1].rows]
    sheet = selectors.build_sheet(a)
    assert [r[2:5] for r in fields_table[1:9]] == [
        [documents.n(f.max_points), documents.n(f.obtained), documents.n(f.lost)] for f in sheet.fields
    ]
    appendix = _table(report)
    row_15 = next(r for r in appendix if r[1] == code)
    assert row_15[7] == "Đã có quyết định công nhận sáng kiến" and row_15[8].startswith("Đã hoàn thành")
    assert [r[1] for r in appendix[1:] if r[1]] == [ln.code for ln in lost]


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) or not shutil.which("pdftotext"),
    reason="LibreOffice / pdftotext not installed",
)
def test_documents_convert_to_pdf(tmp_path, demo_set, demo_org):
    a = _scored(demo_set, demo_org[SON_LAM], 1)
    services.ensure_plan(SystemActor("test"), a)
    for name, data in (("kh", documents.plan_docx(a)), ("bc", documents.report_docx(a))):
        from cchc.documents.rendering import docx_to_pdf

        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(docx_to_pdf(data))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "XÃ SƠN LÂM" in text
        assert ("KẾ HOẠCH" if name == "kh" else "BÁO CÁO") in text
        assert "PHỤ LỤC" in text


def test_early_warning_from_live_figures(demo_org, make_user):
    from datetime import date

    from cchc.indicators.services import enter_value
    from cchc.parindex.models import Framework
    from cchc.parindex.todo import early_warning_items

    data = {
        "code": "xa-2024-thu",
        "name": "Bộ thử 2024",
        "level": "xa",
        "year": 2024,
        "total": 4,
        "criteria": [
            {
                "code": "1",
                "name": "Chỉ đạo",
                "children": [
                    {
                        "code": "1.1",
                        "name": "Tỷ lệ nhiệm vụ tuyên truyền",
                        "max": 2.5,
                        "rule": {
                            "type": "thresholds",
                            "indicator": "propaganda.plan_rate",
                            "steps": [[100, 2.5], [95, 1.5]],
                        },
                    },
                    {
                        "code": "1.2",
                        "name": "Số người được bồi dưỡng (12 người mỗi năm)",
                        "max": 1.5,
                        "rule": {
                            "type": "thresholds",
                            "indicator": "training.trained",
                            "pro_rata": True,
                            "unit": "người",
                            "steps": [[12, 1.5], [6, 0.75]],
                        },
                    },
                ],
            }
        ],
    }
    load_framework(parse_framework(data), "test")
    unit = demo_org[SON_TAY]
    enter_value(SystemActor("test"), unit, "2024-NAM", "propaganda.tasks_planned", 64)
    enter_value(SystemActor("test"), unit, "2024-NAM", "propaganda.tasks_done", 63)
    enter_value(SystemActor("test"), unit, "2024-NAM", "training.trained", 4)
    framework, warnings = selectors.early_warnings(unit, today=date(2024, 12, 31))
    assert framework == Framework.objects.get(code="xa-2024-thu")
    by_code = {w.criterion.code: w for w in warnings}
    assert by_code["1.1"].value == D("98.44") and by_code["1.1"].losing == D(1)  # 1,5 of 2,5
    assert by_code["1.2"].losing == D("1.5")  # 4 people in the whole year: below both steps
    # On 31/3 the 4 people trained so far project to about 16 in the year: no loss foreseen there.
    _, mid_year = selectors.early_warnings(unit, today=date(2024, 3, 31))
    assert "1.2" not in {w.criterion.code for w in mid_year}
    officer = make_user("xa", Role.COMMUNE_OFFICER, unit)
    items = early_warning_items(officer, unit)
    assert items == [] or all("Chỉ số CCHC" in i.title for i in items)  # today's year has its own figures
    outsider = make_user("lam", Role.COMMUNE_OFFICER, demo_org[SON_LAM])
    assert early_warning_items(outsider, unit) == []  # outside the user's view scope nothing is shown


def test_reading_documents_and_pages_writes_nothing(client, demo_set, demo_org, make_user):
    """A GET of the plan, the report or the remediation page never creates the plan, a task or an audit row;
    the plan is made by the explicit POST."""
    from cchc.parindex.models import RemediationPlan

    a = _scored(demo_set, demo_org[SON_TAY], 1)
    client.force_login(make_user("tay", Role.COMMUNE_OFFICER, demo_org[SON_TAY]))
    before = (RemediationPlan.objects.count(), RemediationTask.objects.count(), AuditEvent.objects.count())
    for kind in ("ke-hoach", "bao-cao"):
        response = client.get(reverse("parindex:document", args=[a.pk, kind, "docx"]))
        assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(reverse("parindex:remediation", args=[a.pk])).status_code == 200
    assert (RemediationPlan.objects.count(), RemediationTask.objects.count(), AuditEvent.objects.count()) == before
    response = client.post(reverse("parindex:remediation", args=[a.pk]), {"action": "create"}, follow=True)
    assert RemediationPlan.objects.filter(assessment=a).count() == 1, (response.redirect_chain, response.status_code)
    assert RemediationTask.objects.count() > 0
