"""Uploads waiting for the user to confirm or cancel: nothing is imported before confirming."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from g2g.tenancy.access import Access, Capability

from .models import Upload

KEEP_FOR = timedelta(days=1)


def start_upload(access: Access, kind: str, file, options: dict) -> Upload:
    """Keep an uploaded file for its preview; the authority's expired uploads go now."""
    access.require(Capability.EDIT_PLAN)
    access.scope(Upload.objects.filter(created_at__lt=timezone.now() - KEEP_FOR)).delete()
    return Upload.objects.create(
        authority=access.authority,
        user=access.user,
        kind=kind,
        name=file.name[:255],
        data=file.read(),
        options=options,
    )


def own_upload(access: Access, token) -> Upload:
    """The user's own pending upload in this authority (anyone else's is "not found")."""
    access.require(Capability.EDIT_PLAN)
    fresh = Upload.objects.filter(user=access.user, created_at__gte=timezone.now() - KEEP_FOR)
    return access.get(fresh, token=token)
