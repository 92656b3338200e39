import pytest

from tests.api.helpers import API, all_results, assert_problem, slugs

pytestmark = pytest.mark.django_db


def test_the_timeline_is_in_date_order_with_labels(api_client):
    entries = all_results(api_client, "/timeline/")
    assert entries
    keys = [(e["date"]["earliest"] or "", e["date"]["latest"] or "9999", e["slug"]) for e in entries]
    assert keys == sorted(keys)
    assert all(e["date"]["label"] and e["date"]["precision"] != "unknown" for e in entries)
    assert all(e["date"]["earliest"] or e["date"]["latest"] for e in entries)  # undated events are left out


def test_2009_with_azerbaijan_and_nato(api_client):
    entries = all_results(api_client, "/timeline/", actor="nato", date_after="2009-01-01", date_before="2009-12-31")
    exercise = next(e for e in entries if e["slug"] == "nato-exercise-outside-baku-2009")
    assert exercise["date"]["label"] == "April 2009"
    assert {"nato", "azerbaijan"} <= {p["actor"]["slug"] for p in exercise["participants"]}


def test_filters(api_client):
    exercises = all_results(api_client, "/timeline/", type="exercise")
    assert {e["type"] for e in exercises} == {"exercise"}
    pfp = all_results(api_client, "/timeline/", programme="partnership-for-peace")
    assert all("partnership-for-peace" in slugs(e["programmes"]) for e in pfp)
    assert_problem(api_client.get(f"{API}/timeline/", {"country": "atlantis"}), 400, "country")
