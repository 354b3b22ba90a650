"""End-to-end journeys in Debian's headless Chromium driven by Playwright (never a download)."""

import os
import re
import shutil
from pathlib import Path

import html5lib
import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# fixtures in that same thread are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "sandi-uji-123"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for name in ("page", "phone"):
            page = item.funcargs.get(name)
            if page is not None and not page.is_closed():
                ARTIFACTS.mkdir(exist_ok=True)
                slug = re.sub(r"[^\w.-]+", "_", item.nodeid)[-120:]
                page.screenshot(path=str(ARTIFACTS / f"{slug}-{name}.png"), full_page=True)


def _context(browser, width):
    return browser.new_context(
        viewport={"width": width, "height": 900},
        locale="id-ID",
        extra_http_headers={"Accept-Language": "id"},
    )


@pytest.fixture
def page(browser, live_server):
    context = _context(browser, 1366)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = _context(browser, 360)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username, password=PASSWORD):
    page.goto(page.base_url + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def check_page(page):
    """Every page of a journey: valid HTML5, no serious or critical axe violation."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(page.content())
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + " | ".join(bad)


def shoot(page, name):
    """Keep a screenshot of a journey's final page as an artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
