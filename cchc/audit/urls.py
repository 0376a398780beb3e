from django.urls import path

from cchc.audit import views

app_name = "audit"
urlpatterns = [path("nhat-ky/", views.audit_page, name="log")]
