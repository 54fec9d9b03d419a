"""The base of every authority-owned model's queryset.

Each says how its rows reach their authority (`authority_path`), which is all the access layer
(`g2g.tenancy.access.Access.scope`) needs to restrict any query to one authority.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet


class AuthorityQuerySet(QuerySet):
    """Base for every authority-owned model's queryset: says how to reach its authority."""

    authority_path: str = "authority"

    def in_authority(self, authority: Model) -> QuerySet:
        return self.filter(**{self.authority_path: authority})


def via(path: str) -> type[AuthorityQuerySet]:
    """A queryset class for a model that reaches its authority through `path`."""
    return type(f"QuerySetVia_{path}", (AuthorityQuerySet,), {"authority_path": path})
