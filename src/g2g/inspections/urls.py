from django.urls import path

from . import views

urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("<int:inspection_pk>/", views.inspection_detail, name="inspection_detail"),
    path("unanswered/", views.unanswered, name="unanswered_recommendations"),
]
