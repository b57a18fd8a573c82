"""ZenodoSource against a fake Zenodo (respx at the httpx transport), fixtures in tests/fixtures/zenodo."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crawler.errors import MalformedResponse, TransientError
from crawler.models import Page, Query
from sources import registry
from sources.base import SourceContext, SourceSettings
from sources.zenodo import ZenodoSource

FIXTURES = Path(__file__).parent.parent / "fixtures" / "zenodo"
BASE = "https://zenodo.test"
EPOCH = 1_700_000_000.0
QUERY = Query(text="ultrasound imaging", kind="dataset")


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
    base_url: str = BASE,
    page_size: int = 2,
    secrets: dict[str, str] | None = None,
    known: dict[str, str] | None = None,
    max_retries: int = 2,
    options: dict | None = None,
) -> ZenodoSource:
    settings = SourceSettings(
        name="zenodo", base_url=base_url, per_minute=0, page_size=page_size, max_retries=max_retries,
        options=options or {},
    )
    ctx = SourceContext(
        settings=settings,
        secrets=secrets or {},
        sleep=time.sleep,
        clock=time.clock,
        wall_clock=time.wall,
        known_version=lambda native_id: (known or {}).get(native_id),
    )
    return ZenodoSource.from_context(ctx)


HAPPY = {
    ("dataset", 1): "dataset_page1.json",
    ("dataset", 2): "dataset_page2.json",
    ("software", 1): "software_page1.json",
    ("model", 1): "model_page1.json",
}
OK_HEADERS = {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29", "X-RateLimit-Reset": str(int(EPOCH) + 60)}


def server(pages: dict[tuple[str, int], str]):
    """A fake /api/records answering by (type, page); anything unlisted is an empty result."""

    def handler(request: httpx.Request) -> httpx.Response:
        key = (request.url.params.get("type", "any"), int(request.url.params["page"]))
        return httpx.Response(200, json=load(pages.get(key, "empty.json")), headers=OK_HEADERS)

    return handler


def params_of(route: respx.Route) -> list[dict[str, str]]:
    return [dict(call.request.url.params) for call in route.calls]


def run(source: ZenodoSource, since: date | None = None, cursor: str | None = None) -> list[Page]:
    return list(source.search(QUERY, since, cursor))


def test_registry_names_the_class() -> None:
    assert registry.get("zenodo") is ZenodoSource
    assert ZenodoSource.name == "zenodo"


def test_happy_path_pages_every_type_to_the_last_page() -> None:
    time = FakeTime()
    source = make_source(time)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=server(HAPPY))
        pages = run(source)

    sent = params_of(route)
    assert [(p["type"], p["page"]) for p in sent] == [
        ("dataset", "1"), ("dataset", "2"), ("software", "1"), ("model", "1"), ("publication", "1"),
    ]
    assert all(p["q"] == '"ultrasound imaging"' and p["size"] == "2" and p["sort"] == "mostrecent" for p in sent)
    assert [[r.native_id for r in page.records] for page in pages] == [
        ["11187654", "12000002"], ["13000003"], ["14000004"], ["15000005"], [],
    ]
    assert [page.cursor for page in pages] == [
        json.dumps({"type": 0, "page": 2}),
        json.dumps({"type": 1, "page": 1}),
        json.dumps({"type": 2, "page": 1}),
        json.dumps({"type": 3, "page": 1}),
        None,
    ]
    first = pages[0].records[0]
    assert first.source == "zenodo"
    assert first.url == "https://zenodo.org/records/11187654"
    assert first.payload == {"item": load("dataset_page1.json")["hits"]["hits"][0]}
    assert first.updated_at == "2024-05-14T08:31:09.201145+00:00"
    assert first.unchanged is False
    assert source.requests == 5
    assert "authorization" not in route.calls[0].request.headers


def test_empty_result_yields_an_empty_page_per_type() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=server({}))
        pages = run(source)
    assert [p.records for p in pages] == [[], [], [], []]
    assert pages[-1].cursor is None
    assert route.call_count == 4


def test_incremental_run_asks_only_for_the_new_window() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=server(HAPPY))
        run(source)
        full = params_of(route)
        run(source, since=date(2024, 6, 1))
        incremental = params_of(route)[len(full):]
    assert all("2024" not in p["q"] for p in full)
    # one search over every type per window: an incremental run costs one request per query
    assert [p["q"] for p in incremental] == [
        '("ultrasound imaging") AND (created:[2024-06-01 TO *] OR updated:[2024-06-01 TO *])'
    ]
    assert "type" not in incremental[0]


def test_incremental_search_keeps_only_the_configured_resource_types() -> None:
    source = make_source(FakeTime(), options={"resource_types": ["software"]})
    with respx.mock(base_url=BASE) as mock:
        mock.get("/api/records").mock(side_effect=server({("any", 1): "dataset_page1.json"}))
        kept = [r for page in run(source, since=date(2024, 6, 1)) for r in page.records]
    assert kept == []  # dataset records are not what this source was configured to look for
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        mock.get("/api/records").mock(side_effect=server({("any", 1): "dataset_page1.json"}))
        kept = [r for page in run(source, since=date(2024, 6, 1)) for r in page.records]
    assert len(kept) == len(load("dataset_page1.json")["hits"]["hits"])


def test_single_word_and_query_syntax_are_not_quoted() -> None:
    from sources.zenodo import build_q

    assert build_q("ultrasound", None) == "ultrasound"
    assert build_q('title:"lung ultrasound" AND dataset', None) == 'title:"lung ultrasound" AND dataset'
    assert build_q("public  ultrasound datasets", None) == '"public ultrasound datasets"'


@pytest.mark.parametrize(
    ("headers", "expected_wait"),
    [
        ({"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(EPOCH) + 37)}, 37.0),
        ({"Retry-After": "12", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(EPOCH) + 37)}, 12.0),
    ],
)
def test_rate_limited_waits_as_the_header_says_then_succeeds(headers: dict[str, str], expected_wait: float) -> None:
    time = FakeTime()
    source = make_source(time)
    with respx.mock(base_url=BASE) as mock:
        mock.get("/api/records").mock(
            side_effect=[
                httpx.Response(429, json=load("rate_limited.json"), headers=headers),
                httpx.Response(200, json=load("dataset_page2.json"), headers=OK_HEADERS),
            ]
        )
        page = next(source.search(QUERY, None))
    assert time.sleeps == [expected_wait]
    assert [r.native_id for r in page.records] == ["13000003"]


def test_server_error_then_success() -> None:
    time = FakeTime()
    source = make_source(time)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(
            side_effect=[httpx.Response(503), httpx.Response(200, json=load("dataset_page2.json"))]
        )
        page = next(source.search(QUERY, None))
    assert route.call_count == 2
    assert time.sleeps == [2.0]  # the HttpClient's first backoff step: no header to go by
    assert [r.native_id for r in page.records] == ["13000003"]


def test_timeouts_are_retried_then_raised_as_transient() -> None:
    time = FakeTime()
    source = make_source(time, max_retries=2)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=httpx.ReadTimeout("read timed out"))
        with pytest.raises(TransientError) as excinfo:
            run(source)
    assert route.call_count == 3
    assert isinstance(excinfo.value.__cause__, httpx.TimeoutException)
    assert time.sleeps == [2.0, 4.0]


def test_timeout_then_success() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        mock.get("/api/records").mock(
            side_effect=[httpx.ConnectTimeout("slow"), httpx.Response(200, json=load("dataset_page2.json"))]
        )
        page = next(source.search(QUERY, None))
    assert [r.native_id for r in page.records] == ["13000003"]


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>Service temporarily unavailable</html>"),
        httpx.Response(200, json=load("malformed_shape.json")),
        httpx.Response(200, json={"hits": {"hits": [{"title": "no id"}], "total": 1}}),
    ],
    ids=["not-json", "no-hits-list", "hit-without-id"],
)
def test_malformed_body_raises(response: httpx.Response) -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        mock.get("/api/records").mock(return_value=response)
        with pytest.raises(MalformedResponse):
            run(source)


def test_anonymous_requests_carry_no_token_and_never_exceed_25() -> None:
    source = make_source(FakeTime(), page_size=100)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=server({}))
        run(source)
    request = route.calls[0].request
    assert "authorization" not in request.headers
    assert request.url.params["size"] == "25"


def test_token_is_sent_as_bearer_and_lifts_the_cap_to_100() -> None:
    source = make_source(FakeTime(), page_size=500, secrets={"ZENODO_TOKEN": "zen-secret"})
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=server({}))
        run(source)
    request = route.calls[0].request
    assert request.headers["authorization"] == "Bearer zen-secret"
    assert request.url.params["size"] == "100"


def test_sandbox_base_url_is_used() -> None:
    source = make_source(FakeTime(), base_url="https://sandbox.zenodo.org")
    with respx.mock(base_url="https://sandbox.zenodo.org") as mock:
        route = mock.get("/api/records").mock(side_effect=server(HAPPY))
        run(source)
    assert route.call_count == 5
    assert all(call.request.url.host == "sandbox.zenodo.org" for call in route.calls)


def test_resume_from_cursor_starts_after_the_last_completed_page() -> None:
    source = make_source(FakeTime())
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/api/records").mock(side_effect=server(HAPPY))
        first = next(source.search(QUERY, None))
        resumed = run(source, cursor=first.cursor)
    assert [(p["type"], p["page"]) for p in params_of(route)[1:]] == [
        ("dataset", "2"), ("software", "1"), ("model", "1"), ("publication", "1"),
    ]
    assert [r.native_id for r in resumed[0].records] == ["13000003"]
    assert resumed[-1].cursor is None


def test_deep_paging_limit_stops_before_10000_hits(caplog: pytest.LogCaptureFixture) -> None:
    source = make_source(FakeTime(), page_size=25)
    always_more = {("dataset", 400): "dataset_page1.json", ("dataset", 401): "dataset_page1.json"}
    with respx.mock(base_url=BASE) as mock, caplog.at_level(logging.WARNING, logger="sources.zenodo"):
        route = mock.get("/api/records").mock(side_effect=server(always_more))
        pages = run(source, cursor=json.dumps({"type": 0, "page": 400}))
    assert [(p["type"], p["page"]) for p in params_of(route)][:2] == [("dataset", "400"), ("software", "1")]
    assert pages[0].cursor == json.dumps({"type": 1, "page": 1})
    assert "10000" in caplog.text


def test_unchanged_records_are_flagged_without_extra_requests() -> None:
    known = {"11187654": "2024-05-14T08:31:09.201145+00:00", "12000002": "2024-01-01T00:00:00+00:00"}
    source = make_source(FakeTime(), known=known)
    with respx.mock(base_url=BASE) as mock:
        mock.get("/api/records").mock(side_effect=server(HAPPY))
        page = next(source.search(QUERY, None))
    assert [(r.native_id, r.unchanged) for r in page.records] == [("11187654", True), ("12000002", False)]
    assert page.records[0].payload["item"]["id"] == 11187654
    assert source.requests == 1
