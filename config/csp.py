"""Pieces of the Content-Security-Policy (config/settings.py) derived from the templates they allow."""

import base64
import hashlib
import re
from pathlib import Path

import rest_framework

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
