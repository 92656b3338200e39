import pytest

from tests.api.helpers import API, all_results, assert_problem, get_json, slugs

pytestmark = pytest.mark.django_db


def test_the_list_has_pfp_and_ipap(api_client):
    programmes = slugs(all_results(api_client, "/programmes/"))
    assert {"partnership-for-peace", "individual-partnership-action-plan"} <= set(programmes)


def test_pfp_detail(api_client):
    pfp = get_json(api_client, "/programmes/partnership-for-peace/")
    assert pfp["owner"]["slug"] == "nato"
    assert "SNT" in [alias["name"] for alias in pfp["aliases"]]
    azerbaijan = [p for p in pfp["participations"] if p["participant"]["slug"] == "azerbaijan"]
    assert azerbaijan
    assert azerbaijan[0]["date"]["earliest"].startswith("1994")
    assert set(azerbaijan[0]["date"]) == {"edtf", "earliest", "latest", "precision", "label", "text"}
    assert azerbaijan[0]["citations"]


def test_ipap_participations_are_dated(api_client):
    ipap = get_json(api_client, "/programmes/individual-partnership-action-plan/")
    assert ipap["acronym"] == "IPAP"
    dates = [p["date"]["earliest"] for p in ipap["participations"] if p["date"]["earliest"]]
    assert dates == sorted(dates)


def test_filters(api_client):
    with_azerbaijan = slugs(all_results(api_client, "/programmes/", participant="azerbaijan"))
    assert {"partnership-for-peace", "individual-partnership-action-plan"} <= set(with_azerbaijan)
    in_1994 = slugs(all_results(api_client, "/programmes/", date_after="1994-01-01", date_before="1994-12-31"))
    assert "partnership-for-peace" in in_1994
    assert "partnership-for-peace" in slugs(all_results(api_client, "/programmes/", q="SNT"))
    plans = all_results(api_client, "/programmes/", kind="action_plan")
    assert "individual-partnership-action-plan" in slugs(plans)


@pytest.mark.parametrize(
    "params, parameter",
    [({"kind": "scheme"}, "kind"), ({"participant": "nobody"}, "participant"), ({"date_before": "1994-13"}, "date_before")],
)
def test_bad_filters_are_400s(api_client, params, parameter):
    assert_problem(api_client.get(f"{API}/programmes/", params), 400, parameter)
