from django.urls import path

from cchc.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.create, name="create"),
    path("<int:inspection_id>/", views.detail, name="detail"),
    path("<int:inspection_id>/sua/", views.edit, name="edit"),
    path("<int:inspection_id>/don-vi/", views.add_target, name="add_target"),
    path("<int:inspection_id>/van-de/", views.add_finding, name="add_finding"),
    path("van-de/<int:finding_id>/", views.edit_finding, name="finding"),
    path("van-de/<int:finding_id>/khac-phuc/", views.fix, name="fix"),
    path("van-de/<int:finding_id>/xoa/", views.delete_finding, name="delete_finding"),
]
