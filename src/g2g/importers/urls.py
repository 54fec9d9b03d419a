from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.upload_plan, name="import_plan"),
    path("inspection/", views.upload_inspection, name="import_inspection"),
    path("<uuid:upload_token>/", views.preview, name="import_preview"),
]
