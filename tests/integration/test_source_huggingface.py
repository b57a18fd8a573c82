"""HuggingFaceSource against a respx-faked Hub: list endpoints, Link paging, cards, limits."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crawler.errors import InputError, MalformedResponse, RateLimited, SourceError, TransientError
from crawler.models import Query
from sources.base import SourceContext, SourceSettings
from sources.huggingface import HuggingFaceSource

BASE = "https://hf.test"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "huggingface"
DATASETS = Query("ultrasound", "dataset")
MODELS = Query("ultrasound", "model")
NEXT = f"{BASE}/api/datasets?search=ultrasound&sort=lastModified&direction=-1&limit=2&full=true&cursor=eyIkb3IiOjJ9"
RATE_HEADERS = {"RateLimit": '"api";r=0;t=17', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def card(name: str) -> str:
    return (FIXTURES / f"{name}.md").read_text(encoding="utf-8")


class FakeTime:
    """Clock + sleep recorder: sleeping advances the clock, so tests run instantly."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def wall(self) -> float:
        return 1_700_000_000.0 + self.now


def make_source(
    secrets: dict[str, str] | None = None,
    time: FakeTime | None = None,
    known: dict[str, str] | None = None,
) -> HuggingFaceSource:
    time = time or FakeTime()
    known = known or {}
    settings = SourceSettings(
        name="huggingface", base_url=BASE, per_minute=float("inf"), page_size=2, max_retries=2
    )
    ctx = SourceContext(
        settings=settings,
        secrets=secrets or {},
        sleep=time.sleep,
        clock=time.clock,
        wall_clock=time.wall,
        known_version=known.get,
    )
    return HuggingFaceSource.from_context(ctx)


class FakeHub:
    """The Hub endpoints this source uses, answering from fixtures and recording requests."""

    CARDS = {
        "/datasets/someorg/thyroid-ultrasound-seg/raw/main/README.md": "card_thyroid",
        "/datasets/breast-lab/busi-gated/raw/main/README.md": "card_busi_gated",
        "/someorg/echo-ef-regressor/raw/main/README.md": "card_echo",
    }

    def __init__(self, router: respx.MockRouter) -> None:
        self.requests: list[httpx.Request] = []
        self.datasets = router.get("/api/datasets").mock(side_effect=self._datasets)
        self.models = router.get("/api/models").mock(side_effect=self._models)
        self.cards = router.get(path__regex=r"/.+/raw/main/README\.md$").mock(side_effect=self._card)

    def _datasets(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.params.get("cursor"):
            return httpx.Response(200, json=fixture("datasets_page2"), headers=RATE_HEADERS)
        headers = {**RATE_HEADERS, "Link": f'<{NEXT}>; rel="next"'}
        return httpx.Response(200, json=fixture("datasets_page1"), headers=headers)

    def _models(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=fixture("models_page1"))

    def _card(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        name = self.CARDS.get(request.url.path)
        if name is None:
            return httpx.Response(404, text="Entry not found", headers={"X-Error-Code": "EntryNotFound"})
        return httpx.Response(200, text=card(name), headers={"Content-Type": "text/plain; charset=utf-8"})

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def test_datasets_page_by_link_header_and_fetch_cards() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        source = make_source()
        pages = list(source.search(DATASETS, since=None))

    assert [len(p.records) for p in pages] == [2, 1]
    # relative to the base URL, so a resumed run survives a moved host
    assert json.loads(pages[0].cursor) == {"kind": "dataset", "url": NEXT.removeprefix(BASE)}
    assert pages[1].cursor is None
    first_list = hub.requests[0]
    assert dict(first_list.url.params) == {
        "search": "ultrasound",
        "sort": "lastModified",
        "direction": "-1",
        "limit": "2",
        "full": "true",
    }
    assert str(hub.requests[3].url) == NEXT  # the second page is exactly the Link target
    # the old dataset lists no README.md among its files: no card request for it
    assert hub.paths() == [
        "/api/datasets",
        "/datasets/someorg/thyroid-ultrasound-seg/raw/main/README.md",
        "/datasets/breast-lab/busi-gated/raw/main/README.md",
        "/api/datasets",
    ]
    thyroid, gated = pages[0].records
    assert thyroid.source == "huggingface"
    assert thyroid.native_id == "dataset:someorg/thyroid-ultrasound-seg"
    assert thyroid.url == "https://huggingface.co/datasets/someorg/thyroid-ultrasound-seg"
    assert thyroid.updated_at == "2024-09-02T16:03:11.000Z"
    assert thyroid.payload == {"type": "dataset", "item": fixture("datasets_page1")[0], "card": card("card_thyroid")}
    assert gated.payload["item"]["gated"] == "manual"  # gated repos are kept
    assert pages[1].records[0].payload["card"] is None
    json.dumps(thyroid.payload)
    assert source.requests == 4


def test_models_ask_for_card_data_and_a_missing_card_is_none() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        pages = list(make_source().search(MODELS, since=None))
    assert len(pages) == 1 and pages[0].cursor is None
    assert hub.requests[0].url.params["cardData"] == "true"
    assert hub.requests[0].url.params["full"] == "true"
    echo, denoiser = pages[0].records
    assert echo.native_id == "model:someorg/echo-ef-regressor"
    assert echo.url == "https://huggingface.co/someorg/echo-ef-regressor"
    assert echo.payload["card"] == card("card_echo")
    assert denoiser.payload["card"] is None  # 404 "Entry not found"
    assert hub.paths()[1:] == ["/someorg/echo-ef-regressor/raw/main/README.md", "/lab/us-denoiser/raw/main/README.md"]


def test_any_query_lists_datasets_then_models() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        FakeHub(router)
        pages = list(make_source().search(Query("ultrasound", "any"), None))
    assert [json.loads(p.cursor) if p.cursor else None for p in pages] == [
        {"kind": "dataset", "url": NEXT.removeprefix(BASE)},
        {"kind": "model"},
        None,
    ]
    assert [r.native_id.partition(":")[0] for p in pages for r in p.records] == ["dataset"] * 3 + ["model"] * 2


def test_empty_result() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        route = router.get("/api/datasets").mock(return_value=httpx.Response(200, json=[]))
        pages = list(make_source().search(DATASETS, None))
    assert [(p.records, p.cursor) for p in pages] == [([], None)]
    assert route.call_count == 1


def test_incremental_run_stops_at_the_first_item_older_than_since() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        pages = list(make_source().search(DATASETS, since=date(2024, 8, 20)))
    assert [r.native_id for p in pages for r in p.records] == ["dataset:someorg/thyroid-ultrasound-seg"]
    assert pages[-1].cursor is None
    # the Link to page 2 is not followed and the older item's card is not fetched
    assert hub.paths() == ["/api/datasets", "/datasets/someorg/thyroid-ultrasound-seg/raw/main/README.md"]
    assert hub.requests[0].url.params["sort"] == "lastModified"


def test_rate_limited_waits_what_the_ratelimit_header_says() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/datasets").mock(
            side_effect=[
                httpx.Response(429, text="Too Many Requests", headers=RATE_HEADERS),
                httpx.Response(200, json=[]),
            ]
        )
        pages = list(make_source(time=time).search(DATASETS, None))
    assert pages[0].records == []
    assert time.sleeps == [17.0]


def test_rate_limited_until_retries_run_out_raises_rate_limited() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/datasets").mock(return_value=httpx.Response(429, headers=RATE_HEADERS))
        with pytest.raises(RateLimited) as caught:
            list(make_source(time=time).search(DATASETS, None))
    assert caught.value.wait == 17.0
    assert time.sleeps == [17.0, 17.0]


def test_server_error_then_success() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/models").mock(
            side_effect=[httpx.Response(502, text="Bad Gateway"), httpx.Response(200, json=[])]
        )
        pages = list(make_source(time=time).search(MODELS, None))
    assert pages[0].records == []
    assert time.sleeps == [2.0]


def test_card_server_error_is_retried_not_swallowed() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/models").mock(return_value=httpx.Response(200, json=fixture("models_page1")[:1]))
        router.get("/someorg/echo-ef-regressor/raw/main/README.md").mock(return_value=httpx.Response(500))
        with pytest.raises(TransientError):
            list(make_source().search(MODELS, None))


def test_timeout_then_success_and_timeouts_until_retries_run_out() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/datasets").mock(side_effect=[httpx.ConnectTimeout("slow"), httpx.Response(200, json=[])])
        assert list(make_source(time=time).search(DATASETS, None))[0].records == []
    assert time.sleeps == [2.0]
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        route = router.get("/api/datasets").mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(TransientError) as caught:
            list(make_source().search(DATASETS, None))
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)
    assert route.call_count == 3


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<!doctype html><title>Hugging Face</title>", headers={"Content-Type": "text/html"}),
        httpx.Response(200, json={"error": "Invalid sort parameter"}),
        httpx.Response(200, json=[{"_id": "x", "author": "no id"}]),
    ],
)
def test_malformed_body_raises_malformed_response(response: httpx.Response) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/datasets").mock(return_value=response)
        with pytest.raises(MalformedResponse):
            list(make_source().search(DATASETS, None))


def test_client_error_is_a_source_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/datasets").mock(return_value=httpx.Response(400, json={"error": "Invalid sort parameter"}))
        with pytest.raises(SourceError, match="400"):
            list(make_source().search(DATASETS, None))


def test_token_is_optional_and_sent_as_bearer_when_given() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        list(make_source().search(DATASETS, None))
    assert all("authorization" not in r.headers for r in hub.requests)

    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        list(make_source(secrets={"HF_TOKEN": "hf_secret"}).search(DATASETS, None))
    assert hub.requests and all(r.headers["authorization"] == "Bearer hf_secret" for r in hub.requests)


def test_resume_from_cursor_follows_the_stored_link() -> None:
    cursor = json.dumps({"kind": "dataset", "url": NEXT})
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        pages = list(make_source().search(DATASETS, None, cursor=cursor))
    assert str(hub.requests[0].url) == NEXT
    assert [r.native_id for p in pages for r in p.records] == ["dataset:legacy/kidney-us-2023"]
    assert pages[-1].cursor is None


def test_resume_into_the_models_half_of_an_any_query() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        list(make_source().search(Query("ultrasound", "any"), None, cursor=json.dumps({"kind": "model"})))
    assert "/api/datasets" not in hub.paths()
    assert hub.paths()[0] == "/api/models"


def test_a_foreign_cursor_is_refused() -> None:
    with pytest.raises(InputError):
        list(make_source().search(MODELS, None, cursor=json.dumps({"kind": "dataset", "url": NEXT})))


def test_unchanged_item_skips_the_card_request() -> None:
    known = {"dataset:someorg/thyroid-ultrasound-seg": "2024-09-02T16:03:11.000Z"}
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        hub = FakeHub(router)
        pages = list(make_source(known=known).search(DATASETS, None))
    thyroid, gated = pages[0].records
    assert thyroid.unchanged and thyroid.payload["card"] is None
    assert not gated.unchanged and gated.payload["card"] == card("card_busi_gated")
    assert "/datasets/someorg/thyroid-ultrasound-seg/raw/main/README.md" not in hub.paths()


@pytest.mark.parametrize("status", [401, 403])
def test_private_or_gated_card_is_no_card(status: int) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/api/datasets").mock(return_value=httpx.Response(200, json=fixture("datasets_page1")[1:]))
        router.get("/datasets/breast-lab/busi-gated/raw/main/README.md").mock(
            return_value=httpx.Response(status, text="Access to this resource is restricted")
        )
        pages = list(make_source().search(DATASETS, None))
    record = pages[0].records[0]
    assert record.payload["card"] is None and not record.unchanged
