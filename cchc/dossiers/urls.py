from django.urls import path

from cchc.dossiers.views import catalogue, counter, dossiers, forms, imports, stats

app_name = "dossiers"
urlpatterns = [
    path("", dossiers.dossier_list, name="list"),
    path("tre-han-chua-xin-loi/", dossiers.late_list, name="late"),
    path("tiep-nhan/", counter.intake, name="intake"),
    path("tiep-nhan/thu-tuc/", counter.procedure_search, name="procedure_search"),
    path("tiep-nhan/thu-tuc/<int:pk>/", counter.procedure_pick, name="procedure_pick"),
    path("<int:pk>/", dossiers.dossier_detail, name="detail"),
    path("<int:pk>/buoc/<str:kind>/", dossiers.dossier_action, name="action"),
    path("<int:pk>/so-hoa-thanh-toan/", dossiers.dossier_records, name="records"),
    path("<int:pk>/mau/<str:number>/", forms.dossier_form, name="form"),
    path("<int:pk>/mau/<str:number>/pdf/", forms.form_pdf, name="form_pdf"),
    path("<int:pk>/mau/<str:number>/pdf/tao/", forms.form_pdf_start, name="form_pdf_start"),
    path("<int:pk>/cap-ma-tra-cuu/", forms.issue_key, name="issue_key"),
    path("so-theo-doi/", forms.register_form, name="register"),
    path("thu-tuc/", catalogue.procedure_list, name="procedures"),
    path("thu-tuc/moi/", catalogue.procedure_edit, name="procedure_new"),
    path("thu-tuc/<int:pk>/sua/", catalogue.procedure_edit, name="procedure_edit"),
    path("nap/", imports.import_upload, name="import"),
    path("nap/<int:pk>/", imports.import_job, name="import_job"),
    path("thong-ke/", stats.stats_page, name="stats"),
    path("thong-ke.json", stats.stats_json, name="stats_json"),
]
