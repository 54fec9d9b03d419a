"""The one permission layer: what each role may do, and how views reach authority data.

A view asks `access_for(request.user, slug)` for an `Access`, then reads through `access.scope(qs)`
and `access.get(qs, **lookup)`. A user with no role in the authority gets 404, exactly as for an
authority that does not exist, so ids and names of other authorities leak nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Authority, Membership, Role


class Capability(StrEnum):
    VIEW = "view"
    EDIT_PLAN = "edit_plan"
    WRITE_ANY_UPDATE = "write_any_update"
    WRITE_OWN_UPDATE = "write_own_update"
    SIGN_OFF_UPDATE = "sign_off_update"  # run monthly rounds: open them, return or sign off


# The role table (docs/roles.md shows it; tests assert it cell by cell).
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_PLAN,
            Capability.WRITE_ANY_UPDATE,
            Capability.SIGN_OFF_UPDATE,
        }
    ),
    Role.IMPROVEMENT_LEAD: frozenset(
        {
            Capability.VIEW,
            Capability.EDIT_PLAN,
            Capability.WRITE_ANY_UPDATE,
            Capability.SIGN_OFF_UPDATE,
        }
    ),
    Role.ACTION_LEAD: frozenset({Capability.VIEW, Capability.WRITE_OWN_UPDATE}),
    Role.VIEWER: frozenset({Capability.VIEW}),
    Role.REGIONAL_VIEWER: frozenset({Capability.VIEW}),
}


@dataclass(frozen=True)
class Access:
    """A signed-in user's standing in one authority."""

    user: object
    authority: Authority
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def can(self, capability: Capability) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]

    def require(self, capability: Capability) -> None:
        if not self.can(capability):
            raise PermissionDenied

    def scope(self, queryset: QuerySet) -> QuerySet:
        """Restrict any authority-owned queryset to this authority."""
        return queryset.in_authority(self.authority)

    def get(self, queryset: QuerySet | type[Model], **lookup) -> Model:
        if isinstance(queryset, type):
            queryset = queryset.objects.all()
        try:
            return self.scope(queryset).get(**lookup)
        except (queryset.model.DoesNotExist, ValueError) as missing:
            raise Http404 from missing

    def can_write_update(self, action) -> bool:
        if self.can(Capability.WRITE_ANY_UPDATE):
            return True
        return self.can(Capability.WRITE_OWN_UPDATE) and action.is_led_by(self.user)


def operator_access(authority: Authority) -> Access:
    """The service's operator at the command line (imports, exports, the demo, restores): an
    administrator's capabilities in `authority`, and no user, so history names no one."""
    return Access(user=None, authority=authority, role=Role.ADMINISTRATOR)


def accesses_for(user) -> list[Access]:
    """The user's standing in each authority they have a role in, by authority name: one query.
    For pages that span authorities (the home page); each reads through its `Access`."""
    if not user.is_authenticated or not user.is_active:
        return []
    memberships = (
        Membership.objects.select_related("authority").filter(user=user).order_by("authority__name")
    )
    return [Access(user=user, authority=m.authority, role=m.role) for m in memberships]


def access_for(user, authority_slug: str) -> Access:
    membership = (
        Membership.objects.select_related("authority")
        .filter(user=user, authority__slug=authority_slug, user__is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such authority")
    return Access(user=user, authority=membership.authority, role=membership.role)
