from django.urls import path

from cchc.index766 import views

app_name = "index766"
urlpatterns = [
    path("", views.unit_page, name="unit"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("thanh-phan/<str:code>/", views.component, name="component"),
    path("diem-co-the-mat/", views.at_stake, name="stake"),
]
