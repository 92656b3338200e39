"""No lost updates: a change is saved only over the version of the object it was read at.

An object's version is the id of its latest history record (django-simple-history writes one per
save, by any writer that saves models: the admin, the services, the loader). A change form carries
the version it was opened at; saving over a newer one is refused, naming the fields changed
meanwhile with their new values, instead of silently restoring what the other curator changed.
"""

from django.core.exceptions import ValidationError


def read_version(obj) -> str:
    """The version to carry in a form: the id of ``obj``'s latest history record ("" when it has none)."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return "" if latest is None else str(latest)


def check_unchanged_since(obj, version: str) -> None:
    """Lock ``obj``'s row (until the caller's transaction ends) and raise ValidationError if it was saved after ``version``."""
    model = type(obj)
    current = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    name = model._meta.verbose_name
    if current is None:
        raise ValidationError(f"This {name} was deleted after you opened it.", code="deleted")
    now = read_version(current)
    if now == version:
        return
    if not version:
        raise ValidationError(
            f"This form does not say which version of the {name} it was opened at: reload the page and make your changes again.",
            code="no_version",
        )
    latest = current.history.order_by("-history_id").first()
    read = current.history.filter(history_id=int(version)).first() if version.isdigit() else None
    who = getattr(latest.history_user, "username", None) or "another writer"
    changed = [
        f"{field.verbose_name} (now “{_short(getattr(latest, field.attname))}”)"
        for field in model._meta.concrete_fields
        if not field.primary_key and read is not None and getattr(read, field.attname) != getattr(latest, field.attname)
    ]
    what = f" Changed meanwhile: {'; '.join(changed)}." if changed else ""
    raise ValidationError(
        f"This {name} was changed by {who} at {latest.history_date:%Y-%m-%d %H:%M:%S} UTC, after you opened it.{what} "
        "Your changes were not saved: reload the page to see the current version, and make them again.",
        code="changed_meanwhile",
    )


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "..."
