"""SQL queries per request, for the bench: Django's test Client under CaptureQueriesContext.

Run by bench/run.py in a subprocess with the bench database's environment:
``python bench/queries.py PATH...`` prints ``{path: {"uncached": n, "warm": n}}`` as JSON.
Every query the request causes is counted, the middleware's corpus-version lookup included.
Chosen over pg_stat_statements, which needs a server restart to preload and counts every client.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}: {response.content[:300]!r}")
    return len(queries)


def main(paths: list[str]) -> dict:
    client = Client()
    result = {}
    for path in paths:
        with override_settings(API_CACHE_SECONDS=0):
            client.get(path)  # the first request of a process may load things once
            uncached = count(client, path)
        cache.clear()
        with override_settings(API_CACHE_SECONDS=300):
            client.get(path)  # primes the response cache
            warm = count(client, path)
        result[path] = {"uncached": uncached, "warm": warm}
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
