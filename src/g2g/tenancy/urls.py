from django.urls import include, path

urlpatterns = [
    path("", include("g2g.tenancy.two_factor_urls")),
]
