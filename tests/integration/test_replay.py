"""The replay server: every real source client against the bundled demo recording.

The clients run unmodified; only their ``base_url`` (and, for Scholar, the
httpx transport) points at ``sources.replay``. Sleeps are no-ops so the
per-minute spacing of the clients and scholarly's 1-2 s pauses cost nothing,
except in the end-to-end test, which runs discovery as ``--replay`` does.
"""

from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from crawler import config as config_module
from crawler.db import Database
from crawler.errors import InputError, RateLimited
from crawler.models import Query, RawRecord
from crawler.runs import RunOptions, run_discovery
from sources import registry, replay
from sources.base import SourceContext, SourceSettings

DEMO = replay.DEMO


def corpus(name: str) -> list[dict[str, Any]]:
    return json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8"))


def mentions(*values: Any, word: str = "ultrasound") -> bool:
    return word in json.dumps(values, ensure_ascii=False).lower()


@pytest.fixture(scope="module")
def module_server() -> Iterator[replay.ReplayServer]:
    with replay.serve("demo") as server:
        yield server


@pytest.fixture
def server(module_server: replay.ReplayServer) -> replay.ReplayServer:
    module_server.reset()
    return module_server


def make_source(
    server: replay.ReplayServer, name: str, *, page_size: int, known: dict[str, str] | None = None, **options: Any
) -> Any:
    settings = SourceSettings(
        name=name,
        base_url=server.base_urls().get(name, ""),
        per_minute=float("inf"),
        page_size=page_size,
        max_retries=0,
        options={"core_per_minute": float("inf"), **options} if name == "github" else options,
    )
    ctx = SourceContext(
        settings=settings,
        secrets=replay.SECRETS,
        sleep=lambda seconds: None,
        transport=server.scholar_transport(),
        known_version=(known or {}).get,
    )
    return registry.get(name).from_context(ctx)


def crawl(
    source: Any, query: Query, since: date | None = None, cursor: str | None = None
) -> tuple[list[RawRecord], list[str | None]]:
    records: list[RawRecord] = []
    cursors: list[str | None] = []
    try:
        for page in source.search(query, since, cursor):
            records += page.records
            cursors.append(page.cursor)
    finally:
        source.close()
    return records, cursors


def paths(server: replay.ReplayServer, source: str, part: str = "") -> list[str]:
    return [entry.path for entry in server.log if entry.source == source and part in entry.path]


def params(path: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(path).query))


# -- the recording and the mount points --------------------------------------------------------


def test_demo_recording_has_every_source_and_resolves_by_name() -> None:
    assert replay.resolve("demo") == DEMO
    loaded = replay.load_corpus(DEMO)
    assert set(loaded) == set(replay.SOURCES)
    assert all(8 <= len(entries) <= 12 for entries in loaded.values()), {k: len(v) for k, v in loaded.items()}


def test_resolve_refuses_a_missing_or_empty_directory_and_load_names_a_bad_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a directory"):
        replay.resolve(tmp_path / "nope")
    with pytest.raises(InputError, match="holds no recording"):
        replay.resolve(tmp_path)
    (tmp_path / "zenodo.json").write_text('[{"item": {"title": "no id"}}]')
    assert replay.resolve(tmp_path) == tmp_path
    with pytest.raises(InputError, match=r"zenodo.json entry 0 is not a zenodo payload"):
        replay.load_corpus(tmp_path)
    with pytest.raises(InputError, match="no limits for arxiv"):
        replay.ReplayServer({}, limits={"arxiv": 10})


def test_a_recording_without_some_sources_serves_them_empty(tmp_path: Path) -> None:
    (tmp_path / "openalex.json").write_text(json.dumps(corpus("openalex")[:1]))
    with replay.serve(tmp_path) as server:
        answer = httpx.get(server.base_urls()["zenodo"] + "/api/records", params={"q": "ultrasound"})
        assert answer.status_code == 200 and answer.json()["hits"] == {"hits": [], "total": 0}
        works = httpx.get(server.base_urls()["openalex"] + "/works", params={"search": "ultrasound"}).json()
        assert works["meta"]["count"] == 1


def test_base_urls_are_local_and_the_transport_moves_only_scholar(server: replay.ReplayServer) -> None:
    urls = server.base_urls()
    assert set(urls) == {"github", "zenodo", "kaggle", "huggingface", "openalex"}
    assert all(url.startswith(f"http://127.0.0.1:{server.port}/") for url in urls.values())
    assert urls["github"].endswith("/github/api/v3")
    transport = server.scholar_transport()
    with httpx.Client(transport=transport) as client:
        page = client.get("https://scholar.google.com/scholar", params={"q": "ultrasound"})
        other = client.get(urls["openalex"] + "/works", params={"search": "sonography"})
    assert page.status_code == 200 and 'class="gs_r gs_or gs_scl"' in page.text
    assert str(page.request.url).startswith("https://scholar.google.com/scholar")  # clients see Scholar's URL
    assert other.json()["meta"]["count"] == 1
    assert [e.source for e in server.log] == ["scholar", "openalex"]
    with httpx.Client(transport=transport) as again:  # closing a client does not close the shared transport
        assert again.get(urls["zenodo"] + "/api/records").status_code == 200


# -- each real client, paging the real way ----------------------------------------------------


def test_zenodo_pages_with_links_next_and_filters_on_type(server: replay.ReplayServer) -> None:
    expected = {
        str(p["item"]["id"]) for p in corpus("zenodo")
        if p["item"]["metadata"]["resource_type"]["type"] == "dataset" and mentions(p["item"]["metadata"])
    }
    source = make_source(server, "zenodo", page_size=2, resource_types=["dataset"])
    records, cursors = crawl(source, Query("ultrasound", "dataset"))
    assert {r.native_id for r in records} == expected and len(records) == len(expected)
    pages = math.ceil(len(expected) / 2)
    assert len(cursors) == pages and cursors[-1] is None
    asked = paths(server, "zenodo")
    assert len(asked) == pages == server.requests["zenodo"]
    assert all(params(p)["type"] == "dataset" and params(p)["size"] == "2" and params(p)["sort"] == "mostrecent"
               for p in asked)
    created = [r.payload["item"]["created"] for r in records]
    assert created == sorted(created, reverse=True)  # sort=mostrecent


def test_openalex_pages_with_cursors_until_next_cursor_is_null(server: replay.ReplayServer) -> None:
    expected = [p["item"]["id"].rsplit("/", 1)[1] for p in corpus("openalex") if mentions(p["item"])]
    source = make_source(server, "openalex", page_size=3)
    records, cursors = crawl(source, Query("ultrasound", "dataset"))
    assert [r.native_id for r in records] == expected
    asked = paths(server, "openalex")
    assert len(asked) == math.ceil(len(expected) / 3)
    assert params(asked[0])["cursor"] == "*" and all(params(p)["per-page"] == "3" for p in asked)
    assert cursors[-1] is None


def test_kaggle_pages_datasets_and_models_and_fetches_metadata(server: replay.ReplayServer) -> None:
    datasets = [p for p in corpus("kaggle") if p["type"] == "dataset" and mentions(p["item"], p["metadata"])]
    models = [p for p in corpus("kaggle") if p["type"] == "model" and mentions(p["item"], p["metadata"])]
    records, _ = crawl(make_source(server, "kaggle", page_size=2), Query("ultrasound", "any"))
    got_datasets = [r for r in records if r.payload["type"] == "dataset"]
    got_models = [r for r in records if r.payload["type"] == "model"]
    assert len(got_datasets) == len(datasets) and len(got_models) == len(models)
    updated = [r.updated_at for r in got_datasets]
    assert updated == sorted(updated, reverse=True)  # DATASET_SORT_BY_UPDATED
    assert all(r.payload["metadata"]["description"] for r in got_datasets)  # GetDatasetMetadata per new dataset
    echo = next(r for r in got_models if r.native_id == "model:cardio-ml/echo-ef-regressor")
    assert echo.payload["item"]["description"] == "" and "ejection fraction" in echo.payload["metadata"]["description"]
    assert len(paths(server, "kaggle", "ListDatasets")) == math.ceil(len(datasets) / 2) + (len(datasets) % 2 == 0)
    assert len(paths(server, "kaggle", "ListModels")) == math.ceil(len(models) / 2)
    assert len(paths(server, "kaggle", "GetDatasetMetadata")) == len(datasets)
    assert len(paths(server, "kaggle", "GetModel")) == 1


def test_huggingface_follows_the_link_cursor_and_fetches_cards(server: replay.ReplayServer) -> None:
    models = [p for p in corpus("huggingface") if p["type"] == "model" and mentions(p["item"], p["card"])]
    records, _ = crawl(make_source(server, "huggingface", page_size=2), Query("ultrasound", "model"))
    assert sorted(r.native_id for r in records) == sorted(f"model:{p['item']['id']}" for p in models)
    modified = [r.updated_at for r in records]
    assert modified == sorted(modified, reverse=True)
    by_id = {p["item"]["id"]: p for p in models}
    assert all(r.payload["card"] == by_id[r.native_id.split(":", 1)[1]]["card"] for r in records)
    echo = next(r for r in records if r.native_id == "model:echo-open/echo-ef-vit")
    assert "model.safetensors" in [s["rfilename"] for s in echo.payload["item"]["siblings"]]
    assert len(paths(server, "huggingface", "/api/models")) == math.ceil(len(models) / 2)
    assert any("cursor=" in p for p in paths(server, "huggingface", "/api/models"))


def test_huggingface_dataset_without_a_card_is_not_asked_for_one(server: replay.ReplayServer) -> None:
    records, _ = crawl(make_source(server, "huggingface", page_size=100), Query("ultrasound", "dataset"))
    no_card = next(r for r in records if r.native_id == "dataset:fetal-ai/fetal-hc-ultrasound")
    assert no_card.payload["card"] is None
    assert not paths(server, "huggingface", "fetal-hc-ultrasound")
    gated = httpx.get(server.base_urls()["huggingface"] + "/datasets/fetal-ai/fetal-hc-ultrasound/raw/main/README.md")
    assert gated.status_code == 404 and gated.headers["X-Error-Code"] == "EntryNotFound"


def test_github_pages_with_link_headers_and_fetches_readme_topics_releases(server: replay.ReplayServer) -> None:
    recorded = {p["item"]["full_name"]: p for p in corpus("github")}
    source = make_source(server, "github", page_size=2)
    records, cursors = crawl(source, Query("ultrasound", "model"))
    assert cursors[-1] is None
    searches = paths(server, "github", "/search/repositories")
    assert any(params(p).get("page") == "2" for p in searches) and all(params(p)["per_page"] == "2" for p in searches)
    staged = {r.payload["item"]["full_name"]: r for r in records}
    for name, record in staged.items():
        assert record.payload["readme"] == recorded[name]["readme"]
        assert record.payload["topics"] == recorded[name]["topics"]
    fetal = staged["fetal-ai/fetal-plane-net"].payload
    assert [a["name"] for a in fetal["releases"][0]["assets"]] == ["fetal_plane_net_b0.pt", "fetal_plane_net_b0.onnx"]
    assert fetal["item"]["url"].startswith(server.base_urls()["github"])  # rewritten to this server
    assert staged["sonographer-tools/sono-report-templates"].payload["readme"] is None  # 404, recorded as absent
    enriched = len(staged)
    assert len(paths(server, "github", "/readme")) == enriched == len(paths(server, "github", "/releases"))


def test_github_readme_is_base64_wrapped_at_60_and_the_search_cap_is_422(server: replay.ReplayServer) -> None:
    api = server.base_urls()["github"]
    answer = httpx.get(f"{api}/repos/fetal-ai/fetal-plane-net/readme")
    lines = answer.json()["content"].split("\n")
    assert all(len(line) == 60 for line in lines[:-2]) and lines[-1] == ""
    assert base64.b64decode(answer.json()["content"]).decode().startswith("# fetal-plane-net")
    again = httpx.get(f"{api}/repos/fetal-ai/fetal-plane-net/readme", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    beyond = httpx.get(f"{api}/search/repositories", params={"q": "ultrasound", "per_page": 100, "page": 11})
    assert beyond.status_code == 422 and beyond.json()["message"].startswith("Only the first 1000 search results")
    last = httpx.get(f"{api}/search/repositories", params={"q": "ultrasound", "per_page": 30, "page": 34})
    assert last.status_code == 200 and last.json()["items"] == []
    zenodo = httpx.get(server.base_urls()["zenodo"] + "/api/records", params={"q": "ultrasound", "size": 50})
    assert zenodo.status_code == 400 and "cannot be greater than 25" in zenodo.json()["message"]


def test_scholar_pages_ten_rows_and_follows_the_next_link(server: replay.ReplayServer) -> None:
    recorded = corpus("scholar")
    expected = [p["item"] for p in recorded if mentions(p["item"]["bib"])]
    assert len(expected) > 10
    records, cursors = crawl(make_source(server, "scholar", page_size=10), Query("ultrasound", "dataset"))
    assert [r.native_id for r in records] == [replay._cluster_id(item) for item in expected]
    assert len(cursors) == 2 and cursors[-1] is None
    asked = paths(server, "scholar")
    assert len(asked) == 2 and params(asked[1])["start"] == "10"
    first = records[0].payload["item"]
    assert first["bib"] == expected[0]["bib"] and first["eprint_url"] == expected[0]["eprint_url"]
    assert first["num_citations"] == expected[0]["num_citations"]


@pytest.mark.parametrize(
    ("name", "query", "size"),
    [
        ("zenodo", Query("ultrasound", "dataset"), 2),
        ("openalex", Query("ultrasound", "dataset"), 3),
        ("kaggle", Query("ultrasound", "model"), 2),
        ("github", Query("ultrasound", "model"), 2),
        ("scholar", Query("ultrasound", "dataset"), 10),
        ("huggingface", Query("ultrasound", "model"), 2),
    ],
)
def test_a_cursor_resumes_against_a_restarted_server_on_another_port(name: str, query: Query, size: int) -> None:
    """What the crash/resume test relies on: every replayed run gets a new random port."""
    with replay.serve("demo") as first:
        whole, _ = crawl(make_source(first, name, page_size=size), query)
        source = make_source(first, name, page_size=size)
        pages = source.search(query, None)
        head = next(pages)
        pages.close()
        source.close()
    assert head.cursor is not None
    with replay.serve("demo") as second:
        if second.port == first.port:
            pytest.skip("the OS handed out the same port twice")
        rest, _ = crawl(make_source(second, name, page_size=size), query, cursor=head.cursor)
    assert [r.native_id for r in head.records + rest] == [r.native_id for r in whole]


# -- date filters ------------------------------------------------------------------------------


SINCE = date(2025, 6, 1)


def _after(value: Any) -> bool:
    return isinstance(value, str) and value[:10] >= SINCE.isoformat()


@pytest.mark.parametrize(
    ("name", "query", "keep"),
    [
        ("github", Query("ultrasound", "model"), lambda p: _after(p["item"]["pushed_at"])),
        ("zenodo", Query("ultrasound", "dataset"),
         lambda p: _after(p["item"]["created"]) or _after(p["item"]["updated"])),
        ("openalex", Query("ultrasound", "dataset"), lambda p: _after(p["item"]["publication_date"])),
        ("kaggle", Query("ultrasound", "dataset"),
         lambda p: p["type"] == "dataset" and _after(p["item"]["lastUpdated"])),
        ("huggingface", Query("ultrasound", "model"),
         lambda p: p["type"] == "model" and _after(p["item"]["lastModified"])),
        ("scholar", Query("ultrasound", "dataset"), lambda p: int(p["item"]["bib"]["pub_year"]) >= SINCE.year),
    ],
)
def test_since_returns_only_newer_items(server: replay.ReplayServer, name: str, query: Query, keep: Any) -> None:
    source = make_source(server, name, page_size=100)
    records, _ = crawl(source, query, SINCE)
    everything, _ = crawl(make_source(server, name, page_size=100), query)
    found = {r.native_id for r in records}
    assert found and found < {r.native_id for r in everything}  # something is filtered out, something is left
    wanted = {r.native_id for r in everything if keep(r.payload)}
    assert found == wanted


def test_since_reaches_the_server_as_each_api_spells_it(server: replay.ReplayServer) -> None:
    for name, query in (("github", "ultrasound"), ("zenodo", "ultrasound"), ("openalex", "ultrasound"),
                        ("scholar", "ultrasound")):
        crawl(make_source(server, name, page_size=100), Query(query, "dataset"), SINCE)
    assert all("pushed:>=2025-06-01" in params(p)["q"] for p in paths(server, "github", "/search/"))
    assert all("created:[2025-06-01 TO *]" in params(p)["q"] for p in paths(server, "zenodo"))
    assert all(params(p)["filter"] == "from_publication_date:2025-06-01" for p in paths(server, "openalex"))
    assert all(params(p)["as_ylo"] == "2025" for p in paths(server, "scholar"))


# -- limits and latency ------------------------------------------------------------------------


def test_over_the_limit_each_api_answers_like_the_real_one() -> None:
    with replay.serve("demo", limits={name: 1 for name in replay.SOURCES}) as server:
        urls = server.base_urls()
        with httpx.Client(transport=server.scholar_transport()) as client:
            calls = {
                "github": lambda: client.get(urls["github"] + "/search/repositories", params={"q": "ultrasound"}),
                "zenodo": lambda: client.get(urls["zenodo"] + "/api/records", params={"q": "ultrasound"}),
                "kaggle": lambda: client.post(urls["kaggle"] + "/v1/models.ModelApiService/ListModels", json={}),
                "huggingface": lambda: client.get(urls["huggingface"] + "/api/datasets"),
                "openalex": lambda: client.get(urls["openalex"] + "/works"),
                "scholar": lambda: client.get("https://scholar.google.com/scholar", params={"q": "ultrasound"}),
            }
            answers = {name: (call(), call()) for name, call in calls.items()}
    for name, (ok, refused) in answers.items():
        assert ok.status_code == 200, name
    github_ok, github = answers["github"]
    assert github_ok.headers["X-RateLimit-Resource"] == "search" and github_ok.headers["X-RateLimit-Remaining"] == "0"
    assert github.status_code == 403 and github.json()["message"].startswith("API rate limit exceeded")
    assert github.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(github.headers["X-RateLimit-Reset"]) - time.time() <= 61
    zenodo = answers["zenodo"][1]
    assert zenodo.status_code == 429 and zenodo.json()["status"] == 429
    assert zenodo.headers["X-RateLimit-Remaining"] == "0" and int(zenodo.headers["X-RateLimit-Reset"]) > time.time()
    assert answers["kaggle"][1].status_code == 429
    assert answers["kaggle"][1].json() == {"code": 429, "message": "TooManyRequests"}
    hf = answers["huggingface"][1]
    assert hf.status_code == 429 and hf.headers["RateLimit"].startswith('"api";r=0;t=')
    assert answers["huggingface"][0].headers["RateLimit-Policy"] == '"fixed window";"api";q=1;w=60'
    openalex = answers["openalex"][1]
    assert openalex.status_code == 429 and 0 < int(openalex.headers["X-RateLimit-Reset"]) <= 60
    assert openalex.headers["X-RateLimit-Remaining"] == "0"
    assert answers["scholar"][1].status_code == 429 and 'id="captcha-form"' in answers["scholar"][1].text
    assert server.requests == dict.fromkeys(replay.SOURCES, 2)


def test_a_client_over_the_limit_is_told_how_long_to_wait() -> None:
    with replay.serve("demo", limits={"zenodo": 1, "github": 1}) as server:
        zenodo = make_source(server, "zenodo", page_size=2, resource_types=["dataset"])
        with pytest.raises(RateLimited) as caught:
            crawl(zenodo, Query("ultrasound", "dataset"))
        assert "HTTP 429" in str(caught.value) and 0 < caught.value.wait <= 61
        github = make_source(server, "github", page_size=100)
        with pytest.raises(RateLimited) as caught:
            crawl(github, Query("ultrasound", "model"))  # the second search (topic:) is refused
        assert "HTTP 403" in str(caught.value) and 0 < caught.value.wait <= 61
        assert len(paths(server, "github", "/readme")) > 0  # core requests have their own bucket


def test_latency_is_slept_before_every_answer_and_logged() -> None:
    with replay.serve("demo", latency=0.15) as server:
        started = time.monotonic()
        httpx.get(server.base_urls()["openalex"] + "/works")
        assert time.monotonic() - started >= 0.15
    assert server.log[0].seconds >= 0.15 and server.log[0].status == 200


# -- discovery end to end ----------------------------------------------------------------------


@pytest.fixture
def fast_config(tmp_path: Path) -> config_module.Config:
    """The default queries without per-minute spacing (the server sets no limits here).

    Scholar keeps one query: scholarly pauses 1-2 s of real time before every request.
    """
    toml = tmp_path / "sonocat.toml"
    toml.write_text(
        "".join(f"[sources.{name}]\nper_minute = inf\n" for name in ("zenodo", "kaggle", "huggingface", "openalex"))
        + "[sources.github]\nper_minute = inf\ncore_per_minute = inf\n"
        + '[sources.scholar]\nper_minute = inf\ndataset_queries = ["ultrasound imaging dataset"]\nmodel_queries = []\n'
    )
    return config_module.load(db=str(tmp_path / "c.db"), config_file=str(toml), environ={}, home=tmp_path)


def test_discovery_stages_every_source_and_a_second_run_finds_everything_unchanged(
    fast_config: config_module.Config,
) -> None:
    with replay.serve("demo") as server:
        options = dict(base_urls=server.base_urls(), secrets=replay.SECRETS, transport=server.scholar_transport())
        first = run_discovery(fast_config, RunOptions(full=True, trigger="replay", **options))
        second = run_discovery(fast_config, RunOptions(full=True, trigger="replay", **options))
    assert first.state == "ok", [(r.source, r.state, r.reason) for r in first.sources]
    by_source = {r.source: r for r in first.sources}
    assert set(by_source) == set(replay.SOURCES)
    for name, report in by_source.items():
        assert report.state == "ok" and report.new > 0 and report.errors == 0, (name, report)
    with Database.open(fast_config.db_path) as db:
        staged = {name: len(db.raw_records(source=name)) for name in replay.SOURCES}
    assert staged == {name: by_source[name].new for name in replay.SOURCES}
    assert second.state == "ok"
    for report in second.sources:
        assert (report.new, report.changed, report.errors) == (0, 0, 0), report
        assert report.unchanged == report.hits == by_source[report.source].hits
    with Database.open(fast_config.db_path) as db:
        assert {name: len(db.raw_records(source=name)) for name in replay.SOURCES} == staged


def test_cli_replay_of_a_missing_directory_is_a_clean_error(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("discover", "--replay", str(tmp_path / "no-such-recording"))
    assert result.exit_code == 1
    assert "no-such-recording is not a directory" in result.stderr
