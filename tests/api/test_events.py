import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db

BEGINNING = "beginning-of-azerbaijan-nato-cooperation"


def test_event_detail_lists_every_date_statement_preferred_first(api_client):
    event = get_json(api_client, f"/events/{BEGINNING}/")
    statements = event["date_statements"]
    assert len(statements) >= 2
    assert statements[0]["is_preferred"] is True
    assert not any(s["is_preferred"] for s in statements[1:])
    assert len({s["date"]["edtf"] for s in statements}) >= 2, "the sources disagree"
    assert all(s["citations"] for s in statements)
    assert event["date"]["edtf"] == statements[0]["date"]["edtf"]  # the event's date is the preferred one


def test_event_detail_has_participants_with_roles(api_client):
    event = get_json(api_client, f"/events/{BEGINNING}/")
    assert "azerbaijan" in {p["actor"]["slug"] for p in event["participants"]}
    assert all(p["role"] for p in event["participants"])
    assert {"programmes", "citations", "quotes", "country"} <= set(event)


def test_dates_render_with_label_and_precision(api_client):
    events = all_results(api_client, "/events/", date_after="2009-01-01", date_before="2009-12-31", date_match="within")
    exercise = next(e for e in events if e["slug"] == "nato-exercise-outside-baku-2009")
    assert exercise["date"] == {
        "edtf": "2009-04",
        "earliest": "2009-04-01",
        "latest": "2009-04-30",
        "precision": "month",
        "label": "April 2009",
        "text": "April 2009",
    }


def test_overlaps_finds_what_may_fall_within_and_within_what_certainly_does(api_client):
    range_ = {"date_after": "1994-01-01", "date_before": "1994-12-31"}
    may = slugs(all_results(api_client, "/events/", **range_))
    certainly = slugs(all_results(api_client, "/events/", date_match="within", **range_))
    assert BEGINNING in may  # "mid-1990s" may be 1994...
    assert BEGINNING not in certainly  # ...but is not certainly within it
    assert set(certainly) <= set(may)
    assert may == slugs(all_results(api_client, "/events/", date_match="overlaps", **range_))


def test_filter_by_type_actor_role_and_programme(api_client):
    exercises = all_results(api_client, "/events/", type="exercise")
    assert exercises and {e["type"] for e in exercises} == {"exercise"}
    with_nato = slugs(all_results(api_client, "/events/", actor="nato"))
    assert "nato-exercise-outside-baku-2009" in with_nato
    organised = slugs(all_results(api_client, "/events/", actor="nato", role="organiser"))
    assert "nato-exercise-outside-baku-2009" in organised and set(organised) <= set(with_nato)
    pfp = slugs(all_results(api_client, "/events/", programme="partnership-for-peace"))
    assert pfp


def test_ordering(api_client):
    events = all_results(api_client, "/events/", ordering="-date_earliest")
    dated = [e["date"]["earliest"] for e in events if e["date"]["earliest"]]
    assert dated == sorted(dated, reverse=True)
    assert all(e["date"]["earliest"] is None for e in events[len(dated) :])  # nulls last


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"date_after": "2009-13-45"}, "date_after"),
        ({"date_after": "2010-01-01", "date_before": "2009-01-01"}, "date_before"),
        ({"date_match": "maybe"}, "date_match"),
        ({"type": "party"}, "type"),
        ({"role": "villain"}, "role"),
        ({"actor": "nobody"}, "actor"),
        ({"ordering": "description"}, "ordering"),
    ],
)
def test_bad_filters_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/events/", params), 400, parameter)


def test_repeated_actor_keeps_events_shared_by_all(api_client):
    both = slugs(all_results(api_client, "/events/", actor=["azerbaijan", "nato"]))
    assert "nato-exercise-outside-baku-2009" in both
    assert set(both) <= set(slugs(all_results(api_client, "/events/", actor="azerbaijan")))
    assert set(both) <= set(slugs(all_results(api_client, "/events/", actor="nato")))
