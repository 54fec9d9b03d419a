"""The home pages: `home` at the root (where sign-in lands), `authority_home` under
/<authority>/home/ (included there by g2g/urls.py, so the authority is the prefix's, as for
every other authority page)."""

from django.urls import path

from . import home_views

urlpatterns = [path("", home_views.home, name="home")]

authority_urlpatterns = [path("", home_views.authority_home, name="authority_home")]
