from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.upload_plan, name="import_plan"),
    path("inspection/", views.upload_inspection, name="import_inspection"),
    path("values/", views.upload_values, name="import_values"),
    path("<uuid:upload_token>/", views.preview, name="import_preview"),
]
