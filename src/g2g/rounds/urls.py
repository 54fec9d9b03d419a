from django.urls import path

from . import views

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("open/", views.round_open, name="round_open"),
    path("<int:round_pk>/", views.round_detail, name="round_detail"),
    path("<int:round_pk>/mine/", views.round_mine, name="round_mine"),
    path("<int:round_pk>/sign-off/", views.round_sign_off, name="round_sign_off"),
    path("updates/<int:update_pk>/", views.update_review, name="update_review"),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
]
