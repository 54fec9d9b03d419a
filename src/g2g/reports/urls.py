from django.urls import path

from . import views

urlpatterns = [
    path("board-pack/", views.board_pack, name="board_pack"),
    path("board-pack/save/", views.board_pack_save, name="board_pack_save"),
    path("board-pack/summary/", views.board_pack_summary, name="board_pack_summary"),
    path("meetings/<int:meeting_pk>/packs/", views.meeting_packs, name="meeting_packs"),
    path(
        "meetings/<int:meeting_pk>/packs/<int:pack_pk>/remove/",
        views.meeting_pack_remove,
        name="meeting_pack_remove",
    ),
    path("board-pack/download/", views.board_pack_download, name="board_pack_download"),
    path("board-pack/files/<int:file_pk>/", views.pack_file, name="pack_file"),
    path(
        "board-pack/files/<int:file_pk>/download/",
        views.pack_file_download,
        name="pack_file_download",
    ),
    path("saved/<int:pack_pk>/", views.saved_pack_download, name="saved_pack_download"),
    path("plan/", views.plan_export, name="plan_export"),
    path("plan/word/", views.plan_export_word, name="plan_export_word"),
    path("plan/excel/", views.plan_export_excel, name="plan_export_excel"),
    path("council/", views.council_report_list, name="council_report_list"),
    path("council/<int:council_report_pk>/", views.council_report_edit, name="council_report_edit"),
    path(
        "council/<int:council_report_pk>/word/",
        views.council_report_word,
        name="council_report_word",
    ),
]
