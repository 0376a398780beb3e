from django.urls import path

from cchc.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.plan_create, name="plan_create"),
    path("qua-han/", views.overdue, name="overdue"),
    path("tong-hop-tuan/", views.weekly, name="weekly"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:plan_id>/nhiem-vu/them/", views.task_create, name="task_create"),
    path("<int:plan_id>/nap-tep/", views.import_upload, name="import"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:task_id>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:task_id>/tien-do/", views.task_status, name="task_status"),
    path("nhiem-vu/<int:task_id>/xoa/", views.task_delete, name="task_delete"),
]
