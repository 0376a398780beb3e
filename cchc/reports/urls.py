from django.urls import path

from cchc.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("tao/", views.create, name="create"),
    path("tiep-nhan/", views.inbox, name="inbox"),
    path("tinh-hinh/", views.status, name="status"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/phan-dau/", views.header, name="header"),
    path("<int:pk>/gui/", views.submit, name="submit"),
    path("<int:pk>/tham-dinh/", views.review, name="review"),
    path("<int:pk>/tai/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/tao-pdf/", views.pdf_start, name="pdf_start"),
    path("<int:pk>/pdf-du-thao/<int:job_pk>/", views.draft_pdf, name="draft_pdf"),
    path("muc/<int:pk>/", views.section, name="section"),
    path("<int:pk>/chen-so-lieu/", views.figure_picker, name="figure_picker"),
]
