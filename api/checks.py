"""System checks of the API (``manage.py check``, and every command that runs checks)."""

from django.core import checks


def row_renderers(app_configs=None, **kwargs) -> list[checks.Error]:
    """Every serializer a hot read renders from rows (a view's ``list_rows``/``detail_rows``, and search) compiles at the
    field sets it serves (api.v1.rows), so a field the compiler cannot render is reported here, naming the serializer
    and field, not as a 500 per request. A field set's plan is its fields' plans, so compiling all the fields and the
    default set covers every ``?fields=`` subset."""
    from api.v1 import rows, urls

    served = {}
    for _, viewset, _ in urls.router.registry:
        if getattr(viewset, "list_rows", None):
            served.setdefault(viewset.serializer_class, viewset)
        if getattr(viewset, "detail_rows", None):
            served.setdefault(viewset.detail_serializer_class or viewset.serializer_class, viewset)
    errors = []
    for serializer_class, viewset in served.items():
        optional = set(getattr(serializer_class.Meta, "optional_fields", ()))
        every = tuple(serializer_class.Meta.fields)
        for fields in {every, tuple(name for name in every if name not in optional)}:
            try:
                rows.plan(serializer_class, fields)
            except rows.CompileError as error:
                errors.append(checks.Error(str(error), obj=viewset, id="api.E001"))
                break
    try:
        rows.search_renderers()
    except rows.CompileError as error:
        errors.append(checks.Error(str(error), obj="api.v1.views.SearchView", id="api.E001"))
    return errors
