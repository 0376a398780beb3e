from django.urls import path

from cchc.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.year_view, name="year"),
    path("tinh-han/", views.due_date, name="due_date"),
    path("dieu-chinh/", views.overrides, name="overrides"),
    path("dieu-chinh/<int:pk>/", views.override_edit, name="override_edit"),
    path("dieu-chinh/<int:pk>/xoa/", views.override_delete, name="override_delete"),
]
