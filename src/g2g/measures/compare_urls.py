from django.urls import path

from . import views

urlpatterns = [
    path("", views.how_we_compare, name="how_we_compare"),
    path("how-we-compare.csv", views.how_we_compare_csv, name="how_we_compare_csv"),
    # ?indicator=KEY: a published indicator is public reference data, the same for every
    # authority, so it is a query, not a path parameter naming an authority's object.
    path("indicator/", views.compare_indicator, name="compare_indicator"),
]
