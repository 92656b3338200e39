"""Conditional GET and a response cache for the API, both keyed by the corpus version and the database's epoch.

Every write bumps ``CorpusVersion`` as it commits (triggers on every corpus table:
corpus/version_triggers.py), so a response's ETag is derived from the version and the request,
not from its body: a matching ``If-None-Match`` gets 304 before any view runs, and a cached body
is never served after a write, whether the ORM, a bulk update or raw SQL made it. The key also
holds the database's random epoch (corpus/services/epoch.py), which a restore renews, and the
Host the body's links were built for.

The middleware sits before the session, CSRF, auth and messages middleware (config/settings.py),
so a cache hit costs one cache read and little else (on PostgreSQL the corpus version comes from
memory: corpus/services/version_watch.py); it sits after CORS, so hits still carry CORS
headers, and before GZip, so a compressed body is cached compressed. With Redis as the shared
cache, each process also keeps the responses it serves in its own memory (a key never changes
its response), so a repeated hit costs no round trip.
Requests that carry credentials (a session cookie or an Authorization header) bypass it: the
browsable API shows a signed-in curator their own page. That buys no bypass of the throttle: credentials
that are not valid are a 401 (api/authentication.py) and valid ones have their own throttle (api/throttling.py).
The API docs pages bypass it too: each carries a fresh Content-Security-Policy nonce (config/settings.py).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import http_date, parse_http_date_safe

from api.exceptions import problem
from api.renderers import ProblemJSONRenderer
from corpus.services import epoch
from corpus.services.version_watch import watch

UNCACHED_HEADERS = {"set-cookie", "etag", "last-modified", "cache-control"}


class CorpusCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            return self.get_response(request)
        stamp = watch.stamp()  # from memory, kept current by LISTEN/NOTIFY on PostgreSQL
        # Both also key the cached list counts (api.pagination) and compiled list SQL (api.v1.prepared).
        request.corpus_version, request.corpus_epoch = stamp.version, epoch.memo.for_stamp(stamp)
        gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        # The host too: links in a body are built for it (and get_host() refuses a Host not in ALLOWED_HOSTS).
        variant = (
            f"{request.corpus_epoch}|{stamp.version}|{request.get_host()}|{request.get_full_path()}"
            f"|{request.headers.get('Accept', '')}|{gzip}"
        )
        digest = hashlib.sha256(variant.encode()).hexdigest()[:32]
        etag, last_modified = f'"{digest}"', int(stamp.changed_at.timestamp())
        if self.not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
        else:
            response = self.cached(digest) or self.render(request, digest)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        return response

    @staticmethod
    def applies_to(request) -> bool:
        """Anonymous reads of the API."""
        return (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and request.path not in nonce_pages()
        )

    @staticmethod
    def not_modified(request, etag, last_modified) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            return etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")] or if_none_match == "*"
        since = request.headers.get("If-Modified-Since")
        return since is not None and (parse_http_date_safe(since) or 0) >= last_modified

    @staticmethod
    def cached(digest):
        if not settings.API_CACHE_SECONDS:
            return None
        key, local = f"api:{digest}", local_copies()
        hit = local.get(key) if local else None
        if hit is None:
            hit = cache.get(key)
            if hit is None:
                return None
            if local:
                local.set(key, hit, settings.API_CACHE_SECONDS)
        content, headers = hit
        return HttpResponse(content, headers=headers)

    def render(self, request, digest):
        response = self.get_response(request)
        cacheable = response.status_code == 200 and not response.streaming and not response.cookies
        if settings.API_CACHE_SECONDS and cacheable:
            headers = {name: value for name, value in response.items() if name.lower() not in UNCACHED_HEADERS}
            for layer in filter(None, [cache, local_copies()]):
                layer.set(f"api:{digest}", (response.content, headers), settings.API_CACHE_SECONDS)
        return response


@functools.cache
def nonce_pages() -> frozenset[str]:
    """The pages whose inline code carries a per-request CSP nonce: a cached copy would repeat it."""
    return frozenset({reverse("v1:swagger-ui", kwargs={"version": "v1"}), reverse("v1:redoc", kwargs={"version": "v1"})})


def local_copies():
    """This process's copies of responses in front of a shared cache (settings: CACHES["local"], with Redis), if any.
    Safe because a key holds the corpus version: once cached, the response under a key never changes."""
    return caches["local"] if "local" in settings.CACHES else None


class RejectNulMiddleware:
    """A NUL character in an API request's path or query is a 400 naming where it is, before any cache or view.

    PostgreSQL text cannot hold NUL, so a slug, filter or search term with one made psycopg raise DataError: a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = self.nul_in(request) if request.path.startswith("/api/") else None
        if name is None:
            return self.get_response(request)
        body = problem(400, f"Invalid input: {name}.", {name: ["Must not contain a NUL character (%00)."]})
        return JsonResponse(body, status=400, content_type=ProblemJSONRenderer.media_type)

    @staticmethod
    def nul_in(request) -> str | None:
        """The URL argument (e.g. ``slug``) or query parameter holding a NUL, or ``path``; None when there is none."""
        if "\x00" not in request.path_info and "%00" not in request.META.get("QUERY_STRING", ""):
            return None  # the common case, without parsing the query string (a NUL reaches a query only as %00)
        if "\x00" in request.path_info:
            try:
                kwargs = resolve(request.path_info).kwargs
            except Resolver404:
                return "path"
            return next((name for name, value in kwargs.items() if "\x00" in str(value)), "path")
        for name, values in request.GET.lists():
            if "\x00" in name:
                return name.replace("\x00", "%00")
            if any("\x00" in value for value in values):
                return name
        return None
