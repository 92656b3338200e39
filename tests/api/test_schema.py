"""The OpenAPI document: committed, up to date, valid; the docs pages are self-hosted."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

COMMITTED = Path(__file__).resolve().parents[2] / "api" / "openapi" / "v1.yaml"


def test_committed_schema_is_up_to_date(tmp_path):
    generated = tmp_path / "v1.yaml"
    call_command("spectacular", "--file", str(generated), "--fail-on-warn")
    assert generated.read_text() == COMMITTED.read_text(), (
        "api/openapi/v1.yaml is out of date: run `manage.py spectacular --file api/openapi/v1.yaml` and review the diff"
    )


def test_committed_schema_is_valid_openapi():
    validate(yaml.safe_load(COMMITTED.read_text()))


def test_every_list_parameter_is_described():
    schema = yaml.safe_load(COMMITTED.read_text())
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation.get("description"), path
            for parameter in operation.get("parameters", []):
                assert parameter.get("description") or parameter["in"] == "path", (path, parameter["name"])


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_use_no_external_cdn(client, db, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    hosts = set(re.findall(r"(?:src|href)=[\"'](?:https?:)?//([^/\"']+)", html))
    assert hosts <= {"testserver"}, hosts
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_every_field_is_described():
    components = yaml.safe_load(COMMITTED.read_text())["components"]["schemas"]
    for name, component in components.items():
        if name.startswith("Paginated") or "properties" not in component:
            continue
        assert component.get("description"), name
        for field, schema in component["properties"].items():
            assert schema.get("description"), f"{name}.{field}"


@pytest.mark.django_db
def test_recorded_examples_are_the_live_responses():
    """The examples in the OpenAPI document are what the service answers on the seed corpus
    (recorded on PostgreSQL; the search backend's ranking and snippets differ on SQLite)."""
    import json

    from django.db import connection

    from api.openapi.examples import RECORDED, live_responses

    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    live = live_responses()
    if connection.vendor != "postgresql":
        del recorded["search_retrieve"], live["search_retrieve"]
    stale = [operation for operation in recorded if recorded[operation] != live.get(operation)]
    assert not stale, f"run `manage.py record_api_examples` on PostgreSQL, then regenerate v1.yaml: {stale}"
    schema = yaml.safe_load(COMMITTED.read_text())
    operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    for operation_id, example in recorded.items():
        shown = operations[operation_id]["responses"]["200"]["content"]["application/json"]["examples"]
        assert shown["seed_corpus"]["value"] == example["response"]
