"""OpenAlexSource against a fake OpenAlex (respx at the httpx transport), fixtures in tests/fixtures/openalex."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crawler.errors import BudgetExceeded, MalformedResponse, TransientError
from crawler.models import Page, Query
from sources import registry
from sources.base import SourceContext, SourceSettings
from sources.openalex import OpenAlexSource

FIXTURES = Path(__file__).parent.parent / "fixtures" / "openalex"
BASE = "https://openalex.test"
EPOCH = 1_700_000_000.0
QUERY = Query(text="ultrasound  deep learning", kind="model")
CURSOR_B = "IlsxNzE1NjQ0ODAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzQ0MDAwMDAwMDInXSI="
OK_HEADERS = {"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "99990", "X-RateLimit-Credits-Used": "10"}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeTime:
    """Monotonic clock, wall clock and a sleep that records its waits and advances both."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return EPOCH + self.now


def make_source(
    time: FakeTime,
    *,
    page_size: int = 2,
    options: dict[str, Any] | None = None,
    secrets: dict[str, str] | None = None,
    known: dict[str, str] | None = None,
    deadline: float | None = None,
) -> OpenAlexSource:
    settings = SourceSettings(
        name="openalex", base_url=BASE, per_minute=0, page_size=page_size, max_retries=2, options=options or {}
    )
    ctx = SourceContext(
        settings=settings,
        secrets=secrets or {},
        sleep=time.sleep,
        clock=time.clock,
        wall_clock=time.wall,
        deadline=deadline,
        known_version=lambda native_id: (known or {}).get(native_id),
    )
    return OpenAlexSource.from_context(ctx)


def server(pages: dict[str, str]):
    """A fake /works answering by cursor; an unknown cursor gets the empty last page."""

    def handler(request: httpx.Request) -> httpx.Response:
        name = pages.get(request.url.params["cursor"], "empty.json")
        return httpx.Response(200, json=load(name), headers=OK_HEADERS)

    return handler


HAPPY = {"*": "works_page1.json", CURSOR_B: "works_page2.json"}


def params_of(route: respx.Route) -> list[dict[str, str]]:
    return [dict(call.request.url.params) for call in route.calls]


def run(source: OpenAlexSource, since: date | None = None, cursor: str | None = None) -> list[Page]:
    return list(source.search(QUERY, since, cursor))


def test_registry_names_the_class() -> None:
    assert registry.get("openalex") is OpenAlexSource


def test_happy_path_follows_next_cursor_to_the_last_page() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server(HAPPY))
        pages = run(source)

    sent = params_of(route)
    assert sent == [
        {"search": "ultrasound deep learning", "per-page": "2", "cursor": "*"},
        {"search": "ultrasound deep learning", "per-page": "2", "cursor": CURSOR_B},
    ]
    assert [[r.native_id for r in p.records] for p in pages] == [["W4396521101", "W4400000002"], ["W4400000003"]]
    assert pages[0].cursor == json.dumps({"cursor": CURSOR_B})
    assert pages[1].cursor is None  # a short page is the last one: no request for an empty page
    first = pages[0].records[0]
    assert first.source == "openalex"
    assert first.url == "https://doi.org/10.1016/j.ultrasmedbio.2024.01.001"
    assert first.updated_at == "2024-09-30T06:12:44.123456"
    assert first.payload == {"item": load("works_page1.json")["results"][0]}
    no_doi = pages[1].records[0]
    assert no_doi.url == "https://www.medrxiv.org/content/10.1101/2025.01.01.25000001v1"
    assert source.requests == 2


def test_full_page_then_null_cursor_ends_the_query() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server({"*": "works_page1.json"}))
        pages = run(source)
    assert route.call_count == 2
    assert pages[-1].records == [] and pages[-1].cursor is None


def test_empty_result() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server({}))
        pages = run(source)
    assert route.call_count == 1
    assert [(p.records, p.cursor) for p in pages] == [([], None)]


def test_incremental_run_asks_only_for_the_new_window() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server(HAPPY))
        run(source)
        full = params_of(route)
        run(source, since=date(2024, 6, 1))
        incremental = params_of(route)[len(full):]
    assert all("filter" not in p for p in full)
    assert [p["filter"] for p in incremental] == ["from_publication_date:2024-06-01"] * 2


def test_configured_floor_and_filter_name() -> None:
    source = make_source(FakeTime(), options={"from_date": "2022-01-01", "date_filter": "from_created_date"})
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server({}))
        run(source)
        run(source, since=date(2024, 6, 1))
        run(source, since=date(2021, 1, 1))
    assert [p["filter"] for p in params_of(route)] == [
        "from_created_date:2022-01-01",
        "from_created_date:2024-06-01",
        "from_created_date:2022-01-01",
    ]


def test_per_page_is_capped_at_200() -> None:
    source = make_source(FakeTime(), page_size=500)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server({}))
        run(source)
    assert route.calls[0].request.url.params["per-page"] == "200"


def test_rate_limited_waits_seconds_until_midnight_from_the_header() -> None:
    time = FakeTime()
    source = make_source(time)
    headers = {"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4321"}
    with respx.mock(base_url=BASE) as mock:
        mock.get("/works").mock(
            side_effect=[
                httpx.Response(429, json=load("rate_limited.json"), headers=headers),
                httpx.Response(200, json=load("works_page2.json"), headers=OK_HEADERS),
            ]
        )
        page = next(source.search(QUERY, None))
    assert time.sleeps == [4321.0]  # a delta, not an epoch: X-RateLimit-Reset < 1e9
    assert [r.native_id for r in page.records] == ["W4400000003"]


def test_rate_limit_wait_past_the_budget_stops_the_source() -> None:
    time = FakeTime()
    source = make_source(time, deadline=600.0)
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "40000"}
    with respx.mock(base_url=BASE) as mock:
        mock.get("/works").mock(return_value=httpx.Response(429, json=load("rate_limited.json"), headers=headers))
        with pytest.raises(BudgetExceeded):
            run(source)
    assert time.sleeps == []


def test_server_error_then_success() -> None:
    time = FakeTime()
    source = make_source(time)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(
            side_effect=[httpx.Response(500), httpx.Response(200, json=load("works_page2.json"))]
        )
        page = next(source.search(QUERY, None))
    assert route.call_count == 2
    assert time.sleeps == [2.0]
    assert len(page.records) == 1


def test_timeouts_are_retried_then_raised_as_transient() -> None:
    time = FakeTime()
    source = make_source(time)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=httpx.ReadTimeout("read timed out"))
        with pytest.raises(TransientError) as excinfo:
            run(source)
    assert route.call_count == 3
    assert isinstance(excinfo.value.__cause__, httpx.TimeoutException)


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="upstream gateway error"),
        httpx.Response(200, json=load("malformed_shape.json")),
        httpx.Response(200, json={"meta": {"next_cursor": None}, "results": [{"title": "no id"}]}),
    ],
    ids=["not-json", "results-null", "work-without-id"],
)
def test_malformed_body_raises(response: httpx.Response) -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        mock.get("/works").mock(return_value=response)
        with pytest.raises(MalformedResponse):
            run(source)


def test_anonymous_sends_no_key_and_no_mailto() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server({}))
        run(source)
    params = route.calls[0].request.url.params
    assert "api_key" not in params and "mailto" not in params
    assert "authorization" not in route.calls[0].request.headers


def test_api_key_and_mailto_are_sent_as_params() -> None:
    source = make_source(
        FakeTime(), options={"mailto": "team@example.org"}, secrets={"OPENALEX_API_KEY": "oa-secret"}
    )
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server(HAPPY))
        run(source)
    for call in route.calls:
        assert call.request.url.params["mailto"] == "team@example.org"
        assert call.request.url.params["api_key"] == "oa-secret"


def test_resume_from_cursor() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/works").mock(side_effect=server(HAPPY))
        first = next(source.search(QUERY, None))
        resumed = run(source, cursor=first.cursor)
    assert [p["cursor"] for p in params_of(route)] == ["*", CURSOR_B]
    assert [[r.native_id for r in p.records] for p in resumed] == [["W4400000003"]]


def test_unchanged_records_are_flagged_without_extra_requests() -> None:
    source = make_source(FakeTime(), known={"W4396521101": "2024-09-30T06:12:44.123456", "W4400000002": "old"})
    with respx.mock(base_url=BASE) as mock:
        mock.get("/works").mock(side_effect=server(HAPPY))
        page = next(source.search(QUERY, None))
    assert [(r.native_id, r.unchanged) for r in page.records] == [("W4396521101", True), ("W4400000002", False)]
    assert source.requests == 1
