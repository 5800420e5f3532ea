"""Shared parts of the real-browser tests: Playwright (sync API) on the machine's Chromium.

Registered as a pytest plugin in src/conftest.py, so every app's ``test_browser.py`` gets
the fixtures; the helpers are imported from here. The browser is never downloaded: the
tests use the Chromium given by HELPLINE_CHROMIUM (default /usr/bin/chromium). Without it
they are skipped, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from helpline.accounts.models import User
from helpline.consultations import services

PASSWORD = "secret-pass-123"  # the password UserFactory gives every user
TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DETAIL_URL = re.compile(r"/consultations/[0-9a-f-]{36}/$")
EDIT_URL = re.compile(r"/consultations/[0-9a-f-]{36}/edit/$")
PATENT_TOPIC = "Work patent or permit"  # the first topic whose English label has "patent"
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _allow_async_unsafe() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; the ORM must still work."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def chromium(_allow_async_unsafe: None) -> Iterator[Browser]:
    executable = os.environ.get("HELPLINE_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        reason = f"Chromium not found at {executable} (set HELPLINE_CHROMIUM or install chromium)"
        if UNDER_CI:
            pytest.fail(f"{reason}; browser tests are required under CI", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def reference_lists(transactional_db: None) -> None:
    """Transactional tests flush the tables: put the shipped reference lists back."""
    from helpline.directory.categories import categories_sync

    services.reference_data_sync()
    categories_sync()


@pytest.fixture
def new_page(
    chromium: Browser, live_server: object, reference_lists: None
) -> Iterator[Callable[[], Page]]:
    """Pages in fresh English browser contexts (one context: one signed-in person).

    Any uncaught JavaScript error in any page fails the test.
    """
    contexts: list[BrowserContext] = []
    js_errors: list[str] = []
    expect.set_options(timeout=TIMEOUT_MS)

    def make() -> Page:
        context = chromium.new_context(
            base_url=str(live_server),
            locale="en-US",
            extra_http_headers={"Accept-Language": "en"},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: js_errors.append(f"{page.url}: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not js_errors, f"JavaScript errors in the pages: {js_errors}"


# --- Helpers --------------------------------------------------------------------------------


def url(page: Page, path: str) -> str:
    base = re.match(r"https?://[^/]+", page.url)
    assert base, page.url
    return base.group(0) + path


def log_in(page: Page, user: User) -> None:
    """Type the username, Tab, the password, Enter: as a consultant does at the start of a shift."""
    page.goto("/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus: type at once
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url(page, "/"))
    expect(page.locator("#new-consultation")).to_be_visible()


def tab_to(page: Page, selector: str, *, limit: int = 250) -> None:
    """Press Tab until the focused element matches ``selector`` (fail after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} never received the focus after {limit} Tab presses")


def press_access_key(page: Page, letter: str) -> None:
    """Alt+<letter>, which in Chromium on Linux activates the element with that accesskey.

    Playwright's ``keyboard.press("Alt+n")`` sends no character with a modifier held, and
    Chromium only looks up access keys on the character event; so the keystroke is sent as a
    real keyboard would, through the DevTools protocol.
    """
    cdp = page.context.new_cdp_session(page)
    alt = {"key": "Alt", "code": "AltLeft", "windowsVirtualKeyCode": 18, "modifiers": 1}
    code = ord(letter.upper())
    key = {"key": letter, "code": f"Key{letter.upper()}", "windowsVirtualKeyCode": code}
    try:
        cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **alt})
        cdp.send(
            "Input.dispatchKeyEvent",
            {"type": "keyDown", "modifiers": 1, "text": letter, "unmodifiedText": letter, **key},
        )
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "modifiers": 1, **key})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **{**alt, "modifiers": 0}})
    finally:
        cdp.detach()


def local_storage(page: Page) -> dict[str, str]:
    return page.evaluate("() => Object.assign({}, window.localStorage)")


def topic_checkbox(page: Page, label: str) -> Locator:
    return page.locator("label.topic-option", has_text=label).locator("input[type=checkbox]")


def open_intake(page: Page) -> None:
    page.goto("/consultations/new/")
    expect(page.locator("#intake-form")).to_be_visible()
