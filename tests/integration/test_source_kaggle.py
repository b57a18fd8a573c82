"""KaggleSource against a respx-faked api.kaggle.com speaking the kaggle 2.2.5 RPC dialect."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crawler.errors import MalformedResponse, NotConfigured, RateLimited, SourceError, TransientError
from crawler.models import Query
from sources.base import SourceContext, SourceSettings
from sources.kaggle import KaggleSource

BASE = "https://api.kaggle.test"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kaggle"
TOKEN = {"KAGGLE_API_TOKEN": "KGAT_test_token"}
LIST_DATASETS = "/v1/datasets.DatasetApiService/ListDatasets"
METADATA = "/v1/datasets.DatasetApiService/GetDatasetMetadata"
LIST_MODELS = "/v1/models.ModelApiService/ListModels"
GET_MODEL = "/v1/models.ModelApiService/GetModel"
DATASETS = Query("ultrasound", "dataset")
MODELS = Query("ultrasound", "model")


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


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
    max_retries: int = 2,
) -> KaggleSource:
    time = time or FakeTime()
    known = known or {}
    settings = SourceSettings(
        name="kaggle", base_url=BASE, per_minute=float("inf"), page_size=2, max_retries=max_retries
    )
    ctx = SourceContext(
        settings=settings,
        secrets=TOKEN if secrets is None else secrets,
        sleep=time.sleep,
        clock=time.clock,
        wall_clock=time.wall,
        known_version=known.get,
    )
    return KaggleSource.from_context(ctx)


class FakeKaggle:
    """The RPC endpoints, answering from fixtures and recording every (method, body)."""

    METADATA = {
        "breast-ultrasound-images-busi": "metadata_busi",
        "thyroid-nodule-ultrasound": "metadata_thyroid",
        "fetal-head-circumference-hc18": "metadata_fetal",
    }

    def __init__(self, router: respx.MockRouter, dataset_pages: dict[int, str] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.headers: list[httpx.Headers] = []
        self.dataset_pages = dataset_pages or {1: "datasets_page1", 2: "datasets_page2"}
        self.models = {"": "models_page1", "CAEQ4gEaBggBEgIYAg": "models_page2"}
        self.list_datasets = router.post(LIST_DATASETS).mock(side_effect=self._list_datasets)
        self.metadata = router.post(METADATA).mock(side_effect=self._metadata)
        self.list_models = router.post(LIST_MODELS).mock(side_effect=self._list_models)
        self.get_model = router.post(GET_MODEL).mock(side_effect=self._get_model)

    def _record(self, method: str, request: httpx.Request) -> dict[str, Any]:
        body = json.loads(request.content)
        self.calls.append((method, body))
        self.headers.append(request.headers)
        return body

    def _list_datasets(self, request: httpx.Request) -> httpx.Response:
        body = self._record("ListDatasets", request)
        return httpx.Response(200, json=fixture(self.dataset_pages.get(body["page"], "datasets_empty")))

    def _metadata(self, request: httpx.Request) -> httpx.Response:
        body = self._record("GetDatasetMetadata", request)
        name = self.METADATA.get(body["datasetSlug"])
        if name is None:
            return httpx.Response(404, json=fixture("metadata_not_found"))
        return httpx.Response(200, json=fixture(name))

    def _list_models(self, request: httpx.Request) -> httpx.Response:
        body = self._record("ListModels", request)
        return httpx.Response(200, json=fixture(self.models.get(body["pageToken"], "models_empty")))

    def _get_model(self, request: httpx.Request) -> httpx.Response:
        self._record("GetModel", request)
        return httpx.Response(200, json=fixture("get_model_echonet"))

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]


def list_body(page: int) -> dict[str, Any]:
    return {
        "sortBy": "DATASET_SORT_BY_UPDATED",
        "tagIds": "",
        "search": "ultrasound",
        "user": "",
        "page": page,
        "pageToken": "",
        "pageSize": 2,
    }


def test_datasets_page_to_the_last_page_with_metadata() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        source = make_source()
        pages = list(source.search(DATASETS, since=None))

    assert [len(p.records) for p in pages] == [2, 1]
    assert json.loads(pages[0].cursor) == {"kind": "dataset", "page": 2}
    assert pages[1].cursor is None
    list_bodies = [body for method, body in fake.calls if method == "ListDatasets"]
    assert list_bodies == [list_body(1), list_body(2)]
    metadata_bodies = [body for method, body in fake.calls if method == "GetDatasetMetadata"]
    assert metadata_bodies[0] == {"ownerSlug": "someuser", "datasetSlug": "breast-ultrasound-images-busi"}
    assert len(metadata_bodies) == 3

    first = pages[0].records[0]
    assert first.source == "kaggle"
    assert first.native_id == "dataset:someuser/breast-ultrasound-images-busi"
    assert first.url == "https://www.kaggle.com/datasets/someuser/breast-ultrasound-images-busi"
    assert first.updated_at == "2024-03-05T14:22:10.123Z"
    assert not first.unchanged
    assert first.payload["type"] == "dataset"
    assert first.payload["item"] == fixture("datasets_page1")["datasets"][0]
    assert first.payload["metadata"] == fixture("metadata_busi")["info"]
    json.dumps(first.payload)  # staged verbatim: must be JSON-serialisable
    assert all(h["authorization"] == "Bearer KGAT_test_token" for h in fake.headers)
    assert all(h["content-type"] == "application/json" for h in fake.headers)
    assert source.requests == 5


def test_legacy_username_and_key_are_sent_as_basic_auth() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router, dataset_pages={1: "datasets_empty"})
        list(make_source(secrets={"KAGGLE_USERNAME": "demo", "KAGGLE_KEY": "key"}).search(DATASETS, None))
    expected = "Basic " + base64.b64encode(b"demo:key").decode()
    assert fake.headers[0]["authorization"] == expected


def test_token_wins_over_legacy_key() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router, dataset_pages={1: "datasets_empty"})
        secrets = {**TOKEN, "KAGGLE_USERNAME": "demo", "KAGGLE_KEY": "key"}
        list(make_source(secrets=secrets).search(DATASETS, None))
    assert fake.headers[0]["authorization"] == "Bearer KGAT_test_token"


def test_missing_credentials_is_not_configured_and_sends_nothing() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        with pytest.raises(NotConfigured) as caught:
            make_source(secrets={"KAGGLE_USERNAME": "demo"})
    assert str(caught.value) == (
        "kaggle: no credentials (set KAGGLE_API_TOKEN, or KAGGLE_USERNAME and KAGGLE_KEY, or ~/.kaggle/kaggle.json)"
    )
    assert caught.value.source == "kaggle"
    assert fake.calls == []


def test_empty_result_is_one_empty_last_page() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router, dataset_pages={1: "datasets_empty"})
        pages = list(make_source().search(DATASETS, None))
    assert [(p.records, p.cursor) for p in pages] == [([], None)]
    assert fake.methods() == ["ListDatasets"]


def test_proto_json_without_the_datasets_key_is_an_empty_page() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(return_value=httpx.Response(200, json={"nextPageToken": ""}))
        pages = list(make_source().search(DATASETS, None))
    assert [(p.records, p.cursor) for p in pages] == [([], None)]


def test_incremental_run_stops_at_the_first_item_older_than_since() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        pages = list(make_source().search(DATASETS, since=date(2024, 3, 1)))
    assert [r.native_id for p in pages for r in p.records] == ["dataset:someuser/breast-ultrasound-images-busi"]
    assert pages[-1].cursor is None
    # page 2 is never asked for, and only the new item's metadata is fetched
    assert fake.methods() == ["ListDatasets", "GetDatasetMetadata"]
    assert fake.calls[0][1]["sortBy"] == "DATASET_SORT_BY_UPDATED"


def test_item_updated_on_the_since_day_is_kept() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        FakeKaggle(router)
        pages = list(make_source().search(DATASETS, since=date(2024, 2, 10)))
    # page 1 is all new, so page 2 is asked for; its first item is older: stop there
    assert [len(p.records) for p in pages] == [2, 0]
    assert pages[-1].cursor is None


@pytest.mark.parametrize("body", ["error_429_code", "error_429_resource_exhausted"])
def test_rate_limited_backs_off_then_succeeds(body: str) -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        FakeKaggle(router, dataset_pages={1: "datasets_empty"})
        router.post(LIST_DATASETS).mock(
            side_effect=[httpx.Response(429, json=fixture(body)), httpx.Response(200, json=fixture("datasets_empty"))]
        )
        pages = list(make_source(time=time).search(DATASETS, None))
    assert pages[0].records == []
    assert time.sleeps == [2.0]  # Kaggle sends no wait header: exponential backoff's first step


def test_rate_limited_honours_retry_after() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(
            side_effect=[
                httpx.Response(429, json=fixture("error_429_code"), headers={"Retry-After": "7"}),
                httpx.Response(200, json=fixture("datasets_empty")),
            ]
        )
        list(make_source(time=time).search(DATASETS, None))
    assert time.sleeps == [7.0]


def test_rate_limited_until_retries_run_out_raises_rate_limited() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(return_value=httpx.Response(429, json=fixture("error_429_code")))
        with pytest.raises(RateLimited) as caught:
            list(make_source(time=time).search(DATASETS, None))
    assert isinstance(caught.value.__cause__, httpx.HTTPStatusError)
    assert time.sleeps == [2.0, 4.0]


def test_error_code_in_a_200_body_is_an_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(return_value=httpx.Response(200, json=fixture("error_429_code")))
        with pytest.raises(RateLimited, match="TooManyRequests"):
            list(make_source().search(DATASETS, None))
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(return_value=httpx.Response(200, json={"code": 403, "message": "Forbidden"}))
        with pytest.raises(SourceError, match="403"):
            list(make_source().search(DATASETS, None))


def test_server_error_then_success() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        router.post(LIST_DATASETS).mock(
            side_effect=[httpx.Response(503, text="unavailable"), httpx.Response(200, json=fixture("datasets_page2"))]
        )
        pages = list(make_source(time=time).search(DATASETS, None))
    assert [r.native_id for r in pages[0].records] == ["dataset:fetal-group/fetal-head-circumference-hc18"]
    assert time.sleeps == [2.0]
    assert fake.methods() == ["GetDatasetMetadata"]


def test_timeout_then_success() -> None:
    time = FakeTime()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(
            side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=fixture("datasets_empty"))]
        )
        pages = list(make_source(time=time).search(DATASETS, None))
    assert pages[0].records == []
    assert time.sleeps == [2.0]


def test_timeouts_until_retries_run_out_raise_transient_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        route = router.post(LIST_DATASETS).mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(TransientError) as caught:
            list(make_source(max_retries=2).search(DATASETS, None))
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)
    assert route.call_count == 3


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>Kaggle is down for maintenance</html>", headers={"Content-Type": "text/html"}),
        httpx.Response(200, json=[{"ref": "a/b"}]),
        httpx.Response(200, json={"datasets": "nope"}),
        httpx.Response(200, json={"datasets": [{"title": "no ref"}]}),
    ],
)
def test_malformed_body_raises_malformed_response(response: httpx.Response) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(LIST_DATASETS).mock(return_value=response)
        with pytest.raises(MalformedResponse):
            list(make_source().search(DATASETS, None))


def test_resume_from_cursor_asks_for_the_next_page() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        pages = list(make_source().search(DATASETS, None, cursor=json.dumps({"kind": "dataset", "page": 2})))
    assert fake.calls[0] == ("ListDatasets", list_body(2))
    assert [r.native_id for p in pages for r in p.records] == ["dataset:fetal-group/fetal-head-circumference-hc18"]


def test_unchanged_item_skips_the_metadata_request() -> None:
    known = {"dataset:someuser/breast-ultrasound-images-busi": "2024-03-05T14:22:10.123Z"}
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router, dataset_pages={1: "datasets_page1"})
        pages = list(make_source(known=known).search(DATASETS, None))
    busi, thyroid = pages[0].records
    assert busi.unchanged and busi.payload["metadata"] is None
    assert not thyroid.unchanged and thyroid.payload["metadata"]["datasetSlug"] == "thyroid-nodule-ultrasound"
    slugs = [body["datasetSlug"] for method, body in fake.calls if method == "GetDatasetMetadata"]
    assert slugs == ["thyroid-nodule-ultrasound"]


def test_changed_item_is_fetched_again() -> None:
    known = {"dataset:someuser/breast-ultrasound-images-busi": "2023-01-01T00:00:00.000Z"}
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router, dataset_pages={1: "datasets_page1"})
        pages = list(make_source(known=known).search(DATASETS, None))
    assert not pages[0].records[0].unchanged
    assert fake.methods().count("GetDatasetMetadata") == 2


def test_metadata_not_found_keeps_the_record_without_metadata() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router, dataset_pages={1: "datasets_page1"})
        fake.METADATA = {"thyroid-nodule-ultrasound": "metadata_thyroid"}
        pages = list(make_source().search(DATASETS, None))
    busi, thyroid = pages[0].records
    assert busi.payload["metadata"] is None
    assert thyroid.payload["metadata"] is not None


def test_models_page_by_token_and_fetch_a_missing_description() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        pages = list(make_source().search(MODELS, None))
    assert [len(p.records) for p in pages] == [2, 1]
    assert json.loads(pages[0].cursor) == {"kind": "model", "token": "CAEQ4gEaBggBEgIYAg"}
    assert pages[1].cursor is None
    list_bodies = [body for method, body in fake.calls if method == "ListModels"]
    assert list_bodies[0] == {
        "search": "ultrasound",
        "sortBy": "LIST_MODELS_ORDER_BY_UPDATE_TIME",
        "owner": "",
        "pageSize": 2,
        "pageToken": "",
    }
    assert list_bodies[1]["pageToken"] == "CAEQ4gEaBggBEgIYAg"
    # only the model listed without a description costs a GetModel call
    assert [body for method, body in fake.calls if method == "GetModel"] == [
        {"ownerSlug": "echo-lab", "modelSlug": "echonet-ef"}
    ]
    plane, echonet = pages[0].records
    assert plane.native_id == "model:someorg/fetal-us-plane-classifier"
    assert plane.url == "https://www.kaggle.com/models/someorg/fetal-us-plane-classifier"
    assert plane.updated_at == "2024-07-01T10:00:00.000Z"
    assert plane.payload["metadata"] is None
    assert echonet.payload["metadata"]["description"].startswith("# EchoNet EF")


def test_models_without_update_time_are_not_cut_on_publish_time() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        pages = list(make_source().search(MODELS, since=date(2024, 6, 1)))
    assert sum(len(p.records) for p in pages) == 3
    assert fake.methods().count("ListModels") == 2


def test_models_with_update_time_stop_at_the_first_older_one() -> None:
    page = fixture("models_page1")
    page["models"][0]["updateTime"] = "2024-08-01T00:00:00Z"
    page["models"][1]["updateTime"] = "2024-05-01T00:00:00Z"
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        route = router.post(LIST_MODELS).mock(return_value=httpx.Response(200, json=page))
        pages = list(make_source().search(MODELS, since=date(2024, 6, 1)))
    assert [r.updated_at for p in pages for r in p.records] == ["2024-08-01T00:00:00Z"]
    assert pages[-1].cursor is None
    assert route.call_count == 1


def test_any_query_lists_datasets_then_models_and_resumes_between_them() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        pages = list(make_source().search(Query("ultrasound", "any"), None))
    assert [json.loads(p.cursor) if p.cursor else None for p in pages] == [
        {"kind": "dataset", "page": 2},
        {"kind": "model"},
        {"kind": "model", "token": "CAEQ4gEaBggBEgIYAg"},
        None,
    ]
    assert [r.native_id.partition(":")[0] for p in pages for r in p.records] == ["dataset"] * 3 + ["model"] * 3

    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        fake = FakeKaggle(router)
        list(make_source().search(Query("ultrasound", "any"), None, cursor=pages[1].cursor))
    assert "ListDatasets" not in fake.methods()
    assert fake.calls[0][1]["pageToken"] == ""


def test_a_foreign_cursor_is_refused() -> None:
    from crawler.errors import InputError

    with pytest.raises(InputError):
        list(make_source().search(DATASETS, None, cursor='{"kind": "model"}'))
    with pytest.raises(InputError):
        list(make_source().search(DATASETS, None, cursor="page=2"))
