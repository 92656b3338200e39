"""The docs pages, the browsable API and the admin login work in a real browser under the Content-Security-Policy
(config/settings.py): each renders, no CSP violation is reported, and the docs load nothing from another host."""

import os
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = settings.SPECTACULAR_SETTINGS["TITLE"]


def screenshot(visit, name):
    """With SCREENSHOT_DIR set, the page as docs/images/ shows it (README.md): SCREENSHOT_DIR=docs/images."""
    if directory := os.environ.get("SCREENSHOT_DIR"):
        visit.page.screenshot(path=str(Path(directory) / f"{name}.png"))


def test_swagger_ui(visit):
    visit.open("/api/v1/docs/")
    visit.shows(visit.page.locator('.opblock-summary-path[data-path="/api/v1/articles/"]'))
    assert visit.page.locator(".opblock").count() > 10
    visit.assert_clean()
    screenshot(visit, "swagger-ui")


# Redoc's sidebar footer always shows its maker's logo from cdn.redoc.ly (redoc.standalone.js, no option turns it
# off): the policy refuses it, as it must (the docs load nothing from another host), and Redoc hides the image
# when it fails. That refusal is expected; any other is not.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc(visit):
    visit.expected_refusals.append(REDOC_LOGO)
    visit.open("/api/v1/redoc/")
    visit.shows(visit.page.locator("h1", has_text=TITLE))
    visit.shows(visit.page.get_by_text("/api/v1/articles/", exact=True), state="attached")
    visit.assert_clean()
    screenshot(visit, "redoc")


def test_browsable_api(seed_corpus, visit):
    visit.open("/api/v1/articles/", wait_until="load")
    visit.shows(visit.page.locator(".response-info"))
    assert "Article List" in visit.page.title() or visit.page.locator("h1").first.inner_text()
    assert '"results"' in visit.page.locator(".response-info").inner_text()
    visit.assert_clean()


def test_admin_login(visit):
    visit.open("/admin/login/")
    visit.shows(visit.page.locator("form#login-form input[name=username]"))
    visit.assert_clean()


def test_a_violation_is_noticed(visit):
    """The checks above can fail: an inline script without the nonce is refused, and the test sees it."""
    visit.open("/admin/login/")
    visit.page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    visit.settle()
    assert visit.page.evaluate("() => window.ran") is None
    assert any("script-src" in v for v in visit.violations), visit.violations
