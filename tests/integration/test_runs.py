"""Discovery runs end to end: staging, run figures, watermarks, resume, failures, the lock.

Zenodo and OpenAlex are faked at the transport with respx; the orchestrator,
the real source clients and the database are exercised as they run.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx

from crawler import config as config_module
from crawler.db import Database
from crawler.errors import BusyError
from crawler.lock import RunLock
from crawler.runs import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, Discovery, RunOptions

FIXTURES = Path(__file__).parent.parent / "fixtures"
ZENODO = "https://zenodo.test"
OPENALEX = "https://openalex.test"


def zenodo_record(recid: int, title: str, updated: str = "2025-10-01T10:00:00+00:00") -> dict:
    page = json.loads((FIXTURES / "zenodo" / "dataset_page1.json").read_text())
    record = copy.deepcopy(page["hits"]["hits"][0])
    record.update({"id": recid, "recid": str(recid), "updated": updated, "title": title})
    record["metadata"]["title"] = title
    record["links"]["self_html"] = f"https://zenodo.org/records/{recid}"
    return record


class FakeZenodo:
    """Serves ``records`` in pages of ``size`` like /api/records; can fail on chosen pages."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records
        self.fail_pages: set[int] = set()
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        page = int(request.url.params.get("page", 1))
        size = int(request.url.params.get("size", 25))
        if page in self.fail_pages:
            return httpx.Response(503, json={"message": "unavailable", "status": 503})
        hits = self.records[(page - 1) * size : page * size]
        links = {"self": str(request.url)}
        if page * size < len(self.records):
            links["next"] = str(request.url.copy_set_param("page", page + 1))
        return httpx.Response(200, json={"hits": {"hits": hits, "total": len(self.records)}, "links": links})


def openalex_empty(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=json.loads((FIXTURES / "openalex" / "empty.json").read_text()))


@pytest.fixture
def cfg(tmp_path: Path) -> config_module.Config:
    toml = tmp_path / "sonocat.toml"
    toml.write_text(
        f"""
[sources.zenodo]
base_url = "{ZENODO}"
page_size = 2
resource_types = ["dataset"]
dataset_queries = ["ultrasound"]
model_queries = []
[sources.openalex]
base_url = "{OPENALEX}"
dataset_queries = ["ultrasound"]
model_queries = []
[sources.github]
enabled = false
[sources.kaggle]
enabled = false
[sources.scholar]
enabled = false
[sources.huggingface]
enabled = false
"""
    )
    return config_module.load(db=str(tmp_path / "c.db"), config_file=str(toml), environ={}, home=tmp_path)


def run(cfg: config_module.Config, **options) -> object:
    slept: list[float] = []
    return Discovery(cfg, RunOptions(**options), sleep=slept.append).run()


@pytest.fixture
def zenodo() -> FakeZenodo:
    return FakeZenodo([zenodo_record(i, f"Breast ultrasound set {i}") for i in range(1, 6)])


@pytest.fixture
def api(zenodo: FakeZenodo):
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{ZENODO}/api/records").mock(side_effect=zenodo)
        router.get(f"{OPENALEX}/works").mock(side_effect=openalex_empty)
        yield router


def test_first_run_stages_every_hit_with_its_payload_and_figures(cfg, api, zenodo):
    result = run(cfg)
    assert result.state == "ok" and result.exit_code == EXIT_OK
    by_source = {r.source: r for r in result.sources}
    z = by_source["zenodo"]
    assert (z.state, z.hits, z.new, z.changed, z.unchanged, z.errors) == ("ok", 5, 5, 0, 0, 0)
    assert z.requests == 3  # pages of 2, 2 and 1
    assert by_source["openalex"].state == "ok" and by_source["openalex"].hits == 0
    with Database.open(cfg.db_path) as db:
        records = db.raw_records(source="zenodo")
        assert len(records) == 5
        assert json.loads(records[0]["payload"])["item"]["id"] == 1
        assert all(r["needs_triage"] == 1 and r["first_seen"] == r["last_seen"] for r in records)
        rows = {r["source"]: r for r in db.run_sources(result.run_id)}
        assert rows["zenodo"]["new"] == 5 and rows["zenodo"]["state"] == "ok"
        assert db.get_run(result.run_id)["state"] == "ok"
        assert db.watermark("zenodo") is not None


def test_second_run_asks_only_for_the_new_window_and_stages_nothing_new(cfg, api, zenodo):
    run(cfg)
    with Database.open(cfg.db_path) as db:
        watermark = db.watermark("zenodo")
    zenodo.calls.clear()
    zenodo.records = []  # nothing new since the watermark
    second = run(cfg)
    z = {r.source: r for r in second.sources}["zenodo"]
    assert (z.hits, z.new, z.requests) == (0, 0, 1)  # one request per query
    q = zenodo.calls[0].url.params["q"]
    window = (date.fromisoformat(watermark[:10]) - __import__("datetime").timedelta(days=1)).isoformat()
    assert f"created:[{window} TO *]" in q


def test_unchanged_content_creates_no_new_work_and_changed_content_does(cfg, api, zenodo):
    run(cfg)
    with Database.open(cfg.db_path) as db:
        db.db.execute("UPDATE raw_records SET needs_triage = 0")
    zenodo.records[0]["stats"] = {"downloads": 999}  # volatile counter only
    zenodo.records[1]["metadata"]["description"] = "<p>Now with 3,000 images and masks.</p>"
    zenodo.records[1]["updated"] = "2025-12-01T00:00:00+00:00"
    result = run(cfg, full=True)
    z = {r.source: r for r in result.sources}["zenodo"]
    assert (z.new, z.changed, z.unchanged) == (0, 1, 4)
    with Database.open(cfg.db_path) as db:
        flagged = db.raw_records(needs_triage=True)
        assert [r["native_id"] for r in flagged] == ["2"]
        assert db.count_raw_records() == 5


def test_a_failing_source_does_not_stop_the_others_and_resumes_from_its_last_page(cfg, api, zenodo):
    zenodo.fail_pages = {2}
    first = run(cfg)
    by_source = {r.source: r for r in first.sources}
    assert by_source["zenodo"].state == "partial" and by_source["zenodo"].hits == 2
    assert "503" in by_source["zenodo"].reason
    assert by_source["openalex"].state == "ok"
    assert first.state == "partial" and first.exit_code == EXIT_PARTIAL
    with Database.open(cfg.db_path) as db:
        assert db.watermark("zenodo") is None  # not advanced by an incomplete run
    zenodo.fail_pages = set()
    zenodo.calls.clear()
    second = run(cfg)
    z = {r.source: r for r in second.sources}["zenodo"]
    assert [int(c.url.params["page"]) for c in zenodo.calls] == [2, 3]  # resumed, page 1 not asked again
    assert (z.state, z.new) == ("ok", 3)
    with Database.open(cfg.db_path) as db:
        assert db.count_raw_records() == 5
        assert db.watermark("zenodo") is not None


def test_nothing_ran_when_every_source_fails(cfg, api, zenodo):
    zenodo.fail_pages = {1}
    api.get(f"{OPENALEX}/works").mock(return_value=httpx.Response(500))
    result = run(cfg)
    assert result.state == "nothing" and result.exit_code == EXIT_NOTHING


def test_missing_credentials_skip_the_source_with_one_clear_reason(cfg, api):
    result = run(cfg, sources=["kaggle", "zenodo"])
    kaggle = {r.source: r for r in result.sources}["kaggle"]
    assert kaggle.state == "skipped" and "KAGGLE_API_TOKEN" in kaggle.reason
    assert result.state == "ok"


def test_explicit_since_is_used_and_full_ignores_the_watermark(cfg, api, zenodo):
    run(cfg, since=date(2025, 1, 1))
    assert "created:[2025-01-01 TO *]" in zenodo.calls[0].url.params["q"]
    zenodo.calls.clear()
    run(cfg, full=True)
    assert "created:" not in zenodo.calls[0].url.params["q"]


def test_a_run_refuses_while_another_holds_the_lock(cfg, api):
    with RunLock(cfg.db_path):
        with pytest.raises(BusyError, match="another discovery run"):
            run(cfg)
    assert run(cfg).state == "ok"


def test_a_run_left_running_by_a_killed_process_is_marked_interrupted(cfg, api):
    with Database.open(cfg.db_path, create=True) as db:
        stale = db.start_run("2025-01-01T00:00:00Z", "manual", {}, 12345)
    run(cfg)
    with Database.open(cfg.db_path) as db:
        assert db.get_run(stale)["state"] == "interrupted"
