"""The static site in a real browser (the distribution's Chromium through Playwright).

Opened from disk (file://) as a reader would after ``sonocat export site``, and
once over a local HTTP server (as GitHub Pages serves it): search, a tier
filter, sorting, opening an entry page, the figures, no console errors. The
run leaves a screenshot of the index at ``tests/site/artifacts/index.png``.

Skipped, saying why, when Playwright or Chromium is missing. Set
``SONOCAT_CHROMIUM`` to use another Chromium binary.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler import catalogue as service
from crawler import rubric as rubric_module
from crawler.db import Database
from crawler.site import build_site

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

CHROMIUM = os.environ.get("SONOCAT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set SONOCAT_CHROMIUM)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def site(baseline_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("browser-site")
    db_path = folder / "catalogue.db"
    shutil.copyfile(baseline_db_template, db_path)
    with Database.open(db_path) as db:
        build_site(db, folder / "out", rubric_module.load())
        stats = service.stats(db)
        rows = service.list_entries(db)
    return {"dir": folder / "out", "stats": stats, "rows": rows}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        except Exception as exc:  # noqa: BLE001 - a browser that cannot start is an environment problem
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {exc}")
        yield instance
        instance.close()


class Problems:
    """Console errors, page errors and failed requests seen by one page."""

    def __init__(self, page) -> None:
        self.items: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.items.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.items.append(f"pageerror: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda res: res.status >= 400 and self.items.append(f"HTTP {res.status}: {res.url}"))

    def _failed(self, request) -> None:
        # a request still in flight when the test navigates away (the favicon, say) is cancelled, not broken
        if request.failure != "net::ERR_ABORTED":
            self.items.append(f"requestfailed: {request.url} {request.failure}")


LOCAL = ("file://", "http://127.0.0.1:", "data:", "about:")


@pytest.fixture
def page(browser):
    """A page that may load only local files (and the test's own server): any other request is a problem."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = Problems(page)

    def guard(route) -> None:
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            page.problems.items.append(f"network: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    yield page
    context.close()


def shown(page) -> int:
    return int(page.locator("#shown").inner_text())


def visible_rows(page, table: str):
    return page.locator(f"#{table}-table tbody tr:visible")


def test_search_filter_sort_and_entry_page(page, site):
    index = (site["dir"] / "index.html").as_uri()
    page.goto(index)
    total = len(site["rows"])
    assert shown(page) == total == 127
    assert visible_rows(page, "datasets").count() == 72
    assert visible_rows(page, "models").count() == 55

    # search: KFGNet is both a dataset and a model
    page.fill("#q", "kfgnet")
    assert shown(page) == 2
    names = visible_rows(page, "datasets").locator("th").all_inner_texts() + \
        visible_rows(page, "models").locator("th").all_inner_texts()
    assert sorted(names) == ["KFGNet", "KFGNet"]
    assert "q=kfgnet" in page.url
    page.fill("#q", "")
    assert shown(page) == total

    # tier filter: as many rows as datasets of that tier; models have no tier
    expected = site["stats"]["by_tier"]["bronze"]
    page.select_option("#f-tier", "bronze")
    assert shown(page) == expected == 29
    assert visible_rows(page, "datasets").count() == expected
    assert page.locator("#models").is_hidden()
    tiers = visible_rows(page, "datasets").evaluate_all("rows => rows.map(r => r.dataset.tier)")
    assert set(tiers) == {"bronze"}
    assert "(29 of 72)" in page.locator("#datasets-title").inner_text()

    # filters combine: bronze and open access
    page.select_option("#f-access", "OA")
    both = sum(1 for r in site["rows"] if r["tier"] == "bronze" and r["access"] == "OA")
    assert shown(page) == both
    page.click("#reset")
    page.wait_for_function("document.getElementById('shown').textContent === '127'")

    # anatomy group filter matches the figure's count
    page.select_option("#f-anatomy", "breast")
    assert shown(page) == site["stats"]["by_anatomy_group"]["breast"]
    page.select_option("#f-anatomy", "")

    # sort by size: ascending, then descending; rows without a size stay last
    header = page.locator("#datasets-table thead th", has_text="Size")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    sizes = visible_rows(page, "datasets").evaluate_all("rows => rows.map(r => r.cells[2].dataset.sort)")
    numbers = [int(s) for s in sizes if s]
    assert numbers == sorted(numbers) and len(numbers) == 69
    assert sizes[-3:] == ["", "", ""]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    sizes = visible_rows(page, "datasets").evaluate_all("rows => rows.map(r => r.cells[2].dataset.sort)")
    assert [int(s) for s in sizes if s] == sorted(numbers, reverse=True)
    # and by name
    page.locator("#models-table thead th", has_text="Name").locator("button").click()
    model_names = visible_rows(page, "models").locator("th").all_inner_texts()
    assert model_names == sorted(model_names, key=str.lower)

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(index)
    page.screenshot(path=str(ARTIFACTS / "index.png"))
    assert (ARTIFACTS / "index.png").stat().st_size > 10_000

    # open an entry page from the table
    page.fill("#q", "camus")
    page.locator("#datasets-table tbody tr:visible th a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/entries/dataset-camus.html")
    assert page.locator("h1").inner_text().startswith("CAMUS")
    assert page.locator("#c-anatomy td").first.inner_text() == "heart"
    jsonld = page.locator('script[type="application/ld+json"]').inner_text()
    assert '"@type": "Dataset"' in jsonld
    page.locator("a", has_text="Catalogue").first.click()
    page.wait_for_load_state()
    assert shown(page) == total

    assert page.problems.items == []


def test_hash_restores_filters(page, site):
    page.goto((site["dir"] / "index.html").as_uri() + "#tier=steel&kind=dataset")
    assert page.locator("#f-tier").input_value() == "steel"
    assert shown(page) == site["stats"]["by_tier"]["steel"]
    assert page.problems.items == []


@pytest.fixture
def http_site(site) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site["dir"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass


def test_served_over_http_every_page_and_figure_loads(page, http_site):
    page.goto(f"{http_site}/figures.html")
    images = page.locator("figure img")
    assert images.count() == 5
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 0 for w in widths)
    assert all(images.nth(i).get_attribute("alt") for i in range(5))
    page.goto(f"{http_site}/index.html")
    assert shown(page) == 127
    for href in page.locator("#models-table tbody th a").evaluate_all("as => as.slice(0, 5).map(a => a.href)"):
        response = page.goto(href)
        assert response.status == 200
    assert page.problems.items == []
