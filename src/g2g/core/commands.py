"""Helpers shared by management commands."""

from django.core.management.base import CommandError
from django.db.models import Q

from g2g.tenancy.models import Authority


def authority_argument(text: str) -> Authority:
    """The authority a command's --authority names, by name or slug, ignoring case."""
    match = Authority.objects.filter(Q(name__iexact=text) | Q(slug__iexact=text)).first()
    if match is None:
        raise CommandError(
            f"No authority called {text!r}. Load them first: g2g load_authorities PATH"
        )
    return match
