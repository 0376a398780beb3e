"""Số hóa, thanh toán và kết quả điện tử của hồ sơ: the records the QĐ 766 index reads of each dossier,
written by the counter (at receipt, :func:`cchc.dossiers.services.receive`) and by the handling screen
(:func:`update_records`). NULL is "chưa rõ" and stays NULL until someone knows."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.dossiers.models import Channel, Dossier, Procedure
from cchc.indicators.services import mark_stale

# What the handling screen may set.
RECORD_FIELDS = (
    "fee_due",
    "paid_online",
    "digitised",
    "reused_data",
    "e_certified_copy",
    "e_result",
    "stored_in_repository",
    "vneid_authenticated",
    "synced_to_portal",
)
# What the counter knows when it receives a dossier (the result and its storage come later).
INTAKE_RECORD_FIELDS = ("fee_due", "paid_online", "digitised", "reused_data", "e_certified_copy", "vneid_authenticated")
_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ\b)", re.IGNORECASE)


def procedure_fee_amount(procedure: Procedure) -> int | None:
    """Phí, lệ phí of one dossier of ``procedure`` as far as the catalogue tells: 0 when it has none, the
    first amount in đồng of its fee text when it has one ("8.000 đồng/bản sao" → 8000), else unknown."""
    if procedure.has_fee is False:
        return 0
    if procedure.has_fee is None:
        return None
    found = _AMOUNT.search(procedure.fee or "")
    return int(found.group(1).replace(".", "")) if found else None


def check_records(dossier: Dossier, values: dict[str, Any]) -> None:
    """Refuse records that contradict each other, naming the field in Vietnamese (ValidationError by field)."""
    fee = values.get("fee_due", dossier.fee_due)
    if fee is not None and fee < 0:
        raise ValidationError({"fee_due": "“Phí, lệ phí phải nộp” không được âm."})
    if values.get("paid_online", dossier.paid_online) and not fee:
        raise ValidationError(
            {
                "paid_online": "“Đã thanh toán trực tuyến”: hồ sơ chưa có phí, lệ phí phải nộp; "
                "hãy ghi số tiền phí, lệ phí hoặc chọn “Không”."
            }
        )
    if values.get("vneid_authenticated", dossier.vneid_authenticated) and dossier.channel != Channel.ONLINE:
        raise ValidationError({"vneid_authenticated": "“Tài khoản định danh VNeID” chỉ ghi cho hồ sơ nộp trực tuyến."})


@transaction.atomic
def update_records(actor: Any, dossier_id: int, values: dict[str, Any]) -> Dossier:
    """Ghi số hóa, thanh toán và kết quả điện tử của hồ sơ from the handling screen. Only the fields of
    RECORD_FIELDS given in ``values`` change (None sets "chưa rõ"); audited with the old and new values."""
    dossier = scope.access(Dossier.objects.select_for_update(), actor, scope.Action.EDIT, pk=dossier_id)
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được: {', '.join(sorted(unknown))}.")
    check_records(dossier, values)
    changed = {k: (getattr(dossier, k), v) for k, v in values.items() if getattr(dossier, k) != v}
    if not changed:
        return dossier
    for k, (_, v) in changed.items():
        setattr(dossier, k, v)
    dossier.save(update_fields=list(changed))
    audit.record(
        actor,
        Verb.DOSSIER_RECORDS,
        dossier,
        unit=dossier.unit,
        data={"code": dossier.code, "changed": {k: {"from": a, "to": b} for k, (a, b) in changed.items()}},
    )
    mark_stale(dossier.unit_id, dossier.received_on)
    return dossier
