"""A live review server (uvicorn on 127.0.0.1, a free port, a background thread) and the
system Chromium driven by Playwright for Python.

Skips cleanly, with the reason, when Playwright or the browser is missing; CI
(``.ci/run``) installs both. The browser is ``$SONOCAT_CHROMIUM`` or Debian's
``/usr/bin/chromium``; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.web.conftest import NOW, PASSWORDS, SECRET, ReviewDb, build_review_db

CHROMIUM = Path(os.environ.get("SONOCAT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


@dataclass(frozen=True)
class LiveServer:
    url: str
    db: ReviewDb


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from review_queue.web import create_app

    db = build_review_db(tmp_path_factory.mktemp("browser") / "catalogue.db")
    app = create_app(db.path, secret_key=SECRET)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the review server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", db)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium or set SONOCAT_CHROMIUM)")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - a browser that cannot start is an environment problem: say which
        playwright.stop()
        pytest.skip(f"Chromium at {CHROMIUM} does not start under Playwright: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_page(chromium) -> Iterator[Callable[..., object]]:  # noqa: ANN001
    """``new_page()`` opens a page in a fresh browser context (its own cookies: one per reviewer)."""
    contexts = []

    def make(**options: object) -> object:
        context = chromium.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, server: LiveServer, name: str) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    page.goto(f"{server.url}/login")
    page.get_by_label("Reviewer name").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header.site")).to_contain_text(f"Signed in as {name}")


__all__ = ["ARTIFACTS", "NOW", "LiveServer", "log_in"]
