from django.urls import path

from cchc.surveys import views

app_name = "kiosk"
urlpatterns = [
    # The public link first: "danh-gia" would otherwise be read as a unit code.
    path("danh-gia/<str:token>/", views.link, name="link"),
    path("danh-gia/<str:token>/gui/", views.link_submit, name="link_submit"),
    path("<str:unit_code>/", views.kiosk, name="page"),
    path("<str:unit_code>/gui/", views.kiosk_submit, name="submit"),
    path("<str:unit_code>/kiem-tra/", views.kiosk_check, name="check"),
]
