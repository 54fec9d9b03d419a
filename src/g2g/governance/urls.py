from django.urls import path

from . import views

urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("new/", views.board_create, name="board_create"),
    path("<int:board_pk>/", views.board_detail, name="board_detail"),
    path("<int:board_pk>/edit/", views.board_edit, name="board_edit"),
    path("<int:board_pk>/priorities/", views.board_priorities, name="board_priorities"),
    path("<int:board_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:meeting_pk>/actions/new/",
        views.meeting_action_create,
        name="meeting_action_create",
    ),
    path(
        "actions/<int:meeting_action_pk>/edit/",
        views.meeting_action_edit,
        name="meeting_action_edit",
    ),
    path(
        "actions/<int:meeting_action_pk>/done/",
        views.meeting_action_done,
        name="meeting_action_done",
    ),
    path("obsessions/", views.obsession_list, name="obsession_list"),
    path("obsessions/new/", views.obsession_create, name="obsession_create"),
    path("obsessions/<int:obsession_pk>/edit/", views.obsession_edit, name="obsession_edit"),
]
