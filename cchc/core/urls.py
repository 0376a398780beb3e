from django.urls import path

from cchc.core import audit_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhat-ky/", audit_views.audit_page, name="audit"),
]
