"""The audit log: who signed in (or failed to), who exported what, who uploaded Annex A returns.

Append-only: rows are written by `g2g.core.audit.record_event` and nothing else; saving an
existing row, `update()` and `delete()` are refused, and the admin shows them read-only. The
database refuses UPDATE and DELETE as well (triggers, `g2g.core.audit_guard`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from g2g.core.querysets import AuthorityQuerySet


class AuditEventEditRefused(Exception):
    """Audit events are a record: they are never changed or deleted through the app."""


class AuditEventQuerySet(AuthorityQuerySet):
    def update(self, **kwargs):
        raise AuditEventEditRefused("Audit events cannot be changed")

    def delete(self):
        raise AuditEventEditRefused("Audit events cannot be deleted")


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out after repeated failures"
        SIGN_OUT = "sign_out", "Signed out"
        EXPORT = "export", "Exported data"
        ANNEXA_UPLOAD = "annexa_upload", "Uploaded an Annex A return"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Set up 2-step verification"
        TWO_FACTOR_VERIFIED = "two_factor_verified", "Entered a 2-step verification code"
        TWO_FACTOR_FAILED = "two_factor_failed", "Wrong 2-step verification code"
        TWO_FACTOR_NEW_CODES = "two_factor_new_codes", "Made new backup codes"
        TWO_FACTOR_OFF = "two_factor_off", "Turned off 2-step verification"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)  # stored in UTC
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The database refuses to change a row (core.audit_guard), so deleting a user or an
    # authority leaves these ids as they were: no constraint, nothing done on delete.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The username at the time (kept if the user is later deleted); blank for a failed sign-in
    # with a username nobody has, which may be a password typed into the wrong box.
    username = models.CharField(max_length=150, blank=True)
    authority = models.ForeignKey(
        "tenancy.Authority",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["kind", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditEventEditRefused("Audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventEditRefused("Audit events cannot be deleted")
