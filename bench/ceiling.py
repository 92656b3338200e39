"""The ceiling: the same response bytes served from memory by a minimal Django view.

Run under the same gunicorn settings as the service; BENCH_CEILING_FILE names a JSON file
mapping request paths to the bodies captured from the service.
"""

import json
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-ceiling",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

with open(os.environ["BENCH_CEILING_FILE"], encoding="utf-8") as handle:
    BODIES = {path: body.encode("utf-8") for path, body in json.load(handle).items()}


def serve(request):
    body = BODIES.get(request.get_full_path())
    if body is None:
        return HttpResponseNotFound()
    return HttpResponse(body, content_type="application/json")


urlpatterns = [re_path(r"", serve)]
application = get_wsgi_application()
