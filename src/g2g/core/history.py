"""The one way a service saves (or deletes) a row and names who did it in the row's history.

django-simple-history writes a history row on every save and delete and reads its author from
`_history_user`; every write service goes through `save_with_history` / `delete_with_history`
so no history row is ever anonymous by accident (a command's writes are anonymous on purpose:
`user` is None).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import Model
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

M = TypeVar("M", bound=Model)


def save_with_history(
    instance: M,
    user,
    *,
    validate: bool = False,
    exclude: Iterable[str] = (),
    update_fields: Iterable[str] | None = None,
    links: Mapping[str, Iterable[Model]] | None = None,
    reason: str | None = None,
    recorded: Mapping[str, Any] | None = None,
) -> M:
    """Save `instance` with `user` as the author of its history entry. `validate` runs the
    model's own field checks first (`full_clean`, leaving out `exclude`); `update_fields` saves
    only those fields.

    `links` sets many-to-many fields (by name) as part of the same change: the row and its
    links are written first with no history, then one history entry records them together (a
    new row's entry says it was created), instead of one entry for the save and one more for
    each field set.

    `reason` is the history entry's change reason; `recorded` sets fields the history model has
    of its own (an end date's `change_agreed_by`) on the entry this save writes."""
    instance._history_user = user
    instance._change_reason = reason or None
    instance._history_recorded = dict(recorded or {})
    try:
        return _save(instance, validate, exclude, update_fields, links)
    finally:
        del instance._change_reason, instance._history_recorded


@receiver(pre_create_historical_record)
def _record_history_fields(sender, instance, history_instance, **kwargs) -> None:
    for name, value in getattr(instance, "_history_recorded", {}).items():
        setattr(history_instance, name, value)


def _save(instance, validate, exclude, update_fields, links):
    if validate:
        instance.full_clean(exclude=list(exclude))
    fields = None if update_fields is None else list(update_fields)
    if not links:
        instance.save(update_fields=fields)
        return instance
    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save(update_fields=fields)
        for name, objects in links.items():
            getattr(instance, name).set(objects)
    finally:
        del instance.skip_history_when_saving
    post_save.send(sender=type(instance), instance=instance, created=created)
    return instance


def delete_with_history(instance: Model, user) -> None:
    """Delete `instance`; its history's last entry says `user` deleted it."""
    instance._history_user = user
    instance.delete()


def stripped(changes: dict) -> dict:
    """Form or API values with surrounding spaces removed from the text ones."""
    return {
        key: value.strip() if isinstance(value, str) else value for key, value in changes.items()
    }
