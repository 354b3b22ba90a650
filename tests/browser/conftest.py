"""End-to-end journeys in Debian's headless Chromium driven by Playwright (never a download)."""

import contextlib
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import html5lib
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import totp_code
from tests.interns.conftest import batch, intern, mentor  # noqa: F401
from tests.partners.conftest import make_agreement, sekata  # noqa: F401
from tests.programmes.conftest import early_inmate, make_programme, today  # noqa: F401

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


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads and generated PDFs go to a throwaway directory, not the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


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
                # A page still loading must not hide the test's own failure.
                with contextlib.suppress(Exception):
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
    """Sign in as a person would: the password, then the code of the authenticator where the
    account has one, or its set-up (scanning is typing the secret's code) where the role
    requires one."""
    page.goto(page.base_url + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    path = urlparse(page.url).path
    if path == "/akun/dua-langkah/verifikasi/":
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.locator("#id_token").fill(totp_code(device))
        page.get_by_role("button", name="Verifikasi").click()
        page.wait_for_load_state()
    elif path == "/akun/dua-langkah/siapkan/":
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        page.locator("#id_token").fill(totp_code(device))
        page.get_by_role("button", name="Aktifkan").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Lanjutkan").click()
        page.wait_for_load_state()


def menu_link(page, name):
    """Open the main menu's entry `name` as a person would: on a phone, through the "Menu"
    button first (static/js/menu.js folds the menu there)."""
    button = page.get_by_role("button", name="Menu", exact=True)
    if button.is_visible():
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name=name, exact=True
    ).click()
    page.wait_for_load_state()


def check_page(page):
    """Every page of a journey: valid HTML5, no serious or critical axe violation, and on a
    phone nothing wider than the screen.

    With BROWSER_SHOTS=all in the environment, every checked page is also kept as a picture.
    """
    if os.environ.get("BROWSER_SHOTS") == "all":
        page.shot_count = getattr(page, "shot_count", 0) + 1
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].split(" ")[0]
        width = page.viewport_size["width"]
        shoot(page, f"all-{test}-{page.shot_count:02d}-{width}")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(page.content())
    # Valid HTML also means unique ids (html5lib does not check them; labels depend on them).
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"{page.url}: duplicate id {twice}"
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + " | ".join(bad)
    if page.viewport_size["width"] <= 400:
        wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert wide <= screen, f"{page.url}: {wide} px wide on a {screen} px screen"


def press_by_keyboard(page, locator, limit=80):
    """Reach `locator` with the Tab key alone (from where focus is) and press Enter on it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"{page.url}: Tab never reaches {locator}")


def shoot(page, name):
    """Keep a screenshot of a journey's final page as an artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    # A window as tall as the page puts sticky bars (a save button, the admin's side menu)
    # where they belong instead of over a row in the middle of the picture.
    viewport = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(viewport)
