"""?facets= counts values over the filtered list (all pages), not just the page."""

import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json

pytestmark = pytest.mark.django_db


def test_event_facets_count_the_filtered_set(api_client):
    data = get_json(api_client, "/events/", facets="type,year", actor="azerbaijan", page_size=1)
    events = all_results(api_client, "/events/", actor="azerbaijan")
    types = {row["value"]: row["count"] for row in data["facets"]["type"]}
    assert sum(types.values()) == data["count"] == len(events)
    assert types == {t: sum(e["type"] == t for e in events) for t in {e["type"] for e in events}}
    years = {row["value"]: row["count"] for row in data["facets"]["year"]}
    assert years.get(2009) == sum((e["date"]["earliest"] or "").startswith("2009") for e in events)


def test_facets_on_other_lists(api_client):
    kinds = get_json(api_client, "/actors/", facets="kind")["facets"]["kind"]
    assert {"state", "person", "organisation"} <= {row["value"] for row in kinds}
    sources = get_json(api_client, "/articles/", facets="source")["facets"]["source"]
    assert sum(row["count"] for row in sources) == 5
    speakers = get_json(api_client, "/quotes/", facets="speaker")["facets"]["speaker"]
    assert speakers[0]["value"] == "ramil-mammadli"  # the most quoted comes first
    precisions = get_json(api_client, "/timeline/", facets="precision")["facets"]["precision"]
    assert "unknown" not in {row["value"] for row in precisions}


def test_no_facets_unless_asked(api_client):
    assert "facets" not in get_json(api_client, "/events/")


@pytest.mark.parametrize("resource", ["events", "articles", "timeline"])
def test_unknown_facet_is_a_400(api_client, resource):
    assert_problem(api_client.get(f"{API}/{resource}/", {"facets": "colour"}), 400, "facets")
