"""Renderers shared by every API version: fast JSON, problem+json for errors, CSV for lists."""

import csv
import io

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer


class FastJSONRenderer(JSONRenderer):
    """JSONRenderer's exact bytes, written by orjson (about ten times faster) for bodies without floats.

    With DRF's default JSON settings both write compact UTF-8 and escape strings alike, except
    that DRF also escapes U+2028/U+2029 (done below). They differ on some floats (1e-05 is 0.00001
    for orjson), so only views whose bodies hold no floats use this renderer. Indented output
    (``Accept: application/json; indent=2``) and anything orjson cannot take go to JSONRenderer.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data)
        except TypeError:  # e.g. a lazy translation string, or a non-string key
            return super().render(data, accepted_media_type, renderer_context)
        return body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


class ProblemJSONRenderer(JSONRenderer):
    """RFC 9457 error bodies (chosen by the exception handler, never by content negotiation)."""

    media_type = "application/problem+json"


class CSVRenderer(BaseRenderer):
    """``?format=csv`` on a list: one row per result of the page, nested objects flattened.

    A nested object becomes ``field.key`` columns; a list becomes its items' ``display`` (or
    ``slug``) joined with "; ". Pagination still applies (see the page's Link header).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", [data]) if isinstance(data, dict) else data or []
        flat = [_flatten(row) for row in rows]
        columns = list(dict.fromkeys(key for row in flat for key in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode(self.charset)


def _flatten(value, prefix: str = "") -> dict:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}{key}."))
        return out
    if isinstance(value, list):
        value = "; ".join(str(_label(item)) for item in value)
    return {prefix.rstrip("."): "" if value is None else value}


def _label(item):
    if isinstance(item, dict):
        return item.get("display") or item.get("slug") or item.get("key", "")
    return item


# schema.org types by the resource an object's API url names (actors by their kind).
JSONLD_TYPES = {
    "articles": "Article",
    "sources": "Organization",
    "programmes": "Project",
    "events": "Event",
    "quotes": "Quotation",
}
ACTOR_TYPES = {"person": "Person", "organisation": "Organization", "state": "Country", "region": "Place"}
JSONLD_CONTEXT = {
    "@vocab": "https://schema.org/",
    "url": "@id",
    "slug": "identifier",
    "key": "identifier",
    "display": "alternateName",
    "results": "itemListElement",
    "count": "numberOfItems",
    "excerpt": "text",
}


class JSONLDRenderer(JSONRenderer):
    """``Accept: application/ld+json`` (or ``?format=jsonld``): the JSON body as JSON-LD.

    Every object with a ``url`` becomes a node (``url`` is its ``@id``) typed from schema.org
    by its resource; field names map to schema.org terms by ``@vocab`` (a few by alias).
    """

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if isinstance(data, dict) and (response is None or response.status_code < 400):
            data = {"@context": JSONLD_CONTEXT, **_typed(data)}
        return super().render(data, accepted_media_type, renderer_context)


def _typed(value):
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if not isinstance(value, dict):
        return value
    typed = {key: _typed(item) for key, item in value.items()}
    if isinstance(value.get("url"), str) and "/api/" in value["url"]:
        resource = value["url"].split("/api/", 1)[1].split("/")[1]
        kind = ACTOR_TYPES.get(value.get("kind")) if resource == "actors" else JSONLD_TYPES.get(resource)
        typed = {"@type": kind or "Thing", **typed}
    return typed
