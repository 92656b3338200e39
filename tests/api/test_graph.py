import pytest

from tests.api.helpers import API, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def edge(graph, a, b):
    source, target = sorted([a, b])
    return next(e for e in graph["edges"] if (e["source"], e["target"]) == (source, target))


def test_azerbaijan_and_nato_are_linked_by_events_and_articles(api_client):
    graph = get_json(api_client, "/graph/")
    assert {"azerbaijan", "nato"} <= set(slugs(graph["nodes"]))
    link = edge(graph, "azerbaijan", "nato")
    assert "nato-exercise-outside-baku-2009" in link["events"]
    assert len(link["articles"]) == 5
    assert link["weight"] == len(link["events"]) + len(link["articles"])


def test_every_edge_joins_two_nodes(api_client):
    graph = get_json(api_client, "/graph/", kind="state")
    nodes = set(slugs(graph["nodes"]))
    assert {n["kind"] for n in graph["nodes"]} == {"state"}
    assert all(e["source"] in nodes and e["target"] in nodes and e["source"] < e["target"] for e in graph["edges"])
    assert "nato" not in nodes


def test_period_filter_narrows_events_and_articles(api_client):
    link = edge(get_json(api_client, "/graph/", date_after="2009-01-01", date_before="2009-12-31"), "azerbaijan", "nato")
    assert "nato-exercise-outside-baku-2009" in link["events"]
    assert link["articles"] == []  # no article in the corpus was published in 2009


@pytest.mark.parametrize(
    "params, parameter",
    [({"kind": "robot"}, "kind"), ({"date_after": "2009-02-30"}, "date_after"), ({"date_match": "x"}, "date_match")],
)
def test_bad_parameters_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/graph/", params), 400, parameter)
