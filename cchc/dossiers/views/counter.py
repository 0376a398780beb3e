"""Tiếp nhận hồ sơ: the one-stop counter's intake screen, its procedure search and pick, and the forms 02 and
03 it hands over for a dossier it does not receive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cchc.accounts import scope
from cchc.dossiers import documents, selectors, services
from cchc.dossiers.forms import IntakeForm
from cchc.dossiers.models import Procedure
from cchc.dossiers.views.common import work_unit
from cchc.dossiers.views.forms import document_response
from cchc.org.models import OrgUnit

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
    unit = work_unit(request)
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
    return document_response(name, data)


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
    return render(request, "dossiers/_procedure_pick.html", _pick_context(work_unit(request), proc))
