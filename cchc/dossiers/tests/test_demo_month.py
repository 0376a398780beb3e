"""The demo commune's latest month: every record the QĐ 766 index reads, in varied shares, deterministic
and idempotent (run twice, nothing changes)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.dossiers.demo_month import MONTH_NOTE, fill_records, month_dossiers, month_window
from cchc.dossiers.models import OPEN_STATUSES, Dossier, DossierEvent
from cchc.dossiers.services import INTAKE_RECORD_FIELDS, Applicant, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=VN)  # a Friday: the month is November, the running one 1–4/12
FIELDS = ("code", "status", "due_on", "returned_on", "supplement_requests", *INTAKE_RECORD_FIELDS, "e_result")


def _snapshot():
    return list(Dossier.objects.order_by("code").values_list(*FIELDS)), DossierEvent.objects.count()


def test_month_window():
    assert month_window(date(2026, 12, 4)) == (date(2026, 11, 1), date(2026, 12, 4))
    assert month_window(date(2027, 1, 1)) == (date(2026, 12, 1), date(2027, 1, 1))


def test_demo_month_fills_every_record_and_runs_once(demo_org, catalogue):
    unit = demo_org["000.16.21.H42"]
    made = month_dossiers(unit, today=NOW.date(), now=NOW)
    qs = Dossier.objects.filter(unit=unit, note=MONTH_NOTE)
    before = _snapshot()
    assert made == qs.count() >= 25
    assert month_dossiers(unit, today=NOW.date(), now=NOW) == 0 and _snapshot() == before
    assert qs.filter(received_on__lt=date(2026, 11, 8)).exists() and qs.filter(received_on__gte=date(2026, 12, 1))
    assert not qs.filter(received_on__lt=date(2026, 11, 1)).exists()
    # Every record known at the counter and the portal sync; the result's only once finished.
    for name in (*INTAKE_RECORD_FIELDS, "supplement_requests", "synced_to_portal"):
        assert not qs.filter(**{f"{name}__isnull": True}).exists(), name
    assert not qs.exclude(status__in=OPEN_STATUSES).filter(e_result__isnull=True).exists()
    # Varied, realistic shares.
    assert qs.filter(supplement_requests=2).count() == 1 and qs.filter(supplement_requests=1).exists()
    assert qs.filter(paid_online=True).exists() and qs.filter(paid_online=False, fee_due__gt=0).exists()
    assert qs.filter(digitised=True).count() > 0.7 * qs.count() > qs.filter(digitised=False).count() > 0
    assert qs.filter(vneid_authenticated=True, channel="truc_tuyen").exists()
    assert not qs.filter(vneid_authenticated=True).exclude(channel="truc_tuyen").exists()
    assert qs.filter(status__in=OPEN_STATUSES, due_on__lt=NOW.date()).exists()  # a few pending past due
    assert qs.filter(e_result=True).exists() and qs.filter(e_result=False).exists()


def test_fill_records_completes_other_dossiers_once(demo_org, catalogue):
    unit = demo_org["000.16.21.H42"]
    d = receive(
        SystemActor("test"),
        unit=unit,
        procedure=catalogue["2.000815"],  # chứng thực: fee from the catalogue, maybe an e-certified copy
        applicant=Applicant("Trần Văn Bảy"),
        received_at=datetime(2026, 11, 20, 9, 0, tzinfo=VN),
        note="Hồ sơ của trang công khai",
    )
    assert d.digitised is None
    fill_records(today=NOW.date())
    d.refresh_from_db()
    assert None not in (d.fee_due, d.paid_online, d.digitised, d.reused_data, d.e_certified_copy, d.synced_to_portal)
    assert d.vneid_authenticated is False and d.e_result is None  # a counter dossier, still open
    audits = AuditEvent.objects.filter(verb="dossiers.records").count()
    fill_records(today=NOW.date())
    assert AuditEvent.objects.filter(verb="dossiers.records").count() == audits == 1
