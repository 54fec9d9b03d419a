"""Who a single sign-on identity is here, and which sign-in flows have been used.

An identity is keyed by Entra's tenant id and object id (`tid` + `oid`), never by an email
address: addresses change and can be reused, the object id of a person in a tenant does not.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ExternalIdentity(models.Model):
    """One person in one allowed tenant, linked to one user of this service.

    Made on that person's first single sign-on (see `services.user_for_claims`); afterwards the
    identity alone decides the user. Deleting it in the admin unlinks the person, whose next
    sign-on links again by email address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    tenant_id = models.CharField(max_length=64, help_text="Entra tenant id (tid)")
    object_id = models.CharField(max_length=64, help_text="Entra object id of the person (oid)")
    # The address the identity was linked by, for the record; never used to find the user again.
    linked_by_email = models.CharField(max_length=254, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used"])

    class Meta:
        verbose_name = "external identity"
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_id", "object_id"], name="sso_one_user_per_identity"
            ),
            models.UniqueConstraint(
                fields=["user", "tenant_id"], name="sso_one_identity_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.object_id} → {self.user}"


class UsedNonce(models.Model):
    """The nonce of every accepted ID token, so the same token (or a replayed sign-in flow) is
    refused even by a second request that read the session before the first one finished.
    Only a SHA-256 is kept; rows older than a day are removed as new ones are added."""

    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.digest[:12]}… {self.used_at:%Y-%m-%d %H:%M}"
