"""The OpenAPI document's examples are real responses from the seed corpus.

``EXAMPLE_REQUESTS`` names, per operation, the request whose response is its example. The
responses are recorded in ``examples.json`` (``manage.py record_api_examples``) so that schema
generation needs no database; a test fails when a recording no longer equals the live response.
"""

import json
from pathlib import Path

RECORDED = Path(__file__).with_name("examples.json")
EXAMPLE_HOST = "127.0.0.1:8000"  # the address `make serve` serves on

EXAMPLE_REQUESTS = {
    "articles_list": "/api/v1/articles/?page_size=2",
    "articles_retrieve": "/api/v1/articles/azerbaijan-steps-up-cooperation-with-nato/",
    "sources_list": "/api/v1/sources/?page_size=2",
    "sources_retrieve": "/api/v1/sources/rferl-blog/",
    "actors_list": "/api/v1/actors/?kind=person&page_size=2",
    "actors_retrieve": "/api/v1/actors/araz-azimov/",
    "programmes_list": "/api/v1/programmes/?page_size=2",
    "programmes_retrieve": "/api/v1/programmes/individual-partnership-action-plan/",
    "events_list": "/api/v1/events/?type=exercise&page_size=2",
    "events_retrieve": "/api/v1/events/nato-exercise-outside-baku-2009/",
    "quotes_list": "/api/v1/quotes/?speaker=jasur-mammadov&page_size=1",
    "quotes_retrieve": "/api/v1/quotes/quote:azerbaijan-nato-relations-result-of-bakus-balanced-foreign-policy:1830-2167/",
    "timeline_list": "/api/v1/timeline/?date_after=2009-01-01&date_before=2009-12-31&page_size=2",
    "disputes_list": "/api/v1/disputes/?page_size=1",
    "search_retrieve": "/api/v1/search/?q=IPAP&limit=2",
    "graph_retrieve": "/api/v1/graph/?kind=person&date_after=2020-01-01",
}


def live_responses() -> dict[str, dict]:
    """Each example request answered by this service from the current database."""
    from django.test import Client

    client = Client(HTTP_HOST=EXAMPLE_HOST, HTTP_ACCEPT="application/json")
    recorded = {}
    for operation_id, path in EXAMPLE_REQUESTS.items():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
        recorded[operation_id] = {"request": path, "response": response.json()}
    return recorded


def add_examples(result, generator, request, public):
    """drf-spectacular postprocessing hook: attach each recorded response to its operation."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    for path_item in result["paths"].values():
        for operation in path_item.values():
            example = recorded.get(operation.get("operationId"))
            if example is None:
                continue
            content = operation["responses"]["200"]["content"]["application/json"]
            content["examples"] = {"seed_corpus": {"summary": f"GET {example['request']}", "value": example["response"]}}
    return result
