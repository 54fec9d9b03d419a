from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_overview, name="plan_overview"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:action_pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:action_pk>/update/", views.update_write, name="update_write"),
    path("actions/<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path("changes/", views.changes_page, name="changes"),
    path("plan-status/", views.plan_status, name="plan_status"),
]
