from django.urls import reverse

from cchc.accounts.models import Role
from cchc.documents.models import Approval
from cchc.reports.models import Report, Status

from .conftest import HUONG_SON, SON_LAM, SON_TAY

PASSWORD = "Mat-khau-thu-nghiem-2026"


def test_pages_create_autosave_submit_review_download(client, demo_values, make_user):
    officer = make_user("xa-son-tay", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    client.force_login(officer)
    page = client.get(reverse("reports:index") + f"?don-vi={SON_TAY}&ky=2021-NAM")
    assert page.status_code == 200 and "Tạo báo cáo Năm 2021" in page.content.decode()
    response = client.post(reverse("reports:create"), {"don-vi": SON_TAY, "ky": "2021-NAM"})
    report = Report.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'class="chip"' in detail and "<svg" in detail and "Phụ lục" in detail
    section = report.sections.get(key="kien-nghi")
    saved = client.post(
        reverse("reports:section", args=[section.pk]),
        {"text": "Đề nghị huyện hỗ trợ máy tính.", "revision": section.revision},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "Đã lưu" in saved.content.decode()
    stale = client.post(
        reverse("reports:section", args=[section.pk]),
        {"text": "Bản cũ", "revision": section.revision},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 409 and "Nội dung của bạn chưa được lưu" in stale.content.decode()
    assert client.get(reverse("reports:submit", args=[report.pk])).status_code == 200
    asked = client.post(reverse("reports:submit", args=[report.pk]), {"comment": "Số liệu thử"})
    assert asked.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.AWAITING_SIGN
    leader = make_user("lanh-dao", Role.LEADER, demo_values[SON_TAY], full_name="Hoàng Văn Dũng")
    client.force_login(leader)
    approval = Approval.objects.get()
    assert "Xã Sơn Tây" in client.get(reverse("documents:pending")).content.decode()
    client.post(
        reverse("documents:decide", args=[approval.pk]), {"decision": "approve", "lock_version": approval.lock_version}
    )
    client.force_login(officer)
    assert "Gửi cấp trên" in client.get(reverse("reports:submit", args=[report.pk])).content.decode()
    sent = client.post(reverse("reports:submit", args=[report.pk]))
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    docx = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    assert docx.status_code == 200 and bytes(docx.content) == bytes(report.versions.get().docx)
    assert client.get(reverse("reports:download", args=[report.pk, "xlsx"])).status_code == 200
    assert client.post(reverse("reports:review", args=[report.pk]), {"decision": "accept"}).status_code == 403

    other = make_user("xa-son-lam", Role.COMMUNE_OFFICER, demo_values[SON_LAM])
    client.force_login(other)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404

    reviewer = make_user("huyen", Role.DISTRICT_REVIEWER, demo_values[HUONG_SON])
    client.force_login(reviewer)
    assert "Xã Sơn Tây" in client.get(reverse("reports:inbox")).content.decode()
    status = client.get(reverse("reports:status") + f"?don-vi={HUONG_SON}&ky=2021-NAM").content.decode()
    assert "Đã gửi 1/10 (10,00%)" in status
    client.post(reverse("reports:review", args=[report.pk]), {"decision": "return", "comment": "Bổ sung số liệu"})
    report.refresh_from_db()
    assert report.status == Status.RETURNED and report.review_comment == "Bổ sung số liệu"
