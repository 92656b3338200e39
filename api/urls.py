"""The API's versioned URL space: /api/<version>/... (URLPathVersioning reads ``version``).

Any other path under /api/ (an unknown version such as /api/v2/, an unknown resource) gets a
JSON 404 in the API's problem-details shape rather than Django's HTML page.
"""

from django.urls import include, re_path

from api.exceptions import not_found

urlpatterns = [
    re_path(r"^(?P<version>v1)/", include(("api.v1.urls", "v1"), namespace="v1")),
    # Only paths ending in "/": CommonMiddleware still redirects /api/v1/articles to /api/v1/articles/.
    re_path(r"^.*/$", not_found),
    re_path(r"^$", not_found),
]
