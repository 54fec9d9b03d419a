"""Linked identities in the Django admin: staff can see and delete (unlink) them, not make or
edit them; an identity is made only by its person's first single sign-on."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExternalIdentity


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(SimpleHistoryAdmin):
    list_display = ["user", "tenant_id", "object_id", "created", "last_used"]
    list_filter = ["tenant_id"]
    search_fields = ["user__username", "user__email", "object_id", "linked_by_email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
