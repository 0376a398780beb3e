from django.urls import path

from cchc.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("nhap/", views.enter, name="enter"),
    path("kiem-tra/", views.analysis, name="analysis"),
    path("kiem-tra/chay/", views.analysis_start, name="analysis_start"),
    path("kiem-tra/<int:pk>/", views.analysis_job, name="analysis_job"),
    path("nhap-tep/", views.import_file, name="import"),
    path("nhap-tep/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("nhap-tep/<int:pk>/", views.import_job, name="import_job"),
    path("xuat/", views.export_file, name="export"),
    path("them-chi-tieu/", views.add_indicators, name="add"),
]
