"""Fixtures of the browser tests: one headless Debian Chromium per session, driven by Playwright.

Browser tests never skip. Without /usr/bin/chromium they fail with a message saying how to install
it (CI sets LAPOR_REQUIRE_BROWSER=1 and installs the `chromium` package).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("LAPOR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "assets" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        required = os.environ.get("LAPOR_REQUIRE_BROWSER") == "1"
        pytest.fail(
            f"Chromium not found at {CHROMIUM}"
            + (" (LAPOR_REQUIRE_BROWSER=1)" if required else "")
            + ": install it with `apt-get install -y chromium`; browser tests never skip.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (factories) are still synchronous, so let Django allow them.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django's connections are context-local (asgiref) and Playwright's sync API switches the
    # context: the connection objects seen from here on are new ones. When the test database
    # was set up before (a non-browser test ran first) they lack the migrated state saved for
    # serialized rollback, and every later transactional test would start from an empty
    # database (no SLA ladder). Hand that state over to the new objects.
    serialized = {
        conn.alias: getattr(conn, "_test_serialized_contents", None) for conn in connections.all()
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents:
                setattr(connections[alias], "_test_serialized_contents", contents)  # noqa: B010
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def open_page(browser: Any, base_url: str, *, javascript: bool = True) -> Any:
    """A tab in a fresh browser context (its own cookies: another person)."""
    # bypass_csp only lets the test inject axe-core; the site's own CSP header is asserted in
    # the page tests, and CSP violations by our own code are collected below.
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    tab.js_errors = errors
    return tab


@pytest.fixture
def sla_ladder(transactional_db: Any) -> None:
    """Transactional tests start from an emptied database (Django flushes it after each one),
    so put back the SLA ladder v1 that the deadlines app's data migration ships."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lapor.deadlines.migrations.0003_ladder_v1")
    migration.create_v1(apps, None)


@pytest.fixture
def page(browser: Any, live_server: Any, sla_ladder: None) -> Iterator[Any]:
    tab = open_page(browser, live_server.url)
    yield tab
    tab.context.close()


def screenshot(page: Any, name: str) -> None:
    """Save the current page at desktop and phone widths under var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the current page."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Any) -> None:
    bad = axe_violations(page)
    assert not bad, json.dumps(bad, indent=2, ensure_ascii=False)
