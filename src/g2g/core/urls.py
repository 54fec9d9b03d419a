from django.contrib.auth import views as auth_views
from django.urls import path

from . import session_views

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/session/", session_views.session_status, name="session_status"),
    path("account/session/extend/", session_views.session_extend, name="session_extend"),
]
