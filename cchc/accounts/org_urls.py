from django.urls import path

from cchc.accounts import org_views as views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.unit_detail, name="unit"),
]
