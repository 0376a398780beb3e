from __future__ import annotations

from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts import scope
from cchc.core import vnformat
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.params import filter_int
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.dossiers import documents, importing, selectors, services, stats
from cchc.dossiers import jobs as dossier_jobs
from cchc.dossiers.forms import ActionForm, IntakeForm, ProcedureForm, RecordsForm
from cchc.dossiers.models import Dossier, EventKind, Field, ImportJob, Procedure, Status
from cchc.jobs.views import job_context
from cchc.org.models import Level, OrgUnit


def _date(raw: str | None) -> date | None:
    try:
        return parse_date(raw) if raw and raw.strip() else None
    except VietnameseParseError:
        return None


def _work_unit(request) -> OrgUnit:
    """The unit the counter works for: the current unit, or the governing unit of a section."""
    unit = getattr(request, "current_unit", None) or request.user.unit
    if unit is None:
        raise PermissionDenied("Tài khoản chưa gắn với đơn vị.")
    if unit.level == Level.SECTION:
        from cchc.org.selectors import load_graph

        unit = OrgUnit.objects.get(pk=scope.governing_unit_id(load_graph(), unit.pk))
    return unit


# ---- dossiers ---------------------------------------------------------------------------------------------
@login_required
@require_GET
def dossier_list(request):
    g = request.GET
    f = selectors.DossierFilter(
        unit_id=filter_int(g, "don_vi"),
        field_id=filter_int(g, "linh_vuc"),
        status=g.get("trang_thai", ""),
        late=g.get("tre", ""),
        start=_date(g.get("tu")),
        end=_date(g.get("den")),
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

    kind, _, pk = value.partition(":")
    if not pk.isdigit():
        return None, None
    if kind == "p":
        return None, get_user_model().objects.select_related("unit").filter(pk=int(pk)).first()
    if kind == "u":
        return OrgUnit.objects.filter(pk=int(pk)).first(), None
    return None, None


# The counter types the applicant first; the channel (nearly always "trực tiếp" here) and the rest follow.
INTAKE_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "applicant_email",
    "channel",
    "sets",
    "note",
)


def _pick_context(unit: OrgUnit, proc: Procedure, ticked: set[int] | None = None) -> dict:
    """What the counter sees once a procedure is chosen: its papers and the appointment it would get now.
    ``ticked`` None = every paper ticked (a fresh pick); a set = the ticks the clerk sent back."""
    due_on, due_at = services.compute_due(unit, proc, timezone.localtime().replace(tzinfo=None))
    return {"p": proc, "due_on": due_on, "due_at": due_at, "papers": proc.papers.all(), "ticked": ticked}


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    unit = _work_unit(request)
    scope.require(request.user, scope.Action.EDIT, unit)
    form = IntakeForm(request.POST or None)
    missing: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proc = data["procedure"]
        chosen = [p for p in proc.papers.all() if request.POST.get(f"giay_{p.pk}")]
        missing = [p.name for p in proc.papers.all() if p not in chosen]
        decision = request.POST.get("quyet_dinh", "")
        applicant = services.Applicant(
            data["applicant_name"],
            data["applicant_id_number"],
            data["applicant_address"],
            data["applicant_phone"],
            data["applicant_email"],
        )
        try:
            if missing and decision in services.CounterSlip.values:
                return _counter_slip(request, unit, proc, applicant, decision, missing)
            if missing and decision != "van_nhan":
                # Never a code and a receipt for an incomplete dossier without the clerk deciding.
                form.add_error(
                    None, "Hồ sơ còn thiếu giấy tờ: hãy hướng dẫn bổ sung, từ chối, hoặc ghi lý do vẫn tiếp nhận."
                )
            else:
                d = services.receive(
                    request.user,
                    unit=unit,
                    procedure=proc,
                    channel=data["channel"],
                    applicant=applicant,
                    sets=data["sets"],
                    papers=[(p.name, p.kind, p.count) for p in chosen],
                    note=data["note"],
                    missing=missing,
                    missing_reason=request.POST.get("ly_do_van_nhan", ""),
                    records={k: data[k] for k in services.INTAKE_RECORD_FIELDS},
                )
                messages.success(request, f"Đã tiếp nhận hồ sơ {d.code}; hẹn trả ngày {d.due_on:%d/%m/%Y}.")
                return redirect("dossiers:detail", pk=d.pk)
        except ValidationError as exc:
            _intake_error(form, exc)
    context = {
        "form": form,
        "unit": unit,
        "fields": [form[n] for n in INTAKE_FIELDS],
        "record_fields": [form[n] for n in services.INTAKE_RECORD_FIELDS],
        "q": request.POST.get("q", ""),
        "missing": missing,
        "decision": request.POST.get("quyet_dinh", ""),
        "reasons": {k: request.POST.get(k, "") for k in ("ly_do_van_nhan", "ly_do_tu_choi")},
    }
    proc = form.cleaned_data.get("procedure") if form.is_bound else None
    if proc is not None:
        # Back with an error: the checklist comes back as the clerk left it, not reset to "all received".
        ticked = {p.pk for p in proc.papers.all() if request.POST.get(f"giay_{p.pk}")}
        context["pick"] = _pick_context(unit, proc, ticked)
    if form.is_bound:
        typed = (*INTAKE_FIELDS, *services.INTAKE_RECORD_FIELDS)
        context["error_labels"] = [form[n].label for n in ("procedure", *typed) if n in form.errors]
        # The cursor goes where the clerk has to type next: the first field in error, else the search box.
        first = next((n for n in typed if n in form.errors), None)
        if first:
            form.fields[first].widget.attrs["autofocus"] = True
        context["focus"] = form[first].auto_id if first else ("missing-guide" if missing else "proc-q")
    return render(request, "dossiers/intake.html", context)


def _intake_error(form: IntakeForm, exc: ValidationError) -> None:
    """A service refusal on the form: next to the field for the records section, else above the form."""
    fields = getattr(exc, "error_dict", {})
    if fields and set(fields) <= set(services.INTAKE_RECORD_FIELDS):
        for name, messages_ in exc.message_dict.items():
            form.add_error(name, messages_)
    else:
        form.add_error(None, " ".join(exc.messages))


def _counter_slip(request, unit: OrgUnit, proc: Procedure, applicant, slip: str, missing: list[str]):
    """Form 02 or 03 for a dossier the counter does not receive; recorded in the audit trail."""
    reason = request.POST.get("ly_do_tu_choi", "").strip()
    services.record_counter_slip(
        request.user,
        unit=unit,
        procedure=proc,
        applicant_name=applicant.name,
        slip=slip,
        missing=missing,
        reason=reason,
    )
    name, data = documents.render_counter_slip(
        unit, proc, applicant, slip, missing=missing, reason=reason, officer=request.user.display_name
    )
    return _document_response(request, name, data)


@login_required
@require_GET
def procedure_search(request):
    """HTMX: procedures matching what the clerk types (``q`` echoed so the page knows the list is current)."""
    q = request.GET.get("q", "").strip()
    items = selectors.find_procedures(q, on=timezone.localdate(), limit=15)  # tolerant: "dang ky khai snh"
    return render(request, "dossiers/_procedure_options.html", {"items": items, "q": q})


@login_required
@require_GET
def procedure_pick(request, pk: int):
    """HTMX: the chosen procedure's papers checklist and the appointment date it would get now."""
    proc = get_object_or_404(Procedure.objects.select_related("field"), pk=pk)
    return render(request, "dossiers/_procedure_pick.html", _pick_context(_work_unit(request), proc))


# ---- catalogue ------------------------------------------------------------------------------------------
@login_required
@require_GET
def procedure_list(request):
    q = request.GET.get("q", "")
    items = selectors.search_procedures(q, limit=None).prefetch_related("papers")
    page = Paginator(items, 50).get_page(request.GET.get("trang"))
    template = "dossiers/_procedure_table.html" if request.htmx else "dossiers/procedures.html"
    return render(request, template, {"page": page, "q": q, "can_edit": services.can_manage_catalogue(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def procedure_edit(request, pk: int | None = None):
    if not services.can_manage_catalogue(request.user):
        raise PermissionDenied("Bạn không có quyền sửa danh mục thủ tục.")
    proc = get_object_or_404(Procedure, pk=pk) if pk else Procedure()
    form = ProcedureForm(request.POST or None, instance=proc)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_procedure(request.user, form.save(commit=False), form.cleaned_data["papers"])
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "Đã lưu thủ tục.")
            return redirect("dossiers:procedures")
    return render(request, "dossiers/procedure_form.html", {"form": form, "proc": proc})


# ---- import ---------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if scope.unit_ids(request.user, scope.Action.EDIT) == frozenset():
        raise PermissionDenied("Bạn không có quyền nạp hồ sơ.")
    if request.method == "POST" and request.FILES.get("tep"):
        imp = dossier_jobs.start_import(request.user, request.FILES["tep"], dry_run=bool(request.POST.get("thu")))
        return redirect("dossiers:import_job", pk=imp.pk)
    jobs = ImportJob.objects.filter(user=request.user).select_related("job")[:10]
    return render(request, "dossiers/import.html", {"jobs": jobs, "columns": list(importing.COLUMNS)})


@login_required
@require_GET
def import_job(request, pk: int):
    imp = get_object_or_404(ImportJob.objects.select_related("job"), pk=pk, user=request.user)
    if imp.job is None:
        raise Http404("Lần nạp này không còn thông tin tiến độ.")
    return render(request, "dossiers/import_job.html", {"imp": imp, **job_context(imp.job)})


# ---- statistics -----------------------------------------------------------------------------------------
def _stats_args(request):
    g = request.GET
    today = timezone.localdate()
    start = _date(g.get("tu")) or today.replace(month=1, day=1)
    end = _date(g.get("den")) or today
    code = g.get("don_vi") or (_work_unit(request).code if request.user.unit_id else "")
    if not code:
        raise Http404("Chọn đơn vị.")
    unit = scope.access_unit(request.user, code)
    return unit, start, end, g.get("cap_duoi") == "1"


# A row's bar: its dossiers resolved in the period by outcome, then those still pending at its end by
# deadline (key in the stats row, label, CSS class). Shares are of resolved + pending.
BAR_PARTS = (
    ("resolved_early", "Giải quyết trước hạn", "seg-som"),
    ("resolved_on_time", "Giải quyết đúng hạn", "seg-dung"),
    ("resolved_late", "Giải quyết quá hạn", "seg-tre"),
    ("pending_within_deadline", "Đang giải quyết trong hạn", "seg-trong-han"),
    ("pending_overdue", "Đang giải quyết quá hạn", "seg-qua-han"),
)


def _bars(rows: list[dict]) -> list[dict]:
    """Stacked-bar segments of each stats row, shares rounded as the tables round them (two decimals)."""
    out = []
    for r in rows:
        total = r["resolved"] + r["pending"]
        segs = [
            {"label": label, "css": css, "n": r[key], "share": vnformat.percent(r[key], total) or 0}
            for key, label, css in BAR_PARTS
        ]
        out.append({"name": r["name"], "total": total, "segs": segs})
    return out


def _rates(rows: list[dict]) -> list[dict]:
    return [
        {
            "name": r["name"],
            "rate": r["on_time_rate"],
            "in_time": r["resolved_early"] + r["resolved_on_time"],
            "resolved": r["resolved"],
        }
        for r in rows
    ]


@login_required
@require_GET
def stats_page(request):
    """Thống kê hồ sơ: the totals and the table by unit read through the indicator store (as the reports: a
    figure the unit entered shows, "…" where there is no data); by field and by channel from the records."""
    from cchc.indicators import figures as store

    unit, start, end, desc = _stats_args(request)
    if end < start:
        messages.error(request, "Ngày cuối kỳ phải sau ngày đầu kỳ.")
        end = start
    total, lines = store.overview(unit, start, end, lower=desc)
    records = stats.stats(stats.units_for(unit, start, end, desc), start, end)  # no indicator by field/channel
    data = {**total.as_dict(), "by_field": records["by_field"], "by_channel": records["by_channel"]}
    data["by_unit"] = [{"unit": f.unit.code, "name": f.unit.name, **f.as_dict()} for f in lines]
    if wants_xlsx(request):
        mark = store.missing_mark()  # a text cell, never an empty cell read as 0

        def marked(row: dict) -> dict:
            return {k: mark if v is None else v for k, v in row.items()}

        return _stats_xlsx(unit, start, end, {**marked(data), "by_unit": [marked(r) for r in data["by_unit"]]})
    # The charts draw the units with figures; a missing part of one draws as nothing.
    drawn = [
        {**r, **{k: r[k] or 0 for k in store.KEYS}} for r in data["by_unit"] if len(r["missing"]) < len(store.KEYS)
    ]
    charts = {
        "unit": _bars(drawn),
        "field": _bars(data["by_field"]),
        "channel": _bars(data["by_channel"]),
        "rates": _rates(drawn),
    }
    return render(
        request,
        "dossiers/stats.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "desc": desc,
            "s": data,
            "keys": stats.KEYS,
            "charts": charts,
            "parts": BAR_PARTS,
            "choosable": _stat_units(request.user, unit),
            "period_code": total.period_code,
            "missing_mark": store.missing_mark(),
        },
    )


def _stat_units(user, unit: OrgUnit) -> list[OrgUnit]:
    """The units the statistics page offers by name: those the user sees, still existing ones first."""
    units = list(scope.visible_units(user).exclude(level=Level.SECTION).order_by("valid_to", "level", "name"))
    return units if unit in units else [unit, *units]


# Columns of the statistics download, in the order the page's tables show them.
STAT_COLUMNS = (
    ("carried_over", "Kỳ trước chuyển qua", Kind.INTEGER),
    ("received", "Tiếp nhận mới", Kind.INTEGER),
    ("online", "Trong đó trực tuyến", Kind.INTEGER),
    ("resolved", "Đã giải quyết", Kind.INTEGER),
    ("resolved_early", "Trước hạn", Kind.INTEGER),
    ("resolved_on_time", "Đúng hạn", Kind.INTEGER),
    ("resolved_late", "Quá hạn", Kind.INTEGER),
    ("on_time_rate", "Tỷ lệ đúng hạn", Kind.PERCENT),
    ("closed_other", "Từ chối, rút, dừng", Kind.INTEGER),
    ("pending", "Đang giải quyết cuối kỳ", Kind.INTEGER),
    ("pending_within_deadline", "Trong hạn", Kind.INTEGER),
    ("pending_overdue", "Quá hạn (đang giải quyết)", Kind.INTEGER),
    ("apologies", "Văn bản xin lỗi", Kind.INTEGER),
    ("late_without_apology", "Quá hạn chưa xin lỗi", Kind.INTEGER),
)


def _stats_xlsx(unit: OrgUnit, start: date, end: date, data: dict):
    columns = [Column("Theo", width=12), Column("Tên", width=36)] + [
        Column(label, kind, 14) for _, label, kind in STAT_COLUMNS
    ]

    def line(group: str, row: dict) -> list:
        return [group, row.get("name", unit.name)] + [row.get(key) for key, _, _ in STAT_COLUMNS]

    rows = [line("Tổng", {**data, "name": unit.name})]
    for group, key in (("Đơn vị", "by_unit"), ("Lĩnh vực", "by_field"), ("Kênh", "by_channel")):
        rows += [line(group, r) for r in data[key]]
    period = f"từ {vnformat.format_date(start)} đến {vnformat.format_date(end)}"
    return table_download("Thống kê hồ sơ", columns, rows, title=f"THỐNG KÊ HỒ SƠ TTHC — {unit.name}", subtitle=period)


@login_required
@require_GET
def stats_json(request):
    """The statistics page's figures as JSON: through the indicator store (null: no data, never 0; ``missing``
    names them), by field and by channel from the records (``records_only``)."""
    from cchc.indicators import figures as store

    unit, start, end, desc = _stats_args(request)
    if end < start:
        return JsonResponse({"error": "Ngày cuối kỳ phải sau ngày đầu kỳ."}, status=400)
    total, lines = store.overview(unit, start, end, lower=desc)
    records = stats.stats(stats.units_for(unit, start, end, desc), start, end)
    data = {k: v for k, v in total.as_dict().items() if k != "shown"}
    data["by_unit"] = [
        {"unit": f.unit.code, "name": f.unit.name, **{k: v for k, v in f.as_dict().items() if k != "shown"}}
        for f in lines
    ]
    return JsonResponse(
        {
            "unit": unit.code,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "period": total.period_code or None,
            **data,
            "by_field": records["by_field"],
            "by_channel": records["by_channel"],
            "records_only": ["by_field", "by_channel"],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _document_response(request, name: str, data: bytes):
    """DOCX by default (officers edit before signing); PDF with ?pdf=1 when LibreOffice is installed."""
    from django.http import HttpResponse

    from cchc.documents.rendering import DocumentError, docx_to_pdf

    if request.GET.get("pdf"):
        try:
            data, name = docx_to_pdf(data), name.removesuffix(".docx") + ".pdf"
        except DocumentError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        content_type = "application/pdf"
    else:
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def dossier_form(request, pk: int, number: str):
    """Một biểu mẫu của hồ sơ (01, 02, 03, 04, 06) as DOCX or PDF."""
    d = scope.access(Dossier.objects.select_related("unit", "procedure", "field"), request.user, pk=pk)
    if number not in dict(documents.available_forms(d)):
        raise Http404("Biểu mẫu này không áp dụng cho hồ sơ.")
    # The receipt's QR code carries the public lookup address: CCHC_PUBLIC_URL, else this request's.
    from cchc.core.siteurl import public_base_url

    name, data = documents.render_form(d, number, base_url=public_base_url(request), actor=request.user)
    return _document_response(request, name, data)


@login_required
@require_POST
def issue_key(request, pk: int):
    """Cấp mã tra cứu for a dossier that has none (imported from the provincial system), then back to it."""
    d = scope.access(Dossier.objects.select_related("unit"), request.user, scope.Action.EDIT, pk=pk)
    services.issue_lookup_key(d, actor=request.user)
    messages.success(request, "Đã cấp mã tra cứu; in lại giấy tiếp nhận (mẫu 01) để giao người nộp hồ sơ.")
    return redirect("dossiers:detail", pk=d.pk)


@login_required
@require_GET
def register_form(request):
    """Mẫu 07, Sổ theo dõi hồ sơ, of the current unit over ?tu=dd/mm/yyyy&den=dd/mm/yyyy."""
    try:
        start = parse_date(request.GET.get("tu", ""))
        end = parse_date(request.GET.get("den", ""))
    except VietnameseParseError as exc:
        messages.error(request, f"Sổ theo dõi hồ sơ: {exc}")
        return redirect("dossiers:list")
    if end < start or (end - start).days > 366:
        messages.error(request, "Sổ theo dõi hồ sơ: khoảng ngày phải hợp lệ và không quá một năm.")
        return redirect("dossiers:list")
    from cchc.org.selectors import load_graph

    # A one-stop clerk works in the commune's section; the register is the commune's.
    unit_id = scope.governing_unit_id(load_graph(), request.current_unit.pk)
    name, data = documents.render_register(request.user, unit_id, start, end)
    return _document_response(request, name, data)
