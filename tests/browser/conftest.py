"""Real Chromium (Debian's package) driven by Playwright, against a live test server.

Every page a test opens is watched for Content-Security-Policy violations: the site, the admin
and the API docs run under the real policy, and a test that saw one violation fails.
"""

import os
import shutil

import pytest

from tests.conftest import require

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Added to every page before its own scripts: each violation is reported to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ` +
      `${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
}, true);
"""


class WatchedBrowser:
    """Chromium whose contexts record what the Content-Security-Policy blocked, both from the
    page's own `securitypolicyviolation` events and from the console (which still speaks
    when JavaScript is off)."""

    def __init__(self, chromium):
        self.chromium = chromium
        self.violations = []

    def new_context(self, **options):
        context = self.chromium.new_context(**options)
        context.expose_binding(
            "reportCspViolation", lambda source, text: self.violations.append(text)
        )
        context.add_init_script(script=REPORT_VIOLATIONS)
        context.on("console", self.console)
        return context

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        sync_playwright = None
    require("chromium", sync_playwright is not None, "the playwright package is not installed")
    require("chromium", CHROMIUM is not None, "no Chromium found; apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    watched = WatchedBrowser(chromium)
    yield watched
    if watched.violations:
        pytest.fail("The Content-Security-Policy blocked:\n" + "\n".join(watched.violations))


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Paris")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
