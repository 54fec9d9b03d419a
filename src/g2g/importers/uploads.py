"""Uploads waiting for the user to confirm or cancel: nothing is imported before confirming, and
an upload is discarded as soon as it is confirmed or cancelled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from g2g.tenancy.access import Access, Capability

from .models import Upload

KEEP_FOR = timedelta(days=1)

T = TypeVar("T")


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


def discard_upload(access: Access, upload: Upload) -> bool:
    """Forget a pending upload (its user cancelled it, or confirmed it: see `confirm_upload`).
    False when it was gone already: confirmed or cancelled a moment ago, in another tab.

    Preconditions: `upload` came from `own_upload(access, …)`."""
    access.require(Capability.EDIT_PLAN)
    return bool(access.scope(Upload.objects.filter(pk=upload.pk)).delete()[0])


def confirm_upload(access: Access, upload: Upload, write: Callable[[], T]) -> T | None:
    """Run `write`, the import its user confirmed, and discard the upload, in one transaction.
    None, with nothing written, when the upload was gone already (confirmed twice: the first
    confirm wrote it). When `write` raises, nothing is written and the upload is kept, so its
    preview can explain why.

    Preconditions: `upload` came from `own_upload(access, …)`; `write` imports what was read
    from it, through a service that takes the same `access`."""
    with transaction.atomic():
        if not discard_upload(access, upload):
            return None
        return write()


def choose_columns(access: Access, upload: Upload, columns: dict[str, str]) -> None:
    """Keep the column mapping the improvement lead chose for a pending upload, so its preview
    and its import read the file that way.

    Preconditions: `upload` came from `own_upload(access, …)`; `columns` is clean
    (`services.clean_columns`)."""
    access.require(Capability.EDIT_PLAN)
    options = dict(upload.options)
    options["columns"] = columns
    access.scope(Upload.objects.filter(pk=upload.pk)).update(options=options)
    upload.options = options
