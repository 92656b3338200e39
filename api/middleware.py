"""Conditional GET and a response cache for the API, both keyed by the corpus version.

Every write bumps ``CorpusVersion`` (corpus/signals.py), so a response's ETag is derived from
the version and the request, not from its body: a matching ``If-None-Match`` gets 304 before
any view runs, and a cached body is never served after a write.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

from corpus.models import CorpusVersion

CACHED_HEADERS = ("Content-Type", "Allow", "Vary", "Link")


class CorpusCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/") or request.user.is_authenticated:
            return self.get_response(request)
        current = CorpusVersion.current()
        request.corpus_version = current.version  # also keys the cached list counts (api.pagination)
        variant = f"{current.version}|{request.get_full_path()}|{request.headers.get('Accept', '')}"
        digest = hashlib.sha256(variant.encode()).hexdigest()[:32]
        etag, last_modified = f'"{digest}"', int(current.changed_at.timestamp())
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
    def not_modified(request, etag, last_modified) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            return etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")] or if_none_match == "*"
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and last_modified <= since

    @staticmethod
    def cached(digest):
        if not settings.API_CACHE_SECONDS:
            return None
        hit = cache.get(f"api:{digest}")
        if hit is None:
            return None
        content, headers = hit
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response

    def render(self, request, digest):
        response = self.get_response(request)
        if settings.API_CACHE_SECONDS and response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
            cache.set(f"api:{digest}", (response.content, headers), settings.API_CACHE_SECONDS)
        return response
