from django.urls import path

from . import views

urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("<int:inspection_pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "<int:inspection_pk>/draft-plan/",
        views.inspection_draft_plan,
        name="inspection_draft_plan",
    ),
    path("unanswered/", views.unanswered, name="unanswered_recommendations"),
]
