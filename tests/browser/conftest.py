"""Headless Chromium (Debian's, driven by Playwright) against the app on a loopback live server.

Skipped, with the reason, when /usr/bin/chromium or the playwright package is missing (`.ci/run` installs
Debian's chromium when it can; Playwright's own browser download is never used).

pytest-django's ``live_server`` makes each test transactional, and a transactional test's teardown empties every
table: the seed corpus that tests/conftest.py loads once per session would be gone. pytest-django runs
transactional tests after every other database test, so only the browser tests themselves and the tests that
follow without a database could notice: ``seed_corpus`` loads the corpus again for a test that needs it (the
browsable API), and ``corpus_restored`` loads it again once this directory's tests are done.
"""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.conftest import CORPUS_FIXTURE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"

# Reported by the page (an init script, which the CSP does not govern) for every securitypolicyviolation event.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${where})`);
}, true);
"""

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if sync_playwright is None:
        reason = "the playwright package is not installed (requirements/dev.lock)"
    elif not CHROMIUM.exists():
        reason = f"Debian's chromium is not installed ({CHROMIUM}; apt-get install chromium)"
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, on the loopback address the tests allow requests to (its default is "localhost")."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(f"{LOOPBACK}:0")
    yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def corpus_restored(django_db_blocker):
    """The seed corpus back once the module's transactional tests have emptied the tables (see the module's docstring)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_corpus", str(CORPUS_FIXTURE), verbosity=0)


@pytest.fixture
def seed_corpus(transactional_db):
    """The seed corpus, for a test whose pages show it: an earlier browser test's teardown emptied the tables."""
    call_command("load_corpus", str(CORPUS_FIXTURE), verbosity=0)


class Visit:
    """A headless Chromium page that records CSP violations and refuses every request off the loopback server."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.violations: list[str] = []
        self.outside_requests: list[str] = []
        self.errors: list[str] = []
        self.expected_refusals: list[str] = []  # URLs from another host a page asks for and the policy refuses
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)
        page.expose_function("reportCspViolation", self._violation)
        page.add_init_script(REPORT_VIOLATIONS)
        page.context.route("**/*", self._route)

    def _violation(self, description):
        self.violations.append(f"securitypolicyviolation: {description}")

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.violations.append(f"console: {text}")

    def _route(self, route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != LOOPBACK:
            self.outside_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def open(self, path, **kwargs):
        response = self.page.goto(self.base_url + path, **kwargs)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        assert "content-security-policy" in response.headers, f"{path} is served without a CSP"
        return response

    def shows(self, locator, state="visible"):
        """Wait for ``locator``; if it never comes, fail with the violations and refused requests seen meanwhile."""
        try:
            locator.first.wait_for(state=state, timeout=20_000)
        except Exception as error:
            raise AssertionError(
                f"{locator} never rendered; CSP violations {self.violations}, "
                f"requests off the loopback server {self.outside_requests}, page errors {self.errors}"
            ) from error

    def settle(self):
        """Wait until the page has stopped loading, then a moment for violation events still queued."""
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(300)

    def assert_clean(self):
        self.settle()
        violations = [v for v in self.violations if not any(url in v for url in self.expected_refusals)]
        assert not violations, "CSP violations:\n" + "\n".join(violations)
        assert not self.outside_requests, "requests off the loopback server:\n" + "\n".join(self.outside_requests)


@pytest.fixture
def visit(live_server):
    """A ``Visit`` in a fresh headless Chromium (its own profile directory), closed after the test.

    Started after the database fixtures: while Playwright's sync API is active, Django refuses database calls
    in this thread (it sees an event loop), and the live server answers from its own thread anyway."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            yield Visit(page, live_server.url)
        finally:
            context.close()
