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
