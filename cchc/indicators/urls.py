from django.urls import path

from cchc.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("nhap/", views.enter, name="enter"),
    path("kiem-tra/", views.analysis, name="analysis"),
]
