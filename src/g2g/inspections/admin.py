"""Django admin for staff."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Finding, Inspection, Judgement


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "authority", "framework", "start", "end", "overall"]
    list_filter = ["type", "authority"]
    inlines = [JudgementInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "kind", "inspection"]
    list_filter = ["kind", "inspection__authority"]
    filter_horizontal = ["actions"]
