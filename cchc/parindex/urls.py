from django.urls import path

from cchc.parindex import views

app_name = "parindex"
urlpatterns = [
    path("", views.index, name="index"),
    path("canh-bao/", views.warnings, name="warnings"),
    path("bo-tieu-chi/<str:code>/", views.results, name="results"),
    path("bo-tieu-chi/<str:code>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
    path("bo-tieu-chi/<str:code>/cong-bo/", views.announce, name="announce"),
    path("bo-tieu-chi/<str:code>/bat-dau/", views.start, name="start"),
    path("danh-gia/<int:pk>/", views.assessment, name="assessment"),
    path("danh-gia/<int:pk>/tham-dinh/", views.appraisal, name="appraisal"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/", views.save_score, name="save_score"),
    path("danh-gia/<int:pk>/diem/<int:score_pk>/tai-lieu/", views.add_evidence, name="add_evidence"),
    path("danh-gia/<int:pk>/tai-lieu/<int:evidence_pk>/xoa/", views.remove_evidence, name="remove_evidence"),
    path("danh-gia/<int:pk>/buoc/<str:step>/", views.workflow, name="workflow"),
    path("danh-gia/<int:pk>/mat-diem/", views.lost, name="lost"),
    path("danh-gia/<int:pk>/khac-phuc/", views.remediation, name="remediation"),
    path("danh-gia/<int:pk>/khac-phuc/nhiem-vu/<int:task_pk>/", views.save_task, name="save_task"),
    path("danh-gia/<int:pk>/van-ban/<str:kind>.<str:fmt>", views.document, name="document"),
    path("danh-gia/<int:pk>/van-ban/<str:kind>/tao-pdf/", views.document_pdf_start, name="document_pdf_start"),
]
