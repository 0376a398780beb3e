"""Báo cáo đầu cuối: tạo, điền sẵn, xuất DOCX/XLSX/PDF, gửi, trả lại, gửi lại, tiếp nhận, tổng hợp, phạm vi."""

import io
import re
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.errors import Conflict
from cchc.core.vnformat import percent
from cchc.documents import approvals
from cchc.indicators.selectors import values_for
from cchc.indicators.services import enter_value
from cchc.reports import fillers, output, selectors, services
from cchc.reports.models import FiguresFrom, Report, ReportVersion, Status

from .conftest import HUONG_SON, PROVINCE, SON_LAM, SON_NINH, SON_TAY


def _aware(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def officer(demo_values, make_user):
    return make_user("xa-son-tay", Role.COMMUNE_OFFICER, demo_values[SON_TAY])


@pytest.fixture
def reviewer(demo_values, make_user):
    return make_user("huyen-huong-son", Role.DISTRICT_REVIEWER, demo_values[HUONG_SON])


def _texts(doc):
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def _submit(actor, report, at=None, **kw):
    """Trình ký, the leader approves on the same day, then the officer sends it."""
    pre = services.pre_submit(report)
    services.request_signature(actor, report, "Giải trình thử" if pre.needs_comment else "", at=at)
    approvals.decide(_leader(report.unit), services.approval_for(report), "approve", at=at)
    return services.submit_report(actor, report, at=at, **kw)


def _historic(unit, period, at):
    """A report of a unit that has since ended (merged on 1/7/2025): its people write nothing any more
    (scope), so the console — the administrator loading history — creates and sends it in one step."""
    report = services.create_report(SystemActor("test"), unit, period)
    pre = services.pre_submit(report)
    services.submit_report(SystemActor("test"), report, "Giải trình thử" if pre.needs_comment else "", at=at)
    return report


def _leader(unit):
    from django.contrib.auth import get_user_model

    from cchc.accounts.services import create_user

    found = get_user_model().objects.filter(role=Role.LEADER, unit=unit).first()
    if found is None:
        found, _ = create_user(
            actor=SystemActor("test"),
            username=f"lanhdao-{unit.pk}",
            role=Role.LEADER,
            unit=unit,
            password="Mat-khau-thu-nghiem-2026",
            full_name="Hoàng Văn Dũng",
            job_title="Chủ tịch UBND xã",
            must_change_password=False,
        )
    return found


def test_annual_report_end_to_end(officer, demo_values):
    unit = demo_values[SON_TAY]
    report = services.create_report(officer, unit, "2021-NAM")
    assert report.figures_from == FiguresFrom.INDICATORS
    assert report.due_date.isoformat() == "2021-12-20"  # the 20th of the period's last month (data)
    tthc = report.sections.get(key="ket-qua.tthc")
    assert "{dossiers.commune.received}" in tthc.text  # stored linked, not typed
    version = _submit(officer, report, at=_aware(2021, 12, 14, 9))
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.number.endswith("/BC-UBND") and not report.is_late

    doc = Document(io.BytesIO(bytes(version.docx)))
    texts = _texts(doc)
    for expected in [
        "ỦY BAN NHÂN DÂN",
        "XÃ SƠN TÂY",
        f"Số: {report.number}",
        "BÁO CÁO",
        "Sơn Tây, ngày 14 tháng 12 năm 2021",
        "Kính gửi: Ủy ban nhân dân huyện Hương Sơn",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "IV. NHIỆM VỤ TRỌNG TÂM NĂM 2022",
        "Nơi nhận:",
        "PHỤ LỤC",
    ]:
        assert expected in texts, expected
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Kế hoạch đào tạo, bồi dưỡng 8 lượt cán bộ, công chức; đã đào tạo, bồi dưỡng 8 lượt" in body
    assert "{" not in body

    # the appendix: every appendix row of the catalogue, figures equal to the indicator values
    live = {v.code: v for v in values_for(unit, "2021-NAM")}
    appendix = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in appendix.rows][1:]
    shown = [v for v in live.values() if v.indicator.in_appendix]
    groups = {v.indicator.group_code for v in shown}
    assert len(rows) == len(shown) + len(groups)
    assert [r[0] for r in rows if r[0] in {"I", "II", "III", "IV", "V", "VI", "VII"}] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
    ]
    by_name = [r for r in rows if r[0] not in groups]
    for row, v in zip(by_name, shown, strict=True):
        assert row[1] == v.indicator.name
        assert row[3] == ("…" if v.is_missing else v.display)  # an unknown figure prints "…", never 0
    checked = 0
    for row, v in zip(by_name, shown, strict=True):
        if v.source == "ratio":  # every ratio equals its parts, printed in the note
            num, den = (Decimal(x.replace(".", "")) for x in row[4].split("/"))
            assert v.value == percent(num, den)
            checked += 1
    assert checked >= 2

    # XLSX of the appendix, read back
    doc_obj = output.document_for(report)
    wb = load_workbook(io.BytesIO(output.render_xlsx(doc_obj)))
    ws = wb["Phụ lục"]
    header = [c.value for c in ws[5]]
    assert header == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    cells = {r[1].value: r for r in ws.iter_rows(min_row=6)}
    rate = cells["Tỷ lệ thực hiện nhiệm vụ tuyên truyền theo kế hoạch"]
    assert rate[3].value == pytest.approx(1.0) and rate[3].number_format == "0.00%"
    planned = cells[live["training.planned"].indicator.name]
    assert planned[3].value == 8 and planned[3].number_format == "#,##0"


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="LibreOffice chưa cài"
)
def test_pdf_is_made_with_libreoffice(officer, demo_values, tmp_path):
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    pdf = output.render_pdf(output.document_for(report))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "PHỤ LỤC" in text
    assert "Kế hoạch đào tạo, bồi dưỡng 8 lượt" in " ".join(text.split())


def test_draft_figures_stay_linked_and_submission_freezes_them(officer, demo_values):
    unit = demo_values[SON_TAY]
    report = services.create_report(officer, unit, "2021-NAM")
    enter_value(SystemActor("test"), unit, "2021-NAM", "training.planned", 12)
    doc = output.document_for(report)
    assert "bồi dưỡng 12 lượt" in next(s["text"] for s in doc.sections if s["key"] == "ket-qua.cong-vu")
    _submit(officer, report, at=_aware(2021, 12, 14, 9))
    enter_value(SystemActor("test"), unit, "2021-NAM", "training.planned", 15)
    report.refresh_from_db()
    frozen = output.document_for(report)
    assert "bồi dưỡng 12 lượt" in next(s["text"] for s in frozen.sections if s["key"] == "ket-qua.cong-vu")
    assert frozen.rows["training.planned"].value == 12


def _rule_between_entered(importance):
    """A rule ``a ≤ b`` of this importance over two hand-entered indicators (the catalogue evolves)."""
    from cchc.indicators.rules import load_rules
    from cchc.indicators.selectors import current_indicators

    indicators = current_indicators()
    for rule in load_rules(indicators):
        if (
            rule.importance == importance
            and rule.operator == "≤"
            and len(rule.left.codes) == 1
            and len(rule.right.codes) == 1
            and len(rule.codes) == 2
            and all(indicators[c].is_entered for c in rule.codes)
        ):
            return rule.left.codes[0], rule.right.codes[0]
    raise AssertionError(f"no {importance} rule between two entered indicators")


def test_high_importance_failure_blocks_and_a_lower_one_needs_a_comment(officer, demo_values):
    unit = demo_values[SON_TAY]
    left, right = _rule_between_entered("high")
    enter_value(SystemActor("test"), unit, "2021-NAM", right, 2)
    enter_value(SystemActor("test"), unit, "2021-NAM", left, 9)  # left > right: a high-importance failure
    report = services.create_report(officer, unit, "2021-NAM")
    with pytest.raises(services.SubmissionBlocked):
        services.request_signature(officer, report, "xin gửi")
    assert not ReportVersion.objects.exists()
    enter_value(SystemActor("test"), unit, "2021-NAM", left, 1)
    low_left, low_right = _rule_between_entered("medium")
    enter_value(SystemActor("test"), unit, "2021-NAM", low_right, 1)
    enter_value(SystemActor("test"), unit, "2021-NAM", low_left, 2)  # lower importance: needs a comment
    pre = services.pre_submit(report)
    assert pre.can_submit and pre.needs_comment
    with pytest.raises(ValidationError, match="giải trình"):
        services.request_signature(officer, report, "")
    version = services.request_signature(officer, report, "Rà soát thêm văn bản do huyện chuyển về")
    assert version.comment and version.checks["warnings"]


def test_return_resubmit_accept_keeps_versions(officer, reviewer, demo_values, make_user):
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    _submit(officer, report, at=_aware(2021, 12, 14, 9))
    with pytest.raises(ValidationError):
        services.review_report(reviewer, report, "return", "")
    services.review_report(reviewer, report, "return", "Bổ sung mục đánh giá chung")
    report.refresh_from_db()
    assert report.status == Status.RETURNED and report.is_editable
    section = report.sections.get(key="danh-gia.uu-diem")
    services.save_section(officer, section, "Hoàn thành kế hoạch đúng tiến độ.", section.revision)
    _submit(officer, report, at=_aware(2021, 12, 22, 9))  # resent after the due date: still on time
    report.refresh_from_db()
    assert report.version == 2 and report.status == Status.SUBMITTED and not report.is_late
    services.review_report(reviewer, report, "accept")
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    v1, v2 = report.versions.order_by("number")
    assert "Hoàn thành kế hoạch" not in str(v1.sections) and "Hoàn thành kế hoạch" in str(v2.sections)
    with pytest.raises(ValueError):
        v1.comment = "sửa"
        v1.save()
    with pytest.raises(ValidationError):
        services.save_section(officer, section, "sửa sau khi tiếp nhận", section.revision + 1)


def test_late_submission(officer, demo_values):
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    _submit(officer, report, at=_aware(2021, 12, 21, 8))
    report.refresh_from_db()
    assert report.is_late
    table = selectors.submission_status(demo_values[HUONG_SON], report.period)
    assert table.count("late") == 1 and table.count("on_time") == 0


def test_two_officers_never_overwrite_each_other(officer, demo_values, make_user):
    other = make_user("xa-son-tay-2", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    section = report.sections.get(key="kien-nghi")
    start = section.revision
    services.save_section(officer, section, "Kiến nghị của người thứ nhất", start)
    with pytest.raises(Conflict) as info:
        services.save_section(other, section, "Kiến nghị của người thứ hai", start)
    assert info.value.current.text == "Kiến nghị của người thứ nhất"
    assert "xa-son-tay" in str(info.value)
    with pytest.raises(Conflict):
        services.update_header(other, report, report.lock_version + 5, signer_name="X")


def test_status_rates_before_and_after_the_2025_reform(demo_values, make_user):
    officer_tay = make_user("xa-son-tay", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    _historic(demo_values[SON_LAM], "2021-NAM", _aware(2021, 12, 14, 9))
    _submit(
        officer_tay, services.create_report(officer_tay, demo_values[SON_TAY], "2021-NAM"), at=_aware(2021, 12, 14, 9)
    )
    from cchc.indicators.periods import get_period

    district, province = demo_values[HUONG_SON], demo_values[PROVINCE]
    t2021 = selectors.submission_status(district, get_period("2021-NAM"))
    assert t2021.expected == 10 and t2021.submitted == 2 and t2021.submitted_rate == Decimal("20.00")
    p2021 = selectors.submission_status(province, get_period("2021-NAM"))
    assert {r.unit.level for r in p2021.rows} == {"huyen"} and p2021.expected == 2

    # 2025: Sơn Tây (kept, under the province since 1/7/2025) reports for the year to the province
    report = services.create_report(officer_tay, demo_values[SON_TAY], "2025-NAM")
    _submit(officer_tay, report, at=_aware(2025, 12, 15, 9))
    p2025 = selectors.submission_status(province, get_period("2025-NAM"))
    assert p2025.expected == 8 and {r.unit.level for r in p2025.rows} == {"xa"}
    assert p2025.submitted == 1 and p2025.submitted_rate <= 100
    assert selectors.submission_status(district, get_period("2025-NAM")).expected == 0  # no district any more
    h2025 = selectors.submission_status(province, get_period("2025-6T"))  # ends 14/6/2025: districts still
    assert {r.unit.level for r in h2025.rows} == {"huyen"}
    for table in (t2021, p2021, p2025, h2025):
        assert table.submitted <= table.expected
        assert table.on_time_rate is None or table.on_time_rate <= 100


def test_rollup_equals_the_sum_of_submitted_figures(demo_values, make_user, reviewer):
    from cchc.indicators.demo import DEMO_VALUES

    tay = make_user("xa-son-tay", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    from cchc.indicators.models import Indicator

    kinds = {i.code: i for i in Indicator.objects.all()}
    for code, value in DEMO_VALUES["2021-NAM"].items():
        if not kinds[code].is_entered:
            continue
        double = value * 2 if kinds[code].value_type == "integer" else value
        enter_value(SystemActor("test"), demo_values[SON_LAM], "2021-NAM", code, double)
        enter_value(SystemActor("test"), demo_values[SON_NINH], "2021-NAM", code, value)  # never submitted
    _submit(tay, services.create_report(tay, demo_values[SON_TAY], "2021-NAM"), at=_aware(2021, 12, 10))
    _historic(demo_values[SON_LAM], "2021-NAM", _aware(2021, 12, 10))
    services.create_report(SystemActor("test"), demo_values[SON_NINH], "2021-NAM")  # a draft: not counted
    district = services.create_report(SystemActor("test"), demo_values[HUONG_SON], "2021-NAM")
    assert district.figures_from == FiguresFrom.ROLLUP
    rows, by_unit = selectors.report_rows(district)
    tay_v = selectors.version_rows(Report.objects.get(unit__code=SON_TAY).versions.get())
    lam_v = selectors.version_rows(Report.objects.get(unit__code=SON_LAM).versions.get())
    # area lines (counts: area) add up the submitted figures; nobody reported one: unknown, not 0
    for code in ("leaders.commune_ppc", "iso.communes_announced", "discipline.total", "dossiers.commune.received"):
        known = [v[code].value for v in (tay_v, lam_v) if v[code].value is not None]
        assert rows[code].value == (sum(known) if known else None), code
    assert rows["leaders.commune_ppc"].value == 3 * 3
    # own lines (the district's plan, training, feedback) are the district's own, never its communes' (issue 12)
    for code in ("training.planned", "procedures.in_force", "feedback.received", "propaganda.tasks_planned"):
        assert rows[code].value is None and rows[code].source_kind == "missing", code
    assert rows["propaganda.plan_rate"].value is None
    states = {u["code"]: u["state"] for u in by_unit}
    assert states[SON_TAY] == "on_time" and states[SON_NINH] == "missing" and len(by_unit) == 10
    doc = Document(io.BytesIO(output.render_docx(output.document_for(district))))
    assert "BẢNG TỔNG HỢP THEO ĐƠN VỊ" in [p.text for p in doc.paragraphs]
    assert any(c.text == "Xã Sơn Ninh" for c in doc.tables[-1].columns[1].cells)


def test_scope_other_commune_is_404_and_officer_cannot_accept(demo_values, make_user, officer):
    lam_officer = make_user("xa-son-lam", Role.COMMUNE_OFFICER, demo_values[SON_LAM])
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    with pytest.raises(Http404):
        selectors.get_report(lam_officer, report.pk)
    with pytest.raises(Http404):
        services.create_report(lam_officer, demo_values[SON_TAY], "2021-Q3")
    _submit(officer, report, at=_aware(2021, 12, 14, 9))
    with pytest.raises(PermissionDenied):
        services.review_report(officer, report, "accept")
    # a reviewer of the other district cannot accept either; the province reviewer can
    other = make_user("huyen-khac", Role.DISTRICT_REVIEWER, demo_values["000.00.22.H42"])
    with pytest.raises((PermissionDenied, Http404)):
        services.review_report(other, report, "accept")
    province = make_user("so-noi-vu", Role.PROVINCE_REVIEWER, demo_values[PROVINCE])
    assert services.review_report(province, report, "accept").status == Status.ACCEPTED


def test_section_fillers_from_other_apps(officer, demo_values):
    @fillers.register_filler("directives.issued")
    def issued(unit, period):
        return [f"Kế hoạch số 05/KH-UBND ngày 21/01/{period.year} về CCHC của {unit.name}"]

    try:
        report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    finally:
        fillers.unregister_filler("directives.issued")
    text = report.sections.get(key="chi-dao.ke-hoach").text
    assert re.search(r"^- Kế hoạch số 05/KH-UBND ngày 21/01/2021 về CCHC của Xã Sơn Tây$", text, re.M)
