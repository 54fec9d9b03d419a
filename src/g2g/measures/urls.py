from django.urls import path

from . import views

urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("<int:measure_pk>/", views.measure_detail, name="measure_detail"),
    path("<int:measure_pk>/edit/", views.measure_edit, name="measure_edit"),
    path("<int:measure_pk>/values/", views.value_enter, name="value_enter"),
    path("benchmarking/", views.benchmarking, name="benchmarking"),
]
