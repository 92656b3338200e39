"""Query parameters that hold comma-separated names (``?fields=``, ``?include=``, ``?facets=``, ``?kinds=``): parsed
one way everywhere, an unknown name a 400 naming the parameter and the choices."""

from rest_framework import serializers


def csv_param(request, name: str, allowed) -> set[str]:
    """The names in the request's ``name`` parameter (a 400 naming the parameter for one not in ``allowed``)."""
    try:
        return csv_names(request.query_params.get(name, ""), allowed)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from None


def csv_names(value: str, allowed) -> set[str]:
    """The names in a comma-separated value (a 400 for one not in ``allowed``)."""
    values = {v.strip() for v in value.split(",") if v.strip()}
    unknown = sorted(values - set(allowed))
    if unknown:
        choices = ", ".join(sorted(allowed)) or "none"
        raise serializers.ValidationError(f"Unknown name(s): {', '.join(unknown)}. Choose from: {choices}.")
    return values
