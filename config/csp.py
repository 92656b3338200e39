"""Pieces of the Content-Security-Policy (config/settings.py) derived from the templates they allow."""

import base64
import hashlib
import re
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path

import csp.middleware
import rest_framework
from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.utils import build_policy
from django.conf import settings

STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def drf_style_attribute_hashes() -> list[str]:
    """The browsable API's templates lay a few elements out with style attributes ("float: right"): the hash of
    each exact value, for ``style-src-attr 'unsafe-hashes'``, so the policy allows those and no other."""
    templates = Path(rest_framework.__file__).parent / "templates"
    values = {value for path in templates.rglob("*.html") for value in STYLE_ATTRIBUTE.findall(path.read_text())}
    return [f"'sha256-{base64.b64encode(hashlib.sha256(v.encode()).digest()).decode()}'" for v in sorted(values)]


def drf_code_style_hashes() -> list[str]:
    """The browsable API's page carries an inline ``<style>`` when Pygments is installed (a development dependency,
    through pytest; production's base.lock has none): Pygments' CSS for DRF's ``BrowsableAPIRenderer.code_style``
    ("emacs"), autoescaped by the template. Its hash, for ``style-src``, allows that exact stylesheet and no other;
    without Pygments there is no element and no hash. tests/browser/ loads the page in Chromium under the policy."""
    try:
        from rest_framework.compat import pygments_css
    except ImportError:  # pragma: no cover
        return []
    css = pygments_css("emacs")  # rest_framework.renderers.BrowsableAPIRenderer.code_style
    if not css:
        return []
    from django.utils.html import escape

    return [_sha256(str(escape(css)))]


def _sha256(value: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'"


# The two <style> elements redoc.standalone.js (drf-spectacular-sidecar's, pinned) inserts while the bundle is
# evaluated, before ``Redoc.init`` hands its webpack runtime the page's nonce: the bundled CSS (style-loader) and
# styled-components' stylesheet, empty when created (its rules then go in through the CSSOM, which CSP does not
# govern). Every later style carries the nonce. Their hashes are allowed on the Redoc page only (api/v1/urls.py);
# a sidecar upgrade that changes them fails tests/browser/test_csp_pages.py::test_redoc, which prints the new hash.
# Neither 'unsafe-inline' (ignored beside a nonce anyway) nor 'unsafe-eval' is needed.
REDOC_BUNDLE_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty styled-components sheet
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # the bundled CSS
]


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once per process.

    django-csp builds the header afresh for every response (twice: the policy and the report-only
    one), ~0.1-0.3 ms of an uncached API request. A response that used no nonce and no per-view
    policy (every API response) always gets the same header: built once here. The docs pages (a
    nonce) and Redoc (``csp_update``) still go through django-csp's own path.
    """

    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        plain = (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in PER_VIEW_POLICY)
            and not policy.get("EXCLUDE_URL_PREFIXES")
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not (settings.DEBUG and response.status_code in (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND))
        )
        if not plain:
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = site_policy()
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # as django-csp: no nonce after this
        return response


PER_VIEW_POLICY = ("_csp_exempt", "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt_ro", "_csp_config_ro",
                   "_csp_update_ro", "_csp_replace_ro")  # fmt: skip  # set by django-csp's view decorators


@lru_cache(maxsize=1)
def site_policy() -> str:
    """The header django-csp builds from settings for a response with no nonce and no per-view policy."""
    return build_policy()
