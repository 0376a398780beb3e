"""What the QĐ 766 index reads of a dossier, written where the counter and the handling officer work:
supplement requests counted, fee and online payment checked, three-state answers (chưa rõ stays NULL)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from cchc.core.models import AuditEvent
from cchc.dossiers import services
from cchc.dossiers.models import Channel, Dossier, EventKind
from cchc.dossiers.services import Applicant, receive, transition, update_records

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
SONTAY = "000.16.21.H42"


def _receive(clerk, unit, proc, **kw):
    return receive(
        clerk,
        unit=unit,
        procedure=proc,
        applicant=Applicant("Lê Thị Hoa"),
        received_at=datetime(2025, 9, 8, 9, 0, tzinfo=VN),
        **kw,
    )


def test_counter_dossier_starts_at_zero_and_counts_each_supplement_request(clerk, demo_org, catalogue):
    d = _receive(clerk, demo_org[SONTAY], catalogue["1.009994"])
    assert d.supplement_requests == 0
    for day in (9, 15):
        transition(
            clerk,
            d.pk,
            EventKind.SUPPLEMENT_REQUESTED,
            at=datetime(2025, 9, day, 10, 0, tzinfo=VN),
            note="Thiếu bản vẽ",
        )
        transition(clerk, d.pk, EventKind.SUPPLEMENT_RECEIVED, at=datetime(2025, 9, day + 1, 10, 0, tzinfo=VN))
    d.refresh_from_db()
    assert d.supplement_requests == 2
    counts = [
        e.data["supplement_requests"] for e in d.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED).order_by("at")
    ]
    assert counts == [1, 2]
    audited = AuditEvent.objects.filter(verb="dossiers.yc_bo_sung", object_id=str(d.pk)).order_by("pk")
    assert [a.data["supplement_requests"] for a in audited] == [1, 2]


def test_intake_fee_from_the_catalogue_and_what_the_counter_knows(clerk, demo_org, catalogue):
    proc = catalogue["2.000635"]  # chứng thực bản sao: "8.000 đồng/bản sao"
    proc.has_fee = True
    proc.save()
    d = _receive(clerk, demo_org[SONTAY], proc, records={"digitised": True, "reused_data": None})
    assert (d.fee_due, d.digitised, d.reused_data, d.paid_online, d.e_result) == (8000, True, None, None, None)
    proc.has_fee = False
    proc.save()
    assert _receive(clerk, demo_org[SONTAY], proc).fee_due == 0
    proc.has_fee = None  # the catalogue does not say: the fee is not known either
    proc.save()
    assert _receive(clerk, demo_org[SONTAY], proc).fee_due is None


def test_vneid_only_for_online_dossiers(clerk, demo_org, catalogue):
    with pytest.raises(ValidationError) as exc:
        _receive(clerk, demo_org[SONTAY], catalogue["1.004884"], records={"vneid_authenticated": True})
    assert exc.value.message_dict == {
        "vneid_authenticated": ["“Tài khoản định danh VNeID” chỉ ghi cho hồ sơ nộp trực tuyến."]
    }
    d = _receive(
        clerk, demo_org[SONTAY], catalogue["1.004884"], channel=Channel.ONLINE, records={"vneid_authenticated": True}
    )
    assert d.vneid_authenticated is True


def test_paid_online_without_a_fee_is_refused(clerk, demo_org, catalogue):
    proc = catalogue["1.000894"]  # đăng ký kết hôn: miễn lệ phí
    proc.has_fee = False
    proc.save()
    d = _receive(clerk, demo_org[SONTAY], proc)
    with pytest.raises(ValidationError) as exc:
        update_records(clerk, d.pk, {"paid_online": True})
    message = exc.value.message_dict["paid_online"][0]
    assert message.startswith("“Đã thanh toán trực tuyến”: hồ sơ chưa có phí, lệ phí phải nộp")
    with pytest.raises(ValidationError) as exc:
        update_records(clerk, d.pk, {"fee_due": -1})
    assert exc.value.message_dict == {"fee_due": ["“Phí, lệ phí phải nộp” không được âm."]}
    d.refresh_from_db()
    assert (d.fee_due, d.paid_online) == (0, None)
    update_records(clerk, d.pk, {"fee_due": 50000, "paid_online": True})
    d.refresh_from_db()
    assert (d.fee_due, d.paid_online) == (50000, True)
    event = AuditEvent.objects.get(verb="dossiers.records")
    assert event.data["changed"] == {"fee_due": {"from": 0, "to": 50000}, "paid_online": {"from": None, "to": True}}


def test_other_unit_cannot_write_records(clerk, other_clerk, demo_org, catalogue):
    d = _receive(clerk, demo_org[SONTAY], catalogue["1.004884"])
    with pytest.raises(Http404):
        update_records(other_clerk, d.pk, {"digitised": True})
    d.refresh_from_db()
    assert d.digitised is None


def test_handling_form_saves_three_states_and_null_stays_null(client, clerk, demo_org, catalogue):
    d = _receive(clerk, demo_org[SONTAY], catalogue["1.004884"], records={"digitised": True})
    client.force_login(clerk)
    page = client.get(f"/ho-so/{d.pk}/").content.decode()
    assert "<dt>Yêu cầu bổ sung</dt><dd>chưa lần nào</dd>" in page
    assert (
        "Số hóa, thanh toán và kết quả điện tử" in page and '<option value="unknown" selected>Chưa rõ</option>' in page
    )
    form = {f"hs-{k}": "unknown" for k in services.RECORD_FIELDS if k != "fee_due"}
    form.update({"hs-fee_due": "5000", "hs-digitised": "false", "hs-e_result": "true"})
    response = client.post(f"/ho-so/{d.pk}/so-hoa-thanh-toan/", form)
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.fee_due, d.digitised, d.e_result) == (5000, False, True)
    assert (d.paid_online, d.reused_data, d.stored_in_repository, d.synced_to_portal) == (None, None, None, None)
    # Refused by the service: nothing changes and the message names the field.
    form.update({"hs-fee_due": "", "hs-paid_online": "true"})
    page = client.post(f"/ho-so/{d.pk}/so-hoa-thanh-toan/", form, follow=True).content.decode()
    assert "Chưa lưu: “Đã thanh toán trực tuyến”" in page
    d.refresh_from_db()
    assert (d.fee_due, d.paid_online) == (5000, None)


def test_intake_form_records_and_unknown(client, clerk, catalogue):
    proc = catalogue["1.004884"]
    client.force_login(clerk)
    data = {"procedure": proc.pk, "channel": "truc_tiep", "applicant_name": "Trần Thị Mai", "sets": 1}
    data.update({f"giay_{p.pk}": "1" for p in proc.papers.all()})
    page = client.get("/ho-so/tiep-nhan/").content.decode()
    assert "Số hóa, thanh toán và kết quả điện tử" in page
    page = client.post("/ho-so/tiep-nhan/", {**data, "vneid_authenticated": "true"}).content.decode()
    assert "chỉ ghi cho hồ sơ nộp trực tuyến" in page and not Dossier.objects.exists()
    assert client.post("/ho-so/tiep-nhan/", {**data, "digitised": "true", "paid_online": "unknown"}).status_code == 302
    d = Dossier.objects.get()
    assert (d.supplement_requests, d.digitised, d.paid_online, d.reused_data) == (0, True, None, None)
