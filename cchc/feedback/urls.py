from django.urls import path

from cchc.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.create, name="create"),
    path("<int:item_id>/", views.edit, name="edit"),
    path("<int:item_id>/xoa/", views.delete, name="delete"),
]
