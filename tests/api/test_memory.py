"""A response's objects are freed by reference counting once it is sent, not left to the garbage collector."""

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

pytestmark = pytest.mark.django_db


def serve(path: str, query: str) -> int:
    """One request as gunicorn makes it: through the WSGI handler, the body read, the response closed
    (the test client keeps references of its own to each response)."""
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": f"/api/v1{path}", "QUERY_STRING": query, "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
    }  # fmt: skip
    status = []
    # as the test client does: the test's transaction must outlive the request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda line, headers, exc_info=None: status.append(line))
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(status[0].split()[0])


@pytest.mark.parametrize(
    "path, query, entry_keys",
    [
        ("/timeline/", "page_size=50", {"participants", "programmes"}),
        ("/articles/", "page_size=50", {"authors", "published"}),
        ("/search/", "q=partnership", {"snippet", "rank"}),
    ],
)
def test_a_sent_page_is_in_no_reference_cycle(settings, path, query, entry_keys):
    """The view, its request, paginator and response refer to one another; the view lets go of them when
    the response is closed (api.v1.views.ReleasedWhenSentMixin), so no cycle keeps the page alive and
    reference counting frees it at once."""
    settings.API_CACHE_SECONDS = 0  # rendered by the view each time
    assert serve(path, query) == 200  # compiled queries, cached counts
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert serve(path, query) == 200
        gc.collect()
        # type(), not isinstance(), which would evaluate a lazy object in the garbage (e.g. django-csp's request.csp_nonce)
        in_cycles = [o for o in gc.garbage if issubclass(type(o), dict) and entry_keys <= o.keys()]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not in_cycles


def test_the_wsgi_entry_point_freezes_what_it_loaded():
    """gunicorn's workers import config.wsgi: Django, the URL conf and the views are then out of the garbage
    collector's way (gc.freeze), so a full collection does not walk them."""
    root = Path(__file__).resolve().parents[2]
    script = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 50_000
