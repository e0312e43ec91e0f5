"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium; Playwright never
downloads a browser here) against pytest-django's live server, and axe-core (node_modules, from
`npm ci`) checks every page a test visits for serious and critical accessibility violations.

The live server runs in a thread of the test process, on the test database (transactional: each
test's rows are really committed, and flushed afterwards), with Django's locmem email backend, so
`mail.outbox` holds the emails the archive sent. Every page is loaded under the archive's real
Content-Security-Policy: a violation (an inline script, a handler attribute, a style attribute) or
an uncaught JavaScript error fails the test.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FANARCHIVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# axe's impact levels that fail a test.
FAILING_IMPACTS = {"serious", "critical"}
# Playwright waits at most this long for a page or an element (generous for a loaded 2-core box).
TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Chromium with Playwright (tests/browser; -m 'not browser')"
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"Debian's Chromium is not installed at {CHROMIUM}: `make test` installs it "
            "(scripts/install-system-packages), or set FANARCHIVE_CHROMIUM"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make install` (it runs `npm ci`)")
    return AXE_JS.read_text()


@pytest.fixture(autouse=True)
def _browser_test_settings(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's synchronous API keeps an asyncio loop marked as running in this thread while
    # a browser is open; the test's own ORM calls (making works, reading them back) are still
    # plain synchronous code, so Django's guard against ORM calls from async code is lifted.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.DEBUG = False
    # Rate-limit counters of this test only (the real setting is a file cache shared by every
    # process; the throttle test must not lock other tests out, nor they it).
    name = f"browser-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name},
    }
    settings.RATELIMIT_CACHE = name


@dataclass
class Problems:
    """What the browser reported while a test ran: CSP violations and uncaught errors."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Browsing:
    """A page in Chromium on the live server, with `check(page)` running axe on it."""

    page: Any
    base_url: str
    axe_source: str
    problems: Problems
    checked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, check: bool = True) -> Any:
        response = self.page.goto(self.url(path))
        if check:
            self.check()
        return response

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def check(self) -> None:
        """Run axe-core on the page as it is now: no serious or critical violations."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Runtime.evaluate is not subject to the page's CSP: axe gets in, page scripts can't.
            self.page.evaluate(self.axe_source + "\n;true")
        result = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ["violations"]});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " +
                        (n.failureSummary || "").replace(/\\s+/g, " "))
                }));
            }"""
        )
        bad = [v for v in result if v["impact"] in FAILING_IMPACTS]
        where = self.path()
        self.checked.append(where)
        assert not bad, f"axe on {where}: " + "; ".join(
            f"[{v['impact']}] {v['id']}: {v['help']} at {v['nodes']}" for v in bad
        )


@pytest.fixture
def browsing(chromium_path: str, axe_source: str, live_server: Any) -> Iterator[Browsing]:
    """A fresh Chromium with one page on the live server; fails the test on any CSP violation
    or uncaught JavaScript error seen while it ran."""
    from playwright.sync_api import sync_playwright

    problems = Problems()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text or "Content-Security-Policy" in (
                message.text
            ):
                problems.csp.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.errors.append(f"{page.url}: {error}"))
        try:
            yield Browsing(
                page=page, base_url=live_server.url, axe_source=axe_source, problems=problems
            )
        finally:
            context.close()
            browser.close()
            # While Playwright runs, asgiref sees a running event loop in this thread and gives
            # the test's ORM calls a connection of their own: close it before that loop goes,
            # or it lingers (and PostgreSQL will not drop the test database at the end).
            from django.db import connections

            connections.close_all()
    assert not problems.csp, "Content-Security-Policy violations:\n" + "\n".join(problems.csp)
    assert not problems.errors, "JavaScript errors:\n" + "\n".join(problems.errors)
