"""Hồ sơ: the list, the late list, a dossier's page and its steps (the other screens of the app are the
modules beside this one: the counter, the catalogue, the forms and their PDFs, the import, the statistics)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.core import vnformat
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.params import filter_int, parse_int
from cchc.dossiers import documents, selectors, services
from cchc.dossiers.forms import ActionForm, RecordsForm
from cchc.dossiers.models import Dossier, EventKind, Field, Status
from cchc.dossiers.views.common import query_date
from cchc.org.models import Level, OrgUnit


@login_required
@require_GET
def dossier_list(request):
    g = request.GET
    f = selectors.DossierFilter(
        unit_id=filter_int(g, "don_vi"),
        field_id=filter_int(g, "linh_vuc"),
        status=g.get("trang_thai", ""),
        late=g.get("tre", ""),
        start=query_date(g.get("tu")),
        end=query_date(g.get("den")),
        text=g.get("q", "").strip(),
        held_by=request.user.pk if g.get("cua_toi") else None,
        due_today=g.get("han") == "hom_nay",
    )
    qs = selectors.dossiers_for(request.user, f)
    if g.get("sap_han"):
        qs = qs.filter(pk__in=selectors.due_soon(request.user, unit=getattr(request, "current_unit", None)))
    if wants_xlsx(request):
        return _dossiers_xlsx("Danh sách hồ sơ", qs, subtitle=_filter_words(f))
    page = Paginator(qs, 50).get_page(g.get("trang"))
    context = {
        "page": page,
        "f": f,
        "query": g.urlencode(),
        "units": scope.visible_units(request.user).filter(level=Level.COMMUNE).order_by("name"),
        "fields": Field.objects.all(),
        "statuses": Status.choices,
        "today": timezone.localdate(),
    }
    template = (
        "dossiers/_list_table.html" if request.htmx and request.htmx.target == "dossier-table" else "dossiers/list.html"
    )
    return render(request, template, context)


DOSSIER_COLUMNS = (
    Column("Mã hồ sơ", width=28),
    Column("Đơn vị tiếp nhận", width=24),
    Column("Thủ tục", width=48),
    Column("Lĩnh vực", width=20),
    Column("Kênh tiếp nhận", width=14),
    Column("Người nộp", width=24),
    Column("Ngày tiếp nhận", Kind.DATE, 14),
    Column("Ngày hẹn trả", Kind.DATE, 14),
    Column("Ngày trả kết quả", Kind.DATE, 14),
    Column("Trạng thái", width=22),
    Column("Kết quả giải quyết", width=14),
    Column("Ngày xin lỗi", Kind.DATE, 14),
)


def _dossiers_xlsx(name: str, qs, subtitle: str = ""):
    """Every dossier of the filtered list (all pages), streamed from the database in chunks."""
    from cchc.dossiers.models import Channel, Outcome

    channels, outcomes, statuses = dict(Channel.choices), dict(Outcome.choices), dict(Status.choices)
    rows = (
        (
            d.code,
            d.unit.name,
            d.procedure.name,
            d.field.name,
            channels.get(d.channel, d.channel),
            d.applicant_name,
            d.received_on,
            d.due_on,
            d.returned_on,
            statuses.get(d.status, d.status),
            outcomes.get(d.outcome, ""),
            d.apology_on,
        )
        for d in qs.iterator(chunk_size=2000)
    )
    return table_download(name, DOSSIER_COLUMNS, rows, title=name.upper(), subtitle=subtitle)


def _filter_words(f: selectors.DossierFilter) -> str:
    """The list's filters in words, printed above the downloaded table."""
    parts = []
    if f.start or f.end:
        parts.append(f"nhận từ {vnformat.format_date(f.start) or '…'} đến {vnformat.format_date(f.end) or '…'}")
    if f.status:
        parts.append(f"trạng thái: {Status(f.status).label.lower()}" if f.status in Status.values else "")
    if f.text:
        parts.append(f"tìm: “{f.text}”")
    return "; ".join(p for p in parts if p)


@login_required
@require_GET
def late_list(request):
    qs = selectors.late_without_apology(request.user)
    if wants_xlsx(request):
        return _dossiers_xlsx("Hồ sơ quá hạn chưa xin lỗi", qs)
    page = Paginator(qs, 100).get_page(request.GET.get("trang"))
    return render(request, "dossiers/late.html", {"page": page, "today": timezone.localdate()})


@login_required
@require_GET
def dossier_detail(request, pk: int):
    d = scope.access(
        Dossier.objects.select_related("unit", "procedure", "field", "holder", "holder_user"), request.user, pk=pk
    )
    actions = [(k, label) for k, label in services.allowed_actions(d) if services.can_act(request.user, d, k)]
    return render(
        request,
        "dossiers/detail.html",
        {
            "d": d,
            "events": selectors.timeline(d),
            "actions": actions,
            "state": selectors.pending_state(d),
            "form": ActionForm(),
            "papers": d.papers.all(),
            "targets": selectors.handover_targets(d) if any(k == EventKind.HANDOVER for k, _ in actions) else None,
            "import_job": d.import_job,
            "forms": documents.available_forms(d),
            "records": _records_form(request.user, d),
        },
    )


def _records_form(user, d: Dossier, data=None) -> RecordsForm | None:
    """The "Số hóa, thanh toán và kết quả điện tử" form, for those who edit the unit's dossiers."""
    if not scope.can(user, scope.Action.EDIT, d.unit_id):
        return None
    return RecordsForm(data, initial={k: getattr(d, k) for k in services.RECORD_FIELDS})


@login_required
@require_POST
def dossier_records(request, pk: int):
    """Ghi số hóa, thanh toán và kết quả điện tử của hồ sơ (three-state: "chưa rõ" stays NULL)."""
    d = scope.access(Dossier.objects.select_related("unit"), request.user, scope.Action.EDIT, pk=pk)
    form = RecordsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa lưu: " + "; ".join(" ".join(e) for e in form.errors.values()))
        return redirect("dossiers:detail", pk=pk)
    try:
        services.update_records(request.user, d.pk, {k: form.cleaned_data[k] for k in services.RECORD_FIELDS})
    except ValidationError as exc:
        messages.error(request, "Chưa lưu: " + " ".join(exc.messages))
    else:
        messages.success(request, "Đã lưu số hóa, thanh toán và kết quả điện tử của hồ sơ.")
    return redirect("dossiers:detail", pk=pk)


@login_required
@require_POST
def dossier_action(request, pk: int, kind: str):
    if kind not in services.TRANSITIONS:
        raise Http404
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Dữ liệu chưa hợp lệ: " + "; ".join(" ".join(e) for e in form.errors.values()))
        return redirect("dossiers:detail", pk=pk)
    data = form.cleaned_data
    moment = timezone.now()
    if data["day"] and data["day"] != timezone.localdate():
        moment = timezone.make_aware(datetime.combine(data["day"], time(12, 0)))
    to_unit, to_user = _handover_target(request.POST.get("to", ""))
    if kind == EventKind.HANDOVER and to_unit is None and to_user is None and request.POST.get("to_unit_code"):
        to_unit = OrgUnit.objects.filter(code=request.POST["to_unit_code"].strip()).first()
    try:
        services.transition(
            request.user,
            pk,
            kind,
            at=moment,
            note=data["note"],
            to_unit=to_unit,
            new_due_on=data["new_due_on"],
            return_method=data["return_method"],
            to_user=to_user,
        )
        messages.success(request, f"Đã ghi: {EventKind(kind).label}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dossiers:detail", pk=pk)


def _handover_target(value: str) -> tuple[OrgUnit | None, object | None]:
    """The hand-over select's value: "u<id>" a unit, "p<id>" a person (checked by the service)."""
    from django.contrib.auth import get_user_model

    kind, _, raw = value.partition(":")
    pk = parse_int(raw)
    if pk is None:
        return None, None
    if kind == "p":
        return None, get_user_model().objects.select_related("unit").filter(pk=pk).first()
    if kind == "u":
        return OrgUnit.objects.filter(pk=pk).first(), None
    return None, None
