from django.urls import path

from . import views

urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("<int:measure_pk>/", views.measure_detail, name="measure_detail"),
    path("benchmarking/", views.benchmarking, name="benchmarking"),
]
