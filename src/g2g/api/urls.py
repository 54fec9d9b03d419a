from django.urls import path

from . import views

urlpatterns = [
    path("", views.token_list, name="api_tokens"),
    path("new/", views.token_create, name="api_token_create"),
    path("<int:token_pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
