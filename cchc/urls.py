from django.contrib import admin
from django.urls import include, path

from cchc.api.api import api
from cchc.core.views import favicon
from cchc.jobs.views import healthz

admin.site.site_header = "cchc — Quản trị hệ thống"
admin.site.site_title = "cchc"
admin.site.index_title = "Danh mục và người dùng"

# A BadRequest (a junk integer in a form, cchc.core.params) answers its Vietnamese reason.
handler400 = "cchc.core.params.bad_request"

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, files): the local one, never a 404.
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),  # database, cache, queue: for a load balancer (cchc.jobs.health)
    path("", include("cchc.core.urls")),
    path("", include("cchc.audit.urls")),
    path("cong-viec/", include("cchc.jobs.urls")),
    path("tai-khoan/", include("cchc.accounts.urls")),
    path("don-vi/", include("cchc.accounts.org_urls")),
    path("lich-lam-viec/", include("cchc.workdays.urls")),
    path("ho-so/", include("cchc.dossiers.urls")),
    path("chi-tieu/", include("cchc.indicators.urls")),
    path("kiem-tra-bao-cao/", include("cchc.checker.urls")),
    path("khao-sat/", include("cchc.surveys.urls")),
    path("kiosk/", include("cchc.surveys.kiosk_urls")),
    path("phan-anh-kien-nghi/", include("cchc.feedback.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("van-ban-chi-dao/", include("cchc.directives.urls")),
    path("kiem-tra/", include("cchc.inspections.urls")),
    path("tin-bai/", include("cchc.news.urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("van-ban/", include("cchc.documents.urls")),
    path("chi-so-cchc/", include("cchc.parindex.urls")),
    path("chi-so-766/", include("cchc.index766.urls")),
    path("cong-khai/", include("cchc.public.urls")),
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
]
