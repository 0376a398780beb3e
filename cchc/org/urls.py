from django.urls import path

from cchc.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.unit_detail, name="unit"),
]
