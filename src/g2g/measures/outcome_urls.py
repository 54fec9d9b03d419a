from django.urls import path

from . import views

urlpatterns = [
    path("", views.outcomes_page, name="outcomes"),
    path("add/", views.outcome_write, name="outcome_add"),
    path("<int:outcome_pk>/edit/", views.outcome_write, name="outcome_edit"),
]
