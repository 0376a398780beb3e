from django.urls import path

from cchc.news import views

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.create, name="create"),
    path("chi-tieu/", views.quota, name="quota"),
    path("<int:item_id>/sua/", views.edit, name="edit"),
    path("<int:item_id>/xoa/", views.delete, name="delete"),
]
