"""Django admin, for the people who run the service (staff), not for council users."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Authority, Membership, StatisticalNeighbour


class NeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "authority"
    extra = 0


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "la_number", "ons_code", "region", "grade_overall"]
    search_fields = ["name", "la_number", "ons_code"]
    list_filter = ["region", "grade_overall"]
    inlines = [NeighbourInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "authority", "role"]
    list_filter = ["role", "authority"]
    search_fields = ["user__username", "authority__name"]
    autocomplete_fields = ["authority"]
