from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import session_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("g2g.core.two_factor_urls")),
    path("account/session/", session_views.session_status, name="session_status"),
    path("account/session/extend/", session_views.session_extend, name="session_extend"),
]
