"""Other representations of the same data: CSV for lists, JSON-LD by content negotiation."""

import csv
import io

import pytest

from tests.api.helpers import API, assert_problem

pytestmark = pytest.mark.django_db


def test_events_as_csv_flatten_nested_objects(api_client):
    response = api_client.get(f"{API}/events/", {"format": "csv", "type": "exercise"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    exercise = next(row for row in rows if row["slug"] == "nato-exercise-outside-baku-2009")
    assert exercise["date.label"] == "April 2009"
    assert exercise["date.precision"] == "month"
    assert {row["type"] for row in rows} == {"exercise"}


def test_csv_by_accept_header(api_client):
    response = api_client.get(f"{API}/sources/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].startswith("slug,url,display,name,kind")


def test_json_ld_by_accept_header(api_client):
    response = api_client.get(f"{API}/actors/azerbaijan/", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    body = response.json()
    assert body["@context"]["@vocab"] == "https://schema.org/"
    assert body["@context"]["url"] == "@id"
    assert body["@type"] == "Country"
    assert all(item["event"]["@type"] == "Event" for item in body["events"])


def test_json_ld_list(api_client):
    body = api_client.get(f"{API}/articles/", {"format": "jsonld"}).json()
    assert body["@context"]["results"] == "itemListElement"
    assert {article["@type"] for article in body["results"]} == {"Article"}


def test_errors_stay_problem_json_whatever_the_format(api_client):
    assert_problem(api_client.get(f"{API}/events/", {"format": "csv", "type": "party"}), 400, "type")
    assert_problem(api_client.get(f"{API}/events/no-such-event/", HTTP_ACCEPT="application/ld+json"), 404)
