"""Màn hình đánh giá (công khai, gắn với một đơn vị) và trang kết quả khảo sát (đăng nhập, theo phạm vi).

CSRF on the public JSON endpoints: the kiosk page stays open on a tablet for days and replays an
offline queue long after it was loaded, so a CSRF token tied to a session cookie would go stale and
lose ratings. The endpoints are therefore csrf-exempt but accept only ``Content-Type:
application/json`` (a cross-site form cannot send it without a CORS preflight, which we never grant)
and only from the site's own origin (``Origin``, or ``Referer`` when a browser omits it; or an origin
in ``CSRF_TRUSTED_ORIGINS``). They carry no session and grant nothing but a rating, which is itself
bounded by one-per-dossier and the per-IP rate limit.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.scope import Action, access_unit, can
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.ratelimit import FixedWindow
from cchc.core.vnformat import VietnameseParseError, format_date, parse_date
from cchc.org.models import OrgUnit
from cchc.org.selectors import load_graph
from cchc.surveys import devices, selectors, services
from cchc.surveys.models import Channel, Rating
from cchc.surveys.questions import dossier_code_format, get_set, question_sets
from cchc.surveys.services import SubmitStatus

MAX_BODY = 16 * 1024
# A busy counter gives a rating every minute or two; an offline queue replayed at once stays well under 60/60.
SURVEY_RATE_LIMIT_DEFAULT = "60/60"


def _reset_seconds() -> int:
    """Seconds the thank-you screen stays before the kiosk resets (CCHC_KIOSK_RESET_SECONDS, default 10)."""
    return int(getattr(settings, "CCHC_KIOSK_RESET_SECONDS", 10))


# ---- helpers for the public endpoints ------------------------------------------------------------
def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"status": SubmitStatus.ERROR, "message": message, **extra}, status=status)


def _same_origin(request: HttpRequest) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if not origin:
        referer = request.META.get("HTTP_REFERER")
        if not referer:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except Exception:  # DisallowedHost: answered as a foreign origin
        return False
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def _guard(request: HttpRequest, scope: str, json_body: bool) -> JsonResponse | None:
    """Rate limit, then origin and content checks; None when the request may go on."""
    limiter = FixedWindow.from_setting(f"surveys:{scope}", "CCHC_SURVEY_RATE_LIMIT", SURVEY_RATE_LIMIT_DEFAULT)
    wait = limiter.hit(request)
    if wait is not None:
        response = _error(429, f"Gửi quá nhiều lần. Xin thử lại sau {wait} giây.", retry_after=wait)
        response["Retry-After"] = str(wait)
        return response
    if not json_body:
        return None
    if not _same_origin(request):
        return _error(403, "Yêu cầu không đến từ trang đánh giá của hệ thống.")
    if request.content_type != "application/json":
        return _error(415, "Dữ liệu phải gửi dạng JSON (Content-Type: application/json).")
    if len(request.body) > MAX_BODY:
        return _error(413, f"Dữ liệu gửi lên quá lớn (tối đa {MAX_BODY // 1024} KB).")
    return None


def _payload(request: HttpRequest):
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _answer(result: services.SubmitResult) -> JsonResponse:
    status = {SubmitStatus.CREATED: 201, SubmitStatus.REPLAY: 200, SubmitStatus.DUPLICATE: 409}[result.status]
    return JsonResponse(result.as_json(), status=status)


def _invalid(exc: services.RatingInvalid) -> JsonResponse:
    return JsonResponse(
        {"status": SubmitStatus.INVALID, "message": exc.errors[0].message, "errors": [e.as_json() for e in exc.errors]},
        status=400,
    )


def _kiosk_unit(unit_code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None or not unit.is_valid_on(timezone.localdate()):
        raise Http404(f"Không có đơn vị đang hoạt động với mã “{unit_code}”.")
    return unit


# ---- kiosk ---------------------------------------------------------------------------------------
@never_cache
@require_GET
def kiosk(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Màn hình đánh giá tại Bộ phận Một cửa (máy tính bảng)."""
    unit = _kiosk_unit(unit_code)
    graph = load_graph()
    serving = selectors.serving_unit(unit, graph)
    return _render_rating_page(
        request,
        unit=serving,
        config={
            "mode": "kiosk",
            "unit": unit.code,
            "prefixes": selectors.code_prefixes(unit, graph),
            "submitUrl": reverse("kiosk:submit", args=[unit.code]),
            "checkUrl": reverse("kiosk:check", args=[unit.code]),
            "questionSet": selectors.question_set_for(serving).as_json(),
            "resetSeconds": _reset_seconds(),
            "prefill": (request.GET.get("ma") or "").strip().upper()[:80],
        },
    )


def _render_rating_page(request: HttpRequest, unit: OrgUnit, config: dict, status: int = 200) -> HttpResponse:
    fmt = dossier_code_format()
    config = {
        **config,
        "codePattern": fmt.pattern.pattern.replace("(?P<", "(?<"),
        "example": fmt.example,
        "duplicateMessage": services.DUPLICATE_MESSAGE,
    }
    return render(request, "surveys/kiosk.html", {"unit": unit, "config": config}, status=status)


@csrf_exempt
@never_cache
@require_POST
def kiosk_submit(request: HttpRequest, unit_code: str) -> JsonResponse:
    """Nhận một phiếu từ màn hình đánh giá (JSON). 201 mới, 200 gửi lại, 409 hồ sơ đã đánh giá, 400 sai."""
    refused = _guard(request, "submit", json_body=True)
    if refused:
        return refused
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None or not unit.is_valid_on(timezone.localdate()):
        return _error(404, f"Không có đơn vị đang hoạt động với mã “{unit_code}”.")
    device = devices.device_for(request.headers.get(devices.HEADER), unit)
    # Per registered tablet, else per unit for anonymous posts: many addresses cannot flood one unit.
    limiter, who = (
        (FixedWindow.from_setting("surveys:device", "CCHC_KIOSK_DEVICE_RATE_LIMIT", "60/60"), f"d{device.pk}")
        if device is not None
        else (FixedWindow.from_setting("surveys:unit", "CCHC_KIOSK_UNIT_RATE_LIMIT", "30/3600"), f"u{unit.pk}")
    )
    wait = limiter.hit(request, who)
    if wait is not None:
        response = _error(429, f"Màn hình này đã gửi quá nhiều phiếu. Xin thử lại sau {wait} giây.", retry_after=wait)
        response["Retry-After"] = str(wait)
        return response
    payload = _payload(request)
    if payload is None:
        return _error(400, "Dữ liệu gửi lên không đọc được (không phải JSON UTF-8).")
    try:
        return _answer(services.submit_rating(payload, channel=Channel.KIOSK, kiosk_unit=unit, device=device))
    except services.RatingInvalid as exc:
        return _invalid(exc)


@never_cache
@require_GET
def kiosk_check(request: HttpRequest, unit_code: str) -> JsonResponse:
    """Kiểm tra mã hồ sơ trước khi hỏi (để không bắt người dân trả lời rồi mới báo đã đánh giá)."""
    refused = _guard(request, "check", json_body=False)
    if refused:
        return refused
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None or not unit.is_valid_on(timezone.localdate()):
        return _error(404, f"Không có đơn vị đang hoạt động với mã “{unit_code}”.")
    try:
        result = services.check_code(request.GET.get("ma"), unit)
    except services.RatingInvalid as exc:
        return _invalid(exc)
    return JsonResponse(
        {"status": result.status, "message": result.message, **result.extra},
        status=409 if result.status == SubmitStatus.DUPLICATE else 200,
    )


# ---- the public link on the receipt ---------------------------------------------------------------
def _code_or_404(token: str) -> str:
    code = selectors.code_from_token(token)
    if code is None:
        raise Http404("Đường dẫn đánh giá không đúng. Xin kiểm tra lại mã QR trên giấy tiếp nhận.")
    return code


@never_cache
@require_GET
def link(request: HttpRequest, token: str) -> HttpResponse:
    """Trang đánh giá qua đường dẫn (mã QR) in trên giấy tiếp nhận hồ sơ trực tuyến, bưu chính."""
    code = _code_or_404(token)
    refused = _guard(request, "link", json_body=False)
    if refused:
        return HttpResponse(refused.content.decode(), status=429, content_type="text/plain; charset=utf-8")
    try:
        code, unit = services.check_dossier_code(code, None)
    except services.RatingInvalid as exc:
        raise Http404(exc.errors[0].message) from None
    serving = selectors.serving_unit(unit)
    rated = Rating.objects.filter(dossier_code=code).exists()
    return _render_rating_page(
        request,
        unit=serving,
        config={
            "mode": "link",
            "unit": unit.code,
            "prefixes": [unit.code],
            "submitUrl": reverse("kiosk:link_submit", args=[token]),
            "checkUrl": "",
            "questionSet": selectors.question_set_for(serving).as_json(),
            "resetSeconds": 0,
            "prefill": code,
            "alreadyRated": rated,
        },
    )


@csrf_exempt
@never_cache
@require_POST
def link_submit(request: HttpRequest, token: str) -> JsonResponse:
    refused = _guard(request, "submit", json_body=True)
    if refused:
        return refused
    code = selectors.code_from_token(token)
    if code is None:
        return _error(404, "Đường dẫn đánh giá không đúng.")
    payload = _payload(request)
    if payload is None:
        return _error(400, "Dữ liệu gửi lên không đọc được (không phải JSON UTF-8).")
    try:
        return _answer(services.submit_rating(payload, channel=Channel.LINK, fixed_code=code))
    except services.RatingInvalid as exc:
        return _invalid(exc)


# ---- results (officers) -------------------------------------------------------------------------
def _range(request: HttpRequest) -> tuple[date, date, str, list[str]]:
    """Dates from ?ky=<period code> or ?tu=&den=; default: this year's CCHC report year."""
    from cchc.indicators.periods import PeriodCodeError, spec_for

    errors: list[str] = []
    period = (request.GET.get("ky") or "").strip().upper()
    start_text, end_text = request.GET.get("tu", "").strip(), request.GET.get("den", "").strip()
    if start_text or end_text:
        try:
            start, end = parse_date(start_text), parse_date(end_text)
            if start > end:
                errors.append("Từ ngày phải trước hoặc bằng đến ngày.")
            else:
                return start, end, "", errors
        except VietnameseParseError as exc:
            errors.append(f"Khoảng ngày: {exc}")
    if not period:
        today = timezone.localdate()
        period = f"{today.year + (1 if (today.month, today.day) >= (12, 15) else 0)}-NAM"
    try:
        spec = spec_for(period)
    except PeriodCodeError as exc:
        errors.append(str(exc))
        spec = spec_for(f"{timezone.localdate().year}-NAM")
    return spec.start, spec.end, spec.code, errors


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """Kết quả khảo sát sự hài lòng của đơn vị trong kỳ."""
    unit_code = request.GET.get("don_vi")
    unit = access_unit(request.user, unit_code) if unit_code else request.current_unit
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    if not unit_code:
        unit = access_unit(request.user, unit.pk)
    # Ratings are filed under the unit of the dossier code (the commune), never under its desk: a section
    # reads the results of the unit it serves.
    unit = selectors.serving_unit(unit)
    start, end, period, errors = _range(request)
    if wants_xlsx(request) and not errors:
        return _ratings_xlsx(unit, start, end)
    data = selectors.survey_results(unit, start, end)
    return render(
        request,
        "surveys/results.html",
        {
            "unit": unit,
            "data": data,
            "period": period,
            "errors": errors,
            "start_text": format_date(start),
            "end_text": format_date(end),
            "channels": dict(Channel.choices),
            "can_edit": can(request.user, Action.EDIT, unit),
            "kiosk_url": reverse("kiosk:page", args=[selectors.serving_unit(unit).code]),
        },
    )


RATING_COLUMNS = (
    Column("Ngày đánh giá", Kind.DATE, 14),
    Column("Mã hồ sơ", width=28),
    Column("Hình thức", width=16),
    Column("Mức hài lòng chung", width=18),
    Column("Hài lòng", width=10),
    Column("Ý kiến khác", width=60),
)


def _ratings_xlsx(unit: OrgUnit, start, end) -> HttpResponse:
    """Every rating counted for the unit over the range (its units by the dated tree), one per row."""
    channels = dict(Channel.choices)

    def overall_label(r) -> str:
        qs = get_set(r.question_set)
        option = qs.overall.option(r.overall) if qs is not None else None
        return option.label if option is not None else r.overall

    rows = (
        (
            r.rated_on,
            r.dossier_code,
            channels.get(r.channel, r.channel),
            overall_label(r),
            "Có" if r.satisfied else "Không",
            r.comment,
        )
        for r in selectors.subtree_ratings(unit, start, end).order_by("rated_on", "pk").iterator(chunk_size=2000)
    )
    return table_download(
        "Phiếu đánh giá hài lòng",
        RATING_COLUMNS,
        rows,
        title=f"PHIẾU ĐÁNH GIÁ SỰ HÀI LÒNG — {unit.name}",
        subtitle=f"từ {format_date(start)} đến {format_date(end)}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_sets_view(request: HttpRequest) -> HttpResponse:
    """Bộ câu hỏi đơn vị dùng, theo ngày; cán bộ chọn bộ khác từ một ngày."""
    unit = access_unit(request.user, request.current_unit.pk) if request.current_unit else None
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    unit = selectors.serving_unit(unit)
    errors: list[str] = []
    if request.method == "POST":
        if not can(request.user, Action.EDIT, unit):
            raise PermissionDenied("Bạn không có quyền chọn bộ câu hỏi cho đơn vị này.")
        try:
            valid_from = parse_date(request.POST.get("valid_from", ""))
        except VietnameseParseError as exc:
            errors.append(f"Dùng từ ngày: {exc}")
        else:
            try:
                services.choose_question_set(request.user, unit, request.POST.get("set_code", ""), valid_from)
            except services.RatingInvalid as exc:
                errors.append(exc.errors[0].message)
            else:
                messages.success(request, f"Đã chọn bộ câu hỏi từ ngày {format_date(valid_from)}.")
                return redirect("surveys:question_sets")
    return render(
        request,
        "surveys/question_sets.html",
        {
            "unit": unit,
            "errors": errors,
            "sets": list(question_sets().values()),
            "choices": selectors.question_set_choices(unit),
            "current": selectors.question_set_for(unit),
            "can_edit": can(request.user, Action.EDIT, unit),
            "today": format_date(timezone.localdate()),
            "kiosk_url": reverse("kiosk:page", args=[unit.code]),
        },
    )
