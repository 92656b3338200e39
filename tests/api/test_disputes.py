import pytest

from tests.api.helpers import all_results

pytestmark = pytest.mark.django_db


def test_disputed_events_list_every_statement_with_citations(api_client):
    disputes = {d["slug"]: d for d in all_results(api_client, "/disputes/")}
    beginning = disputes["beginning-of-azerbaijan-nato-cooperation"]
    statements = beginning["date_statements"]
    assert len({s["date"]["edtf"] for s in statements}) >= 2
    assert statements[0]["is_preferred"]
    assert all(citation["excerpt"] for s in statements for citation in s["citations"])
    for dispute in disputes.values():
        assert len({s["date"]["edtf"] for s in dispute["date_statements"]}) >= 2


def test_undisputed_events_are_not_listed(api_client):
    disputed = {d["slug"] for d in all_results(api_client, "/disputes/")}
    events = all_results(api_client, "/events/")
    assert len(disputed) < len(events)
