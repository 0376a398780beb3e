from django.urls import path

from cchc.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.create, name="create"),
    path("<int:document_id>/", views.detail, name="detail"),
    path("<int:document_id>/sua/", views.edit, name="edit"),
    path("<int:document_id>/xoa/", views.delete, name="delete"),
    path("<int:document_id>/tep/", views.download, name="download"),
    path("minh-chung/gan/", views.attach, name="attach"),
    path("minh-chung/<int:link_id>/go/", views.detach, name="detach"),
]
