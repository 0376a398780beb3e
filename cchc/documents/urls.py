from django.urls import path

from cchc.documents import views

app_name = "documents"
urlpatterns = [
    path("cho-ky/", views.pending, name="pending"),
    path("ky-duyet/<int:pk>/", views.approval, name="approval"),
    path("ky-duyet/<int:pk>/quyet-dinh/", views.decide, name="decide"),
    path("ky-duyet/<int:pk>/ky-so/", views.sign, name="sign"),
    path("ky-duyet/<int:pk>/tai-len/", views.upload, name="upload"),
    path("ky-duyet/<int:pk>/ban-da-ky/", views.signed_file, name="signed_file"),
    path("kiem-tra-chu-ky/", views.verify, name="verify"),
]
