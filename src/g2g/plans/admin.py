"""Django admin for staff; every change made here is recorded in history like any other."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, FocusArea, Plan, Post, PostHolder, Priority, ProgressUpdate


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority", "status", "created_at"]
    list_filter = ["status", "authority"]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan__authority"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "title", "plan", "end"]
    list_filter = ["plan__authority"]
    search_fields = ["ref", "title", "text"]
    raw_id_fields = ["plan", "priority", "objective"]
    filter_horizontal = ["leads", "focus_areas"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "period", "action_rating", "impact_rating", "author"]
    list_filter = ["action__plan__authority", "period"]
    raw_id_fields = ["action"]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority"]
    list_filter = ["authority"]
    search_fields = ["title"]


@admin.register(PostHolder)
class PostHolderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "post", "user", "since", "until"]
    raw_id_fields = ["post", "user"]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "judgement_area", "plan"]
