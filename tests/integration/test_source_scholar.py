"""ScholarSource against Scholar-shaped HTML pages served through respx.

scholarly builds its own ``httpx.Client`` sessions; ``respx.mock`` intercepts
every httpx transport, so these tests fake Scholar at the transport without
touching scholarly's code. Sleeps go to a fake clock: scholarly's 1-2 s pause
before each request, its 60-120 s waits after a 403 or a DOS captcha and our
per-minute spacing all advance it instantly, and every test also checks the
real time it took.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx
from scholarly import _navigator, _proxy_generator
from scholarly._navigator import Navigator

from crawler.errors import BudgetExceeded, MalformedResponse, RateLimited, TransientError
from crawler.models import Page, Query
from sources import scholar
from sources.base import SourceContext, SourceSettings
from sources.scholar import ScholarSource

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scholar"
SCHOLAR = "https://scholar.google.com/scholar"
QUERY = Query("ultrasound dataset", kind="dataset")
BUDGET = 240.0


def html(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def page(name: str, status: int = 200) -> httpx.Response:
    return httpx.Response(status, text=html(name), headers={"Content-Type": "text/html; charset=UTF-8"})


class FakeClock:
    """``clock`` and ``sleep`` for SourceContext: sleeping only advances the clock."""

    def __init__(self, start: float = 10_000.0) -> None:
        self.start = start
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    @property
    def used(self) -> float:
        return self.now - self.start


def make_source(clock: FakeClock, *, budget: float = BUDGET, **options: object) -> ScholarSource:
    settings = SourceSettings(
        name="scholar",
        base_url="https://scholar.google.com",
        per_minute=6,
        budget_seconds=budget,
        page_size=10,
        options={"max_pages": 20, **options},
    )
    ctx = SourceContext(settings=settings, sleep=clock.sleep, clock=clock, deadline=clock.now + budget)
    return ScholarSource.from_context(ctx)


def assert_scholarly_restored() -> None:
    nav = Navigator()
    assert _navigator.time is time
    assert _proxy_generator.time is time
    assert _proxy_generator.httpx is httpx
    for manager in (nav.pm1, nav.pm2):
        assert "_handle_captcha2" not in vars(manager)
        assert "_get_webdriver" not in vars(manager)
    assert nav._TIMEOUT == 5 and nav._max_retries == 5
    assert not scholar._LOCK.locked()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def scholar_pages(router: respx.MockRouter) -> respx.Route:
    """Page 1 (2 rows, links to start=10) and page 2 (2 rows, the last)."""
    router.get(SCHOLAR, params={"start": "10"}, name="page2").mock(return_value=page("results_page_2.html"))
    return router.get(SCHOLAR, name="page1").mock(return_value=page("results_page_1.html"))


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail loudly if scholarly ever tries to start Selenium."""
    launched: list[str] = []

    def refuse(name: str):
        def launch(*args: object, **kwargs: object) -> None:
            launched.append(name)
            raise AssertionError(f"scholarly tried to launch {name}")
        return launch

    monkeypatch.setattr(_proxy_generator.webdriver, "Firefox", refuse("Firefox"))
    monkeypatch.setattr(_proxy_generator.webdriver, "Chrome", refuse("Chrome"))
    yield launched
    assert launched == []


def collect(source: ScholarSource, **kwargs: object) -> tuple[list[Page], BaseException | None]:
    pages: list[Page] = []
    try:
        for p in source.search(QUERY, kwargs.pop("since", None), **kwargs):
            pages.append(p)
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        return pages, exc
    return pages, None


def test_pages_until_the_last(scholar_pages: respx.Route, router: respx.MockRouter) -> None:
    clock = FakeClock()
    source = make_source(clock)
    began = time.monotonic()
    pages, error = collect(source)
    assert error is None
    assert [p.cursor for p in pages] == [json.dumps({"start": 10}), None]
    assert [[r.native_id for r in p.records] for p in pages] == [
        ["Q1w2E3r4T5yJ", "Z9x8C7v6B5nJ"],
        ["M3n4B5v6C7xJ", "P0o9I8u7Y6tJ"],
    ]
    first = pages[0].records[0]
    assert first.source == "scholar"
    assert first.url == "https://arxiv.org/abs/2405.01234"
    assert first.updated_at == "2024"
    assert first.payload["item"]["source"] == "PUBLICATION_SEARCH_SNIPPET"
    json.dumps([r.payload for p in pages for r in p.records])  # JSON-serialisable
    assert source.requests == 2 == len(router.calls)
    urls = [call.request.url for call in router.calls]
    assert urls[0].params["q"] == "ultrasound dataset" and "start" not in urls[0].params
    assert "as_ylo" not in urls[0].params
    assert urls[1].params["start"] == "10"
    # scholarly's 1-2 s pause before each request and the 6/min spacing went to the fake clock
    assert 10 <= clock.used <= 14
    assert time.monotonic() - began < 5
    assert_scholarly_restored()


def test_empty_result(router: respx.MockRouter) -> None:
    router.get(SCHOLAR).mock(return_value=page("empty_results.html"))
    source = make_source(FakeClock())
    pages, error = collect(source)
    assert error is None
    assert [(p.records, p.cursor) for p in pages] == [([], None)]
    assert source.requests == 1


def test_since_asks_scholar_for_those_years_only(
    scholar_pages: respx.Route, router: respx.MockRouter
) -> None:
    source = make_source(FakeClock())
    pages, error = collect(source, since=date(2024, 6, 1))
    assert error is None and len(pages) == 2
    first = router.calls[0].request.url
    assert first.params["as_ylo"] == "2024"
    assert "as_yhi" not in first.params


def test_resume_from_cursor(scholar_pages: respx.Route, router: respx.MockRouter) -> None:
    source = make_source(FakeClock())
    pages, error = collect(source, cursor=json.dumps({"start": 10}))
    assert error is None
    assert [p.cursor for p in pages] == [None]
    assert [r.native_id for r in pages[0].records] == ["M3n4B5v6C7xJ", "P0o9I8u7Y6tJ"]
    assert [call.request.url.params["start"] for call in router.calls] == ["10"]


def test_max_pages_stops_without_fetching_more(scholar_pages: respx.Route, router: respx.MockRouter) -> None:
    source = make_source(FakeClock(), max_pages=1)
    pages, error = collect(source)
    assert error is None
    assert [p.cursor for p in pages] == [None]
    assert source.requests == 1
    # a cursor already past the cap asks for nothing
    assert collect(source, cursor=json.dumps({"start": 10})) == ([], None)
    assert source.requests == 1


def test_captcha_fails_fast_without_a_browser(router: respx.MockRouter) -> None:
    router.get(SCHOLAR).mock(return_value=page("captcha_page.html"))
    clock = FakeClock()
    source = make_source(clock)
    began = time.monotonic()
    pages, error = collect(source)
    assert pages == []
    assert isinstance(error, RateLimited)
    assert "Google Scholar blocked the request (captcha)" in str(error)
    assert source.requests == 1
    assert clock.used < 15
    assert time.monotonic() - began < 5
    assert_scholarly_restored()


def test_repeated_403_ends_within_the_budget(router: respx.MockRouter) -> None:
    route = router.get(SCHOLAR).mock(return_value=httpx.Response(403, text="<html>Forbidden</html>"))
    clock = FakeClock()
    source = make_source(clock)
    began = time.monotonic()
    pages, error = collect(source)
    assert pages == []
    assert isinstance(error, RateLimited)
    assert "HTTP 403" in str(error)
    assert clock.used <= BUDGET
    assert any(s >= 60 for s in clock.sleeps)  # scholarly's own 60-120 s back-off, taken in fake time
    assert 2 <= source.requests == route.call_count <= 6
    assert time.monotonic() - began < 5
    assert_scholarly_restored()


def test_dos_captcha_never_loops_forever(router: respx.MockRouter) -> None:
    route = router.get(SCHOLAR).mock(return_value=page("dos_captcha_page.html", status=429))
    clock = FakeClock()
    source = make_source(clock)
    began = time.monotonic()
    pages, error = collect(source)
    assert pages == []
    assert isinstance(error, RateLimited)
    assert "DOS captcha" in str(error)
    assert clock.used <= BUDGET
    assert 1 <= route.call_count <= 4  # 60-120 s between tries: a 240 s budget allows a few
    assert time.monotonic() - began < 5
    assert_scholarly_restored()


def test_without_a_deadline_budget_seconds_still_bounds_a_search(router: respx.MockRouter) -> None:
    router.get(SCHOLAR).mock(return_value=page("dos_captcha_page.html", status=429))
    clock = FakeClock()
    settings = SourceSettings(name="scholar", per_minute=6, budget_seconds=200)
    source = ScholarSource.from_context(SourceContext(settings=settings, sleep=clock.sleep, clock=clock))
    pages, error = collect(source)
    assert isinstance(error, RateLimited)
    assert clock.used <= 200


def test_server_error_then_success(router: respx.MockRouter) -> None:
    router.get(SCHOLAR, params={"start": "10"}).mock(return_value=page("results_page_2.html"))
    router.get(SCHOLAR).mock(side_effect=[httpx.Response(503, text="busy"), page("results_page_1.html")])
    source = make_source(FakeClock())
    pages, error = collect(source)
    assert error is None
    assert [len(p.records) for p in pages] == [2, 2]
    assert source.requests == 3


def test_timeouts_end_as_transient_error(router: respx.MockRouter) -> None:
    router.get(SCHOLAR).mock(side_effect=httpx.ReadTimeout("timed out"))
    source = make_source(FakeClock())
    pages, error = collect(source)
    assert pages == []
    assert isinstance(error, TransientError)
    assert isinstance(error.__cause__, scholar.MaxTriesExceededException)
    assert "timed out" in str(error)
    assert source.requests == 7  # 3 with a growing timeout on one session, then 4 fresh sessions
    assert_scholarly_restored()


def test_malformed_page(router: respx.MockRouter) -> None:
    Navigator().publib = "/citations?info={id}&stale=1"  # left over from an earlier search
    router.get(SCHOLAR).mock(return_value=page("malformed_page.html"))
    pages, error = collect(make_source(FakeClock()))
    assert pages == []
    assert isinstance(error, MalformedResponse)
    assert isinstance(error.__cause__, AttributeError)
    assert_scholarly_restored()


def test_budget_runs_out_after_a_page(scholar_pages: respx.Route) -> None:
    """The 6/min spacing would push page 2 past an 8 s budget: page 1 is kept, with its cursor."""
    clock = FakeClock()
    source = make_source(clock, budget=8.0)
    pages, error = collect(source)
    assert isinstance(error, BudgetExceeded)
    assert [p.cursor for p in pages] == [json.dumps({"start": 10})]
    assert len(pages[0].records) == 2
    assert source.requests == 1
    assert clock.used <= 8.0
    assert_scholarly_restored()


def test_a_hanging_request_cannot_hold_the_run(router: respx.MockRouter) -> None:
    """Real clock: the request never answers, the caller still returns at the deadline."""
    release = threading.Event()

    def hang(request: httpx.Request) -> httpx.Response:
        release.wait(20)
        return page("results_page_2.html")

    router.get(SCHOLAR).mock(side_effect=hang)
    offset = [0.0]  # sleeps are skipped but counted, so the clock is real time plus the skipped sleeps

    def clock() -> float:
        return time.monotonic() + offset[0]

    def sleep(seconds: float) -> None:
        offset[0] += seconds

    settings = SourceSettings(name="scholar", per_minute=600, options={})
    ctx = SourceContext(settings=settings, sleep=sleep, clock=clock, deadline=clock() + 3.5)
    source = ScholarSource.from_context(ctx)
    began = time.monotonic()
    try:
        pages, error = collect(source)
        assert pages == []
        assert isinstance(error, BudgetExceeded)
        assert time.monotonic() - began < 6
    finally:
        release.set()
    for _ in range(50):  # the worker restores scholarly once its request returns
        if not scholar._LOCK.locked():
            break
        time.sleep(0.1)
    assert_scholarly_restored()


def test_state_left_by_an_earlier_403_is_reset(router: respx.MockRouter) -> None:
    """scholarly's got_403 would make the first 403 wait 60-120 s; each search starts clean."""
    Navigator().got_403 = True
    router.get(SCHOLAR, params={"start": "10"}).mock(return_value=page("results_page_2.html"))
    router.get(SCHOLAR).mock(side_effect=[httpx.Response(403, text="Forbidden"), page("results_page_1.html")])
    clock = FakeClock()
    pages, error = collect(make_source(clock))
    assert error is None and len(pages) == 2
    assert all(s < 60 for s in clock.sleeps)


def test_closing_early_stops_the_worker(scholar_pages: respx.Route) -> None:
    source = make_source(FakeClock())
    search = source.search(QUERY, None)
    first = next(search)
    assert first.cursor == json.dumps({"start": 10})
    search.close()
    assert_scholarly_restored()


def test_context_transport_serves_scholarly_sessions() -> None:
    """Replay mode hands a transport in the context; scholarly closing sessions must not close it."""
    answers = iter(
        [httpx.Response(500, text="oops"), page("results_page_1.html"), page("results_page_2.html")]
    )
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return next(answers)

    clock = FakeClock()
    settings = SourceSettings(name="scholar", per_minute=6, options={})
    ctx = SourceContext(
        settings=settings, sleep=clock.sleep, clock=clock, deadline=clock.now + BUDGET,
        transport=httpx.MockTransport(handler),
    )
    source = ScholarSource.from_context(ctx)
    pages, error = collect(source)
    assert error is None
    assert [len(p.records) for p in pages] == [2, 2]
    assert source.requests == len(seen) == 3
    assert {url.host for url in seen} == {"scholar.google.com"}


def test_requests_add_up_across_searches(scholar_pages: respx.Route) -> None:
    source = make_source(FakeClock())
    collect(source)
    collect(source)
    assert source.requests == 4


def test_base_url_cannot_move_scholar(caplog: pytest.LogCaptureFixture) -> None:
    settings = SourceSettings(name="scholar", base_url="http://localhost:9999")
    ScholarSource.from_context(SourceContext(settings=settings))
    assert "ignored" in caplog.text


def test_bad_cursor() -> None:
    source = make_source(FakeClock())
    with pytest.raises(scholar.SourceError):
        list(source.search(QUERY, None, cursor="page=3"))
