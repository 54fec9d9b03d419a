from django.urls import path

from . import views

urlpatterns = [
    path("", views.return_list, name="annexa_list"),
    path("upload/", views.upload_return, name="annexa_upload"),
    path("retention/", views.retention, name="annexa_retention"),
    path("<int:return_pk>/", views.return_detail, name="annexa_detail"),
    path("<int:return_pk>/publish/", views.publish, name="annexa_publish"),
    path("<int:return_pk>/data-quality.xlsx", views.quality_workbook, name="annexa_quality_xlsx"),
]
