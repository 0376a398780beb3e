"""Issue 13 item 8: the audit row of an update holds the old and the new value of what changed."""

from __future__ import annotations

from datetime import date

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.news import services
from cchc.news.services import ItemData


def _data(**kw):
    base = {"title": "Tin ban đầu", "published_on": date(2026, 3, 2), "kind": "tin", "channel": "trang_don_vi"}
    base.update(kw)
    fields = ItemData.__dataclass_fields__
    return ItemData(**{k: v for k, v in base.items() if k in fields})


def test_update_records_old_and_new(demo_org):
    actor, unit = SystemActor("cchc test"), demo_org["000.16.21.H42"]
    item = services.save_item(actor, unit, _data(), today=date(2026, 3, 10))
    created = AuditEvent.objects.get(verb="news.created")
    assert "changes" not in created.data  # a new row has no "before"
    services.save_item(
        actor, unit, _data(title="Tin đã sửa", published_on=date(2026, 3, 3)), item=item, today=date(2026, 3, 10)
    )
    updated = AuditEvent.objects.get(verb="news.updated")
    assert updated.data["changes"]["title"] == {"old": "Tin ban đầu", "new": "Tin đã sửa"}
    assert updated.data["changes"]["published_on"] == {"old": "2026-03-02", "new": "2026-03-03"}
    assert "kind" not in updated.data["changes"]
