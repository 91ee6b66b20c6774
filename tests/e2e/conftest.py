import importlib
import os
import shutil

import pytest

CHROMIUM = os.environ.get("NICP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it
# are still synchronous, so Django's async-safety guard is relaxed for the browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium) or NICP_CHROMIUM=path")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    # A Content-Security-Policy violation shows up as a console error: none is expected.
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


@pytest.fixture
def boroughs(db):
    """The 16 boroughs come from a data migration, which an earlier browser test's flush (transactional
    tests) empties: journeys that need them put them back, whatever ran before."""
    from tests.factories import BoroughFactory

    for code, iecm, name, official in importlib.import_module("neighbourhoods.migrations.0002_boroughs").BOROUGHS:
        BoroughFactory(inegi_code=code, iecm_number=iecm, name=name, official_name=official)
