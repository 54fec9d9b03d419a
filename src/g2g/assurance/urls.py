from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("new/", views.audit_create, name="audit_create"),
    path("<int:audit_pk>/", views.audit_detail, name="audit_detail"),
    path("<int:audit_pk>/edit/", views.audit_edit, name="audit_edit"),
    path(
        "<int:audit_pk>/remedial-actions/new/",
        views.remedial_action_create,
        name="remedial_action_create",
    ),
    path(
        "remedial-actions/<int:remedial_action_pk>/edit/",
        views.remedial_action_edit,
        name="remedial_action_edit",
    ),
    path(
        "remedial-actions/<int:remedial_action_pk>/done/",
        views.remedial_action_done,
        name="remedial_action_done",
    ),
]
