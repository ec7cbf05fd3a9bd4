"""The record of every edit (django-simple-history): beside each tracked model, a table of
its rows as they were after each save and before each deletion, with who and when.

The tables are made once django-modeltranslation has added the language columns (`title_en`,
`title_fr`, ...) to the models, so that they keep every language: an app's `ready()` calls
`track`, after modeltranslation's own `ready()` (it comes first in INSTALLED_APPS).

Not recorded: `QuerySet.update` and `bulk_create` (the cache stamps of `VersionedQuerySet`,
a session touched when its people change, the synthetic summit's bulk rows), which send no
signal. `updated_at` is not kept: a touch is no change."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from simple_history import register
from simple_history.utils import get_history_manager_for_model

UNTRACKED = ("updated_at",)


def track(*tracked: type[models.Model]) -> None:
    for model in tracked:
        if hasattr(model._meta, "simple_history_manager_attribute"):
            # Tracked already: the apps were made ready again (a test changing
            # INSTALLED_APPS), with the same model classes.
            continue
        names = {field.name for field in model._meta.get_fields()}
        register(
            model,
            app=model._meta.app_label,
            excluded_fields=[name for name in UNTRACKED if name in names],
        )


def history_of(model: type[models.Model]) -> Any:
    """The model's history manager (`Model.history`, added at run time)."""
    return get_history_manager_for_model(model)


# Rows deleted with their parent (a cascade) are recorded in the same moment, just before
# it; a row removed on its own some time before is not brought back with it.
TOGETHER = timedelta(seconds=10)


def latest_records(model: type[models.Model]) -> Any:
    """Each row's last record: what it is now, or what it was when it was deleted."""
    history = history_of(model)
    last = history.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    return history.filter(history_id=Subquery(last.values("history_id")[:1]))


def deleted(model: type[models.Model]) -> Any:
    """The deletion records of the rows of `model` that are gone, latest first."""
    return latest_records(model).filter(history_type="-").order_by("-history_date")


def deleted_with(record: Any, model: type[models.Model], parent: str) -> list[Any]:
    """The rows of `model` that went with the deleted row of `record` (their `parent`)."""
    return list(
        deleted(model).filter(
            **{f"{parent}_id": record.id},
            history_date__gte=record.history_date - TOGETHER,
            history_date__lte=record.history_date,
        )
    )


def reattach(instance: models.Model) -> None:
    """Point a row brought back from its history at what it referred to: a reference that
    may be emptied is emptied when its row is gone; any other refuses the restore."""
    missing = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not field.is_relation or value is None:
            continue
        target = field.related_model._default_manager.filter(pk=value)  # type: ignore[union-attr]
        if target.exists():
            continue
        if field.null:
            setattr(instance, field.attname, None)
        else:
            missing.append(_("Its %(field)s no longer exists.") % {"field": field.verbose_name})
    if missing:
        raise ValidationError(missing)


def mark_restored(instance: models.Model) -> None:
    # Read by simple-history as the record's "change reason".
    instance._change_reason = "restored"  # type: ignore[attr-defined]
