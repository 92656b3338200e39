"""Small helpers shared by the API tests."""

API = "/api/v1"


def get_json(client, path: str, status: int = 200, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == status, response.content[:500]
    return response.json()


def slugs(items, key: str = "slug") -> list[str]:
    return [item[key] for item in items]


def all_results(client, path: str, **params) -> list[dict]:
    """Every result of a list, following the pages."""
    data = get_json(client, path, page_size=100, **params)
    results = data["results"]
    assert data["next"] is None, "more than 100 results: follow the pages"
    return results


def assert_problem(response, status: int, parameter: str | None = None):
    """The RFC 9457 shape every error has; for a 400, the offending parameter is named."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    if parameter is not None:
        assert parameter in body["errors"], body
        assert parameter in body["detail"]
    return body


def search(q: str, **options) -> dict:
    """corpus.selectors.search.search, asked for the columns the API renders (as SearchView asks)."""
    from api.v1.rows import search_columns
    from corpus.selectors.search import search as select

    return select(q, columns=search_columns(), **options)
