"""Production settings (issue 17, item 9): `check --deploy` clean from the environment, the CSP on the admin and
docs pages, the admin path, and no default secret in docker-compose."""

import base64
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.csp import REDOC_BUNDLE_STYLE_HASHES, drf_code_style_hashes

ROOT = Path(__file__).resolve().parent.parent
TLS = {
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
}


def production_env(**overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TLS and k not in {"DEBUG", "SECRET_KEY", "ADMIN_PATH"}}
    return {**env, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "corpus.example", **overrides}


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_has_no_warning_when_configured_for_tls_from_the_environment():
    result = check_deploy(production_env(**TLS))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_the_tls_toggles_fix_when_they_are_off():
    """Before, these four warnings could not be fixed from the environment."""
    result = check_deploy(production_env())
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_proxy_ssl_header_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    assert printed(code, production_env(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")) == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_admin_path_comes_from_the_environment():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    assert printed(code, production_env(ADMIN_PATH="curation/")) == "/curation/"


def printed(code: str, env: dict) -> str:
    """What ``code`` prints in ``manage.py shell`` started with ``env`` (settings are read once, at start-up)."""
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return result.stdout.strip()


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.django_db
def test_the_admin_login_page_has_a_strict_csp(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = policy(response)
    hashed = drf_code_style_hashes()  # the one stylesheet the browsable API carries (exactly that text), no other
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'", *hashed]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)  # no inline script the policy would block
    assert not re.search(r"<style|\sstyle=", response.text)


INLINE = re.compile(r"<(script|style)\b([^>]*)>")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_pages_inline_code_carries_the_requests_nonce(client, path):
    """Swagger UI and Redoc (self-hosted by drf-spectacular-sidecar) have an inline style and script: each
    carries the nonce the page's policy allows, and every other asset is from this origin."""
    first, second = client.get(path), client.get(path)
    nonces = []
    for response in (first, second):
        assert response.status_code == 200
        csp = policy(response)
        nonce = next(value for value in csp["script-src"] if value.startswith("'nonce-"))
        allowed_hashes = {*drf_code_style_hashes(), *(REDOC_BUNDLE_STYLE_HASHES if "redoc" in path else [])}
        assert nonce in csp["style-src"] and set(csp["style-src"]) - {nonce} == {"'self'", *allowed_hashes}
        assert csp["script-src"] == ["'self'", nonce]
        inline = [attributes for _, attributes in INLINE.findall(response.text) if "src=" not in attributes]
        assert inline and all(f'nonce="{nonce[7:-1]}"' in attributes for attributes in inline)
        assert not re.search(r"(src|href)=\"(https?:)?//", response.text)  # nothing from another host
        nonces.append(nonce)
    assert nonces[0] != nonces[1]  # never a cached page repeating a nonce
    assert "ETag" not in second


def test_docker_compose_ships_no_default_secret_key():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["web"]["environment"]["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian's docker-compose is not installed")
def test_docker_compose_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_the_browsable_apis_style_attributes_are_allowed_by_hash_and_no_others(client):
    response = client.get("/api/v1/sources/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    allowed = policy(response)["style-src-attr"]
    assert allowed[0] == "'unsafe-hashes'"
    values = set(re.findall(r'\sstyle="([^"]*)"', response.text))
    assert values, "the page has no style attribute: the test proves nothing"
    for value in values:
        digest = base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, value
    assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))", response.text)  # data, not code


@pytest.mark.django_db
def test_a_cached_api_response_keeps_its_policy(client):
    """django-csp sits after the response cache (config/settings.py), so a hit serves the header it stored."""
    first, hit = client.get("/api/v1/sources/", {"page_size": 1}), client.get("/api/v1/sources/", {"page_size": 1})
    assert first["ETag"] == hit["ETag"]
    assert hit["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "'nonce-" not in hit["Content-Security-Policy"]


@pytest.mark.django_db
def test_api_responses_carry_django_csps_site_policy_built_once(client):
    """config.csp.CSPMiddleware gives a response with no nonce and no per-view policy the header django-csp would
    build (csp.utils.build_policy, from settings), built once per process instead of twice per response."""
    from csp.utils import build_policy

    from config.csp import site_policy

    site_policy.cache_clear()
    for path in ("/api/v1/sources/", "/api/v1/actors/nato/", "/api/v1/no-such-thing/"):
        assert client.get(path)["Content-Security-Policy"] == build_policy()
    assert site_policy.cache_info().misses == 1
