"""Page-number pagination: count/next/previous/results, page_size capped at 100, bad input is a 400."""

import pytest

from tests.api.helpers import API, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def test_pages_partition_the_list(api_client):
    everything = get_json(api_client, "/events/", page_size=100)
    pages, page = [], get_json(api_client, "/events/", page_size=7)
    assert page["previous"] is None
    while True:
        pages.extend(page["results"])
        assert page["count"] == everything["count"]
        if not page["next"]:
            break
        page = api_client.get(page["next"]).json()
    assert slugs(pages) == slugs(everything["results"])
    assert len(set(slugs(pages))) == everything["count"]


def test_default_page_size_is_20(api_client):
    data = get_json(api_client, "/actors/")
    assert len(data["results"]) == min(20, data["count"])


def test_the_cap_is_100(api_client):
    assert get_json(api_client, "/actors/", page_size=100)["results"]


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "9999"}, "page"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
@pytest.mark.parametrize("resource", ["articles", "events", "timeline", "quotes"])
def test_bad_pages_are_400s(api_client, resource, params, parameter):
    assert_problem(api_client.get(f"{API}/{resource}/", params), 400, parameter)


# --- Cursor (keyset) pagination -------------------------------------------------------------

CURSOR_LISTS = [
    ("articles", {}),  # published_at descending, undated last
    ("articles", {"ordering": "published_at"}),
    ("articles", {"ordering": "-title"}),
    ("events", {}),
    ("events", {"ordering": "-date_earliest,title"}),
    ("events", {"ordering": "date_latest", "actor": "azerbaijan"}),
    ("timeline", {}),  # earliest bound with nulls first
    ("disputes", {}),
    ("actors", {}),
    ("actors", {"ordering": "-kind"}),
    ("quotes", {}),
    ("quotes", {"ordering": "-speaker_name"}),
    ("sources", {}),
    ("programmes", {"ordering": "acronym"}),
]


def key_of(resource: str) -> str:
    return "key" if resource == "quotes" else "slug"


@pytest.mark.parametrize("resource, params", CURSOR_LISTS)
def test_cursor_pages_walk_the_list_both_ways(api_client, resource, params):
    everything = get_json(api_client, f"/{resource}/", page_size=100, **params)
    page = get_json(api_client, f"/{resource}/", page_size=3, cursor="", **params)
    assert page["previous"] is None
    forward = []
    while True:
        assert page["count"] == everything["count"]
        assert len(page["results"]) == 3 or not page["next"]
        forward += slugs(page["results"], key_of(resource))
        if not page["next"]:
            break
        assert "page=" not in page["next"]
        page = api_client.get(page["next"]).json()
    assert forward == slugs(everything["results"], key_of(resource))  # the same items in the same order: no gap, no repeat
    backward = []
    while True:
        backward = slugs(page["results"], key_of(resource)) + backward
        if not page["previous"]:
            break
        page = api_client.get(page["previous"]).json()
    assert backward == forward


def test_cursor_pages_survive_an_insertion(api_client, committed):
    from corpus.models import Article

    first = get_json(api_client, "/articles/", page_size=2, cursor="")
    Article.objects.create(slug="aaa-new", title="New", source_note="A test.", published_note="A test.", body="New.")
    committed()
    second = api_client.get(first["next"]).json()
    assert slugs(second["results"]) == slugs(get_json(api_client, "/articles/", page_size=100)["results"])[2:4]
    assert second["count"] == first["count"] + 1


def test_an_empty_cursor_page_leads_back_into_the_list(api_client, committed):
    """Rows deleted between two requests can leave a cursor's page empty; its links still lead somewhere."""
    from corpus.models import Article

    for n in (1, 2, 3):
        Article.objects.create(slug=f"zed-{n}", title=f"Zqx {n}", source_note="A test.", published_note="A test.", body="Zqx.")
    committed()
    params = {"q": "Zqx", "ordering": "title", "page_size": 2}
    first = get_json(api_client, "/articles/", cursor="", **params)
    second = api_client.get(first["next"]).json()
    assert slugs(first["results"]) == ["zed-1", "zed-2"] and slugs(second["results"]) == ["zed-3"]

    Article.objects.filter(slug="zed-3").delete()
    committed()
    after_the_end = api_client.get(first["next"]).json()
    assert after_the_end["results"] == [] and after_the_end["next"] is None
    assert slugs(api_client.get(after_the_end["previous"]).json()["results"]) == ["zed-1", "zed-2"]  # the last page

    Article.objects.create(slug="zed-3", title="Zqx 3", source_note="A test.", published_note="A test.", body="Zqx.")
    Article.objects.filter(slug__in=["zed-1", "zed-2"]).delete()
    committed()
    before_the_start = api_client.get(second["previous"]).json()
    assert before_the_start["results"] == [] and before_the_start["previous"] is None
    assert slugs(api_client.get(before_the_start["next"]).json()["results"]) == ["zed-3"]  # the first page


def _token(payload) -> str:
    import base64
    import json

    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "e30",  # {}
        _token(b"not json"),
        _token({"o": "-published_at,slug", "d": "x", "v": ["2024-03-19T04:30:00+00:00", "a"]}),  # no such direction
        _token({"o": "-published_at,slug", "d": "n", "v": ["2024-03-19T04:30:00+00:00"]}),  # a value short
        _token({"o": "-published_at,slug", "d": "n", "v": ["yesterday", "a"]}),  # not a datetime
        _token({"o": "-published_at,slug", "d": "n", "v": ["2024-03-19T04:30:00", "a"]}),  # no time zone
        _token({"o": "-published_at,slug", "d": "n", "v": [None, None]}),  # slugs are never null
        _token({"o": "-published_at,slug", "d": "n", "v": [{"a": 1}, "a"]}),
        _token({"o": "title,slug", "d": "n", "v": ["A", "a"]}),  # made for another ordering
    ],
)
def test_a_malformed_cursor_is_a_400(api_client, cursor):
    assert_problem(api_client.get(f"{API}/articles/", {"cursor": cursor}), 400, "cursor")


def test_a_cursor_is_only_valid_for_its_ordering(api_client):
    by_title = get_json(api_client, "/articles/", page_size=1, cursor="", ordering="title")
    cursor = by_title["next"].split("cursor=")[1].split("&")[0]
    assert api_client.get(f"{API}/articles/", {"cursor": cursor, "ordering": "title"}).status_code == 200
    body = assert_problem(api_client.get(f"{API}/articles/", {"cursor": cursor}), 400, "cursor")
    assert "ordering" in body["errors"]["cursor"][0]


def test_page_and_cursor_exclude_each_other(api_client):
    assert_problem(api_client.get(f"{API}/events/", {"cursor": "", "page": "1"}), 400, "cursor")


# --- count ----------------------------------------------------------------------------------


def test_the_count_follows_every_write(api_client, committed):
    from corpus.models import Article

    before = get_json(api_client, "/articles/", page_size=1)["count"]
    assert get_json(api_client, "/articles/", page_size=1, cursor="")["count"] == before
    Article.objects.create(slug="aaa-new", title="New", source_note="A test.", published_note="A test.", body="New.")
    committed()
    assert get_json(api_client, "/articles/", page_size=1)["count"] == before + 1
    assert get_json(api_client, "/articles/", page_size=1, cursor="")["count"] == before + 1


def test_each_filter_has_its_own_count(api_client):
    assert get_json(api_client, "/events/", type="visit")["count"] != get_json(api_client, "/events/")["count"]
    assert (
        get_json(api_client, "/events/", actor="nato")["count"] != get_json(api_client, "/events/", actor="azerbaijan")["count"]
    )
    assert get_json(api_client, "/events/", ordering="title")["count"] == get_json(api_client, "/events/")["count"]
