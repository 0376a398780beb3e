"""Trình ký → ký duyệt / trả lại → ký số → gửi cấp trên: each transition, and the refused ones."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.core.audit import Verb
from cchc.core.errors import Conflict
from cchc.core.models import AuditEvent
from cchc.core.registry import todo_items
from cchc.documents import approvals, signing
from cchc.documents.models import Approval, ApprovalState, TrustedRoot
from cchc.documents.tests.fixtures import P12_PASSWORD
from cchc.jobs import services as jobs
from cchc.jobs.models import Job, JobStatus
from cchc.reports import services
from cchc.reports.models import Report, Status

from .conftest import HUONG_SON, SON_LAM, SON_TAY


def _aware(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def people(demo_values, make_user):
    return {
        "officer": make_user("canbo", Role.COMMUNE_OFFICER, demo_values[SON_TAY], full_name="Lê Thị Lan"),
        "leader": make_user(
            "lanhdao", Role.LEADER, demo_values[SON_TAY], full_name="Hoàng Văn Dũng", job_title="Chủ tịch UBND xã"
        ),
        "other_leader": make_user("lanhdao-lam", Role.LEADER, demo_values[SON_LAM], full_name="Trần Văn Nam"),
        "clerk": make_user("motcua", Role.ONE_STOP_CLERK, demo_values[SON_TAY]),
        "reviewer": make_user("huyen", Role.DISTRICT_REVIEWER, demo_values[HUONG_SON], full_name="Trần Văn Bình"),
    }


@pytest.fixture
def report(people, demo_values):
    return services.create_report(people["officer"], demo_values[SON_TAY], "2021-NAM")


def _ask(officer, report, at=None):
    comment = "Giải trình thử" if services.pre_submit(report).needs_comment else ""
    return services.request_signature(officer, report, comment, at=at)


def _verbs(obj):
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("pk")
    return list(events.values_list("verb", flat=True))


def test_draft_to_leader_to_approved_to_sent(people, report):
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    version = _ask(officer, report, at=_aware(2021, 12, 13, 8))
    report.refresh_from_db()
    assert report.status == Status.AWAITING_SIGN and not report.is_editable and not report.number
    approval = services.approval_for(report)
    assert approval.state == ApprovalState.PENDING and version.approval == approval and not version.submitted_at
    assert list(approvals.pending_for(leader)) == [approval]
    assert not approvals.pending_for(people["other_leader"]).exists()
    assert any(i.title == "Văn bản chờ ký duyệt" and i.count == 1 for i in todo_items(leader, leader.unit))

    approvals.decide(leader, approval, "approve", lock_version=approval.lock_version, at=_aware(2021, 12, 14, 9))
    report.refresh_from_db()
    version.refresh_from_db()
    assert report.status == Status.APPROVED and report.number.endswith("/BC-UBND")
    assert report.issued_on.isoformat() == "2021-12-14" and report.signer_name == "Hoàng Văn Dũng"
    assert version.approved_by_label == "Hoàng Văn Dũng" and version.approved_by_title == "Chủ tịch UBND xã"
    assert version.header["number"] == report.number
    assert not approvals.pending_for(leader).exists()
    assert any("gửi cấp trên" in i.title for i in todo_items(officer, officer.unit))

    sent = services.submit_report(officer, report, at=_aware(2021, 12, 14, 10))
    report.refresh_from_db()
    assert sent.pk == version.pk and sent.submitted_at and report.status == Status.SUBMITTED and not report.is_late
    assert version.drafted_by_label == sent.submitted_by_label == "Lê Thị Lan"  # full names, not logins
    assert _verbs(report)[-2:] == [Verb.REPORT_REQUEST_SIGNATURE, Verb.REPORT_SUBMIT]
    assert _verbs(approval) == [Verb.APPROVAL_REQUEST, Verb.APPROVAL_APPROVE]
    services.review_report(reviewer, report, "accept")
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED and report.reviewed_by_label == "Trần Văn Bình"


def test_leader_returns_with_comment_then_second_round(people, report):
    officer, leader = people["officer"], people["leader"]
    _ask(officer, report)
    first = services.approval_for(report)
    with pytest.raises(ValidationError, match="ghi rõ nội dung cần sửa"):
        approvals.decide(leader, first, "return", "  ")
    approvals.decide(leader, first, "return", "Bổ sung kết quả cải cách tài chính công")
    report.refresh_from_db()
    assert report.status == Status.SIGN_RETURNED and report.is_editable and not report.number
    items = todo_items(officer, officer.unit)
    assert any("Lãnh đạo trả lại" in i.title and "tài chính công" in i.detail for i in items)
    section = report.sections.get(key="kien-nghi")
    services.save_section(officer, section, "Đề nghị bổ sung kinh phí.", section.revision)
    second_version = _ask(officer, report)
    second = services.approval_for(report)
    assert second.round == 2 and second.pk != first.pk and second_version.number == 2
    assert "Đề nghị bổ sung kinh phí." in str(second_version.sections)
    approvals.decide(leader, second, "approve")
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert [a.state for a in approvals.history(report)] == [ApprovalState.RETURNED, ApprovalState.APPROVED]


def test_refused_transitions(people, report):
    officer, leader, clerk = people["officer"], people["leader"], people["reviewer"]
    with pytest.raises(ValidationError, match="ký duyệt trước khi gửi"):
        services.submit_report(officer, report)  # a draft cannot go straight to the level above
    with pytest.raises(PermissionDenied):
        _ask(leader, report)  # the leader signs; the officer drafts and sends
    _ask(officer, report)
    approval = services.approval_for(report)
    with pytest.raises(ValidationError, match="không sửa được"):
        _ask(officer, report)  # already waiting
    with pytest.raises(PermissionDenied):
        approvals.decide(officer, approval, "approve")  # wrong role
    with pytest.raises(PermissionDenied):
        approvals.decide(people["clerk"], approval, "approve")
    with pytest.raises(Http404):
        approvals.decide(people["other_leader"], approval, "approve")  # another commune's leader
    with pytest.raises(PermissionDenied):
        approvals.decide(clerk, approval, "approve")  # the district reviewer does not sign for the commune
    with pytest.raises(ValidationError, match="ký duyệt trước khi gửi"):
        services.submit_report(officer, report)
    with pytest.raises(Conflict):
        approvals.decide(leader, approval, "approve", lock_version=approval.lock_version + 1)
    approvals.decide(leader, approval, "approve")
    with pytest.raises(ValidationError, match="Đã ký duyệt"):
        approvals.decide(leader, approval, "return", "muộn")  # wrong state
    with pytest.raises(ValueError):
        approvals.decide(leader, approval, "maybe")
    assert Report.objects.get(pk=report.pk).status == Status.APPROVED


def test_sign_the_approved_report_on_a_token_and_the_reviewer_sees_it(
    people, report, soft_token, test_ca, client, django_capture_on_commit_callbacks
):
    officer, leader, reviewer = people["officer"], people["leader"], people["reviewer"]
    TrustedRoot.objects.create(name="CA thử nghiệm", pem=test_ca.pem.decode())
    _ask(officer, report)
    approval = services.approval_for(report)
    key = signing.TokenKey(soft_token.lib, soft_token.label, soft_token.key_label, soft_token.pin)
    with pytest.raises(ValidationError, match="đã được lãnh đạo ký duyệt"):
        approvals.sign(leader, approval, key)  # not approved yet
    with django_capture_on_commit_callbacks(execute=True):
        approvals.decide(leader, approval, "approve")
    queued = Job.objects.get(kind="documents.prepare_pdf")  # the slow PDF is made in the background
    assert queued.params == {"approval": approval.pk} and "secret" not in str(queued.params)
    assert jobs.execute(queued.pk) == JobStatus.DONE
    approval.refresh_from_db()
    prepared = bytes(approval.pdf_to_sign)
    assert prepared.startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        approvals.sign(officer, approval, key)
    signed = approvals.sign(leader, approval, key)
    assert signed.is_signed and signed.signature_method == "pkcs11"
    assert bytes(signed.signed_pdf).startswith(prepared)  # an incremental signature of the prepared PDF
    assert signed.signature_check["signatures"][0]["trusted"] is True
    audit = AuditEvent.objects.get(verb=Verb.APPROVAL_SIGN)
    assert soft_token.pin not in str(audit.data) and audit.data["intact"] is True
    with pytest.raises(ValidationError, match="đã được ký số"):
        approvals.sign(leader, signed, key)
    pdf = services.signed_pdf(report)
    lines = [ln for ln in signing.pdf_lines(pdf) if ln.text.startswith("Ký số bởi")]
    assert lines and "Hoàng Văn Dũng" in lines[0].text
    services.submit_report(officer, report)

    client.force_login(reviewer)
    inbox = client.get(reverse("reports:inbox")).content.decode()
    assert "Hoàng Văn Dũng" in inbox and "Có (" in inbox
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Lãnh đạo ký duyệt: <strong>Hoàng Văn Dũng</strong> (Chủ tịch UBND xã)" in page
    assert "Còn nguyên vẹn" in page and "Tin cậy" in page
    download = client.get(reverse("documents:signed_file", args=[approval.pk]))
    assert download.status_code == 200 and bytes(download.content) == pdf
    services.review_report(reviewer, report, "accept")
    accepted = AuditEvent.objects.get(verb=Verb.REPORT_ACCEPT)
    assert accepted.data["signature"]["signatures"][0]["intact"] is True


def test_upload_of_a_pdf_signed_elsewhere_is_verified(people, report, p12_file, test_ca):
    officer, leader = people["officer"], people["leader"]
    _ask(officer, report)
    approval = approvals.decide(leader, services.approval_for(report), "approve")
    with pytest.raises(ValidationError, match="không có chữ ký số"):
        approvals.attach_signed(officer, approval, "bao-cao.pdf", services.approved_pdf(report))
    signed = signing.sign_pdf(services.approved_pdf(report), signing.Pkcs12Key(p12_file, P12_PASSWORD)).data
    changed = bytearray(signed)
    at = signed.index(b"stream", len(signed) // 5) + 20
    changed[at] = (changed[at] + 1) % 256
    with pytest.raises(ValidationError):
        approvals.attach_signed(officer, approval, "bao-cao.pdf", bytes(changed))
    stored = approvals.attach_signed(officer, approval, "bao-cao-da-ky.pdf", signed)
    assert stored.signature_method == "upload" and stored.signed_by_label.startswith("Nguyễn Văn An")
    assert stored.signature_check["signatures"][0]["trusted"] is False  # no root configured yet


def test_leader_pages(people, report, client):
    officer, leader = people["officer"], people["leader"]
    client.force_login(officer)
    assert client.post(reverse("reports:submit", args=[report.pk]), {"comment": "Xin ý kiến"}).status_code == 302
    approval = Approval.objects.get()
    assert (
        client.post(
            reverse("documents:decide", args=[approval.pk]), {"decision": "approve", "lock_version": 0}
        ).status_code
        == 403
    )
    client.force_login(leader)
    home = client.get("/").content.decode()
    assert "Văn bản chờ ký duyệt" in home
    page = client.get(reverse("documents:approval", args=[approval.pk])).content.decode()
    assert "Ký duyệt" in page and "Trả lại" in page and "Lê Thị Lan" in page and "Xin ý kiến" in page
    client.post(
        reverse("documents:decide", args=[approval.pk]),
        {"decision": "return", "lock_version": 0, "comment": "Sửa mục III"},
    )
    assert Report.objects.get(pk=report.pk).status == Status.SIGN_RETURNED
    client.force_login(people["other_leader"])
    assert client.get(reverse("documents:approval", args=[approval.pk])).status_code == 404
