import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def test_the_list_has_the_main_actors(api_client):
    actors = slugs(all_results(api_client, "/actors/"))
    assert {"azerbaijan", "nato", "turkey", "ramil-mammadli"} <= set(actors)


def test_azerbaijan_detail(api_client):
    azerbaijan = get_json(api_client, "/actors/azerbaijan/")
    assert azerbaijan["kind"] == "state"
    assert "Baku" in [alias["name"] for alias in azerbaijan["aliases"]]
    assert azerbaijan["events"], "Azerbaijan takes part in events"
    assert all({"event", "role", "citations"} == set(item) for item in azerbaijan["events"])
    assert "beginning-of-azerbaijan-nato-cooperation" in {item["event"]["slug"] for item in azerbaijan["events"]}
    assert len(slugs(azerbaijan["articles"])) == 5


def test_turkey_is_also_turkiye(api_client):
    turkey = get_json(api_client, "/actors/turkey/")
    assert "Türkiye" in [alias["name"] for alias in turkey["aliases"]]


def test_a_persons_affiliations_cite_their_sources(api_client):
    expert = get_json(api_client, "/actors/ramil-mammadli/")
    assert expert["kind"] == "person"
    for affiliation in expert["affiliations"]:
        assert {"organisation", "role", "date", "citations"} <= set(affiliation)
        for citation in affiliation["citations"]:
            assert set(citation) == {"article", "excerpt", "start", "end"}
            assert set(citation["article"]) >= {"slug", "title", "url"}


def test_filters(api_client):
    states = all_results(api_client, "/actors/", kind="state")
    assert "azerbaijan" in slugs(states) and {a["kind"] for a in states} == {"state"}
    assert "turkey" in slugs(all_results(api_client, "/actors/", q="türkiye"))
    assert "turkey" in slugs(all_results(api_client, "/actors/", q="TURKIYE"))
    assert "azerbaijan" in slugs(all_results(api_client, "/actors/", programme="partnership-for-peace"))
    in_event = slugs(all_results(api_client, "/actors/", event="beginning-of-azerbaijan-nato-cooperation"))
    assert "azerbaijan" in in_event


@pytest.mark.parametrize(
    "params, parameter",
    [({"kind": "robot"}, "kind"), ({"programme": "nope"}, "programme"), ({"ordering": "description"}, "ordering")],
)
def test_bad_filters_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/actors/", params), 400, parameter)


def test_unknown_actor_is_a_problem_404(api_client):
    body = assert_problem(api_client.get(f"{API}/actors/no-such-actor/"), 404)
    assert body["detail"] == "No actor with slug 'no-such-actor'."
