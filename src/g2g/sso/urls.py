from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("start/", views.start, name="start"),
    # The redirect URI registered with the provider: https://<host>/oidc/callback/
    path("callback/", views.callback, name="callback"),
]
