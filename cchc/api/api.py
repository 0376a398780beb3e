"""The JSON API (django-ninja, OpenAPI at /api/openapi.json, docs at /api/docs served from local files).

Each app contributes a router through ``cchc.core.registry.register_api_router`` in its
``AppConfig.ready``; this module mounts them. Errors are answered as ``{"detail": "…"}`` in Vietnamese.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from cchc import __version__
from cchc.api.auth import AUTH
from cchc.core.errors import CchcError
from cchc.core.registry import api_routers

api = NinjaAPI(
    title="cchc API",
    version=__version__,
    description="Số liệu cải cách hành chính: đơn vị, lịch làm việc, hồ sơ, chỉ tiêu. Xác thực: Bearer token "
    "(khóa API) hoặc phiên đăng nhập. / CCHC figures: units, calendar, dossiers, indicators.",
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(CchcError)
def product_error(request, exc: CchcError):
    """The product's errors (cchc.core.errors): 400, 403, 404 or 409 with their Vietnamese message."""
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Cần đăng nhập hoặc khóa API hợp lệ."}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', []) if p not in ('query', 'path', 'body'))}: {e.get('msg', '')}"
        for e in exc.errors
    )
    return api.create_response(request, {"detail": f"Dữ liệu không hợp lệ — {problems}"}, status=422)


for prefix, router in api_routers():
    api.add_router(prefix, router)
