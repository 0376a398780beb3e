from django.urls import path

from cchc.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.results, name="results"),
    path("bo-cau-hoi/", views.question_sets_view, name="question_sets"),
]
