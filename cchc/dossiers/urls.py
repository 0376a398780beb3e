from django.urls import path

from cchc.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tre-han-chua-xin-loi/", views.late_list, name="late"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/thu-tuc/", views.procedure_search, name="procedure_search"),
    path("tiep-nhan/thu-tuc/<int:pk>/", views.procedure_pick, name="procedure_pick"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/buoc/<str:kind>/", views.dossier_action, name="action"),
    path("<int:pk>/so-hoa-thanh-toan/", views.dossier_records, name="records"),
    path("<int:pk>/mau/<str:number>/", views.dossier_form, name="form"),
    path("<int:pk>/cap-ma-tra-cuu/", views.issue_key, name="issue_key"),
    path("so-theo-doi/", views.register_form, name="register"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/moi/", views.procedure_edit, name="procedure_new"),
    path("thu-tuc/<int:pk>/sua/", views.procedure_edit, name="procedure_edit"),
    path("nap/", views.import_upload, name="import"),
    path("nap/<int:pk>/", views.import_job, name="import_job"),
    path("thong-ke/", views.stats_page, name="stats"),
    path("thong-ke.json", views.stats_json, name="stats_json"),
]
