"""``sonocat recheck`` against fakes of alive, moved, dead and updated resources (respx at the httpx transport).

Every recheck here runs through ``run_recheck``, which also proves the rule
that matters most: no catalogue value (entry or characteristic) changes
without two reviewers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from click.testing import CliRunner

from crawler import config as config_module
from crawler import recheck
from crawler import rubric as rubric_module
from crawler.cli.report import recheck as recheck_command
from crawler.db import Database
from review_queue import service

FIXTURES = Path(__file__).parent / "fixtures"
CREATED = "2025-09-30T00:00:00Z"
NOW1 = "2025-10-05T03:00:00Z"
NOW2 = "2025-10-12T03:00:00Z"
NOW3 = "2025-10-19T03:00:00Z"
PASSWORD = "correct horse"


def fixture(path: str) -> Any:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


class FakeTime:
    """A monotonic clock that only moves when someone sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> config_module.Config:
    monkeypatch.chdir(tmp_path)
    return config_module.load(db=str(tmp_path / "catalogue.db"), environ={}, home=tmp_path)


@pytest.fixture
def db(config: config_module.Config) -> Iterator[Database]:
    with Database.open(config.db_path, create=True) as handle:
        yield handle


def add_entry(db: Database, name: str, values: dict[str, Any], kind: str = "dataset") -> int:
    with db.transaction():
        entry_id = db.insert_entry(
            {"kind": kind, "name": name, "provenance": "paper-2025-09", "created_at": CREATED, "updated_at": CREATED}
        )
        for key, value in {"name": name, **values}.items():
            db.set_characteristic(entry_id, key, value, evidence=f"paper: {key}", evidence_source="paper Table 1",
                                  entered_by="paper", entered_at=CREATED)
    return entry_id


def catalogue_state(db: Database) -> list[Any]:
    return [(e, db.characteristics(e["id"]), db.score_history(e["id"])) for e in db.entries()]


def run_recheck(
    db: Database, config: config_module.Config, fake: FakeTime, now: str = NOW1, **overrides: Any
) -> recheck.RecheckResult:
    options = recheck.RecheckOptions(delay=0.0, hosts_at_once=1, sleep=fake.sleep, clock=fake.clock,
                                     wall_clock=lambda: 1_760_000_000.0)
    for key, value in overrides.items():
        setattr(options, key, value)
    before = catalogue_state(db)
    result = recheck.recheck(db, config, options, now)
    assert catalogue_state(db) == before, "recheck changed the catalogue"
    return result


def link_row(db: Database, entry_id: int, url: str) -> dict[str, Any]:
    return next(row for row in db.link_checks(entry_id) if row["url"] == url)


def update_candidates(db: Database, entry_id: int) -> list[dict[str, Any]]:
    return [c for c in service.queue(db, status="update") if c["catalogue_entry_id"] == entry_id]


def fields_of(db: Database, candidate_id: int) -> dict[str, dict[str, Any]]:
    return db.candidate_fields([candidate_id])[candidate_id]


# -- links -------------------------------------------------------------------------------------


def test_alive_link_is_fetched_conditionally_the_next_time(db, config, fake) -> None:
    url = "https://data.example.org/alive"
    entry_id = add_entry(db, "Alive DB", {"link": [url], "access": "OA"})
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Oct 2025 08:00:00 GMT"},
                              text="<html>Alive DB</html>")

    with respx.mock:
        respx.get(url).mock(side_effect=answer)
        first = run_recheck(db, config, fake, NOW1)
        row = link_row(db, entry_id, url)
        assert (row["status"], row["http_status"], row["etag"], row["last_good_url"]) == ("alive", 200, '"v1"', url)
        assert "if-none-match" not in seen[0].headers
        second = run_recheck(db, config, fake, NOW2)
    assert seen[1].headers["if-none-match"] == '"v1"'
    assert seen[1].headers["if-modified-since"] == "Wed, 01 Oct 2025 08:00:00 GMT"
    row = link_row(db, entry_id, url)
    assert (row["status"], row["http_status"], row["etag"], row["checked_at"]) == ("alive", 304, '"v1"', NOW2)
    assert row["died_at"] is None and row["moved_to"] is None
    assert first.findings == second.findings == []
    assert db.recheck_candidates() == []


def test_permanent_redirect_is_a_move_with_an_update_candidate(db, config, fake) -> None:
    old, new, other = "https://old.example.org/busi", "https://new.example.org/datasets/busi", "https://mirror.example.com/busi"
    entry_id = add_entry(db, "BUSI", {"link": [old, other], "access": "OA"})
    temporary = add_entry(db, "Temp DB", {"link": ["https://temp.example.org/data"]})
    with respx.mock:
        respx.get(old).mock(return_value=httpx.Response(301, headers={"Location": new}))
        respx.get(new).mock(return_value=httpx.Response(200, text="<html>BUSI</html>"))
        respx.get(other).mock(return_value=httpx.Response(200, text="<html>mirror</html>"))
        respx.get("https://temp.example.org/data").mock(
            return_value=httpx.Response(302, headers={"Location": "https://temp.example.org/login?next=data"})
        )
        respx.get("https://temp.example.org/login?next=data").mock(return_value=httpx.Response(200, text="login"))
        result = run_recheck(db, config, fake, NOW1)
        again = run_recheck(db, config, fake, NOW2)

    row = link_row(db, entry_id, old)
    assert (row["status"], row["http_status"], row["moved_to"], row["last_good_url"]) == ("moved", 301, new, new)
    temp_row = link_row(db, temporary, "https://temp.example.org/data")
    assert (temp_row["status"], temp_row["moved_to"]) == ("alive", None)  # 302 is temporary: not a move
    assert update_candidates(db, temporary) == []

    (cand,) = update_candidates(db, entry_id)
    assert result.created == [cand["id"]] and again.created == [] and again.joined == [cand["id"]]
    assert cand["status"] == "update" and cand["title"] == "BUSI" and cand["kind"] == "dataset"
    assert any(r.startswith("recheck: moved: " + old) for r in cand["reasons"])
    fields = fields_of(db, cand["id"])
    assert fields["link"]["value"] == [new, other]
    assert fields["link"]["source"] == f"recheck:{old}"
    assert fields["link"]["evidence"] == f"GET {old}: HTTP 301 moved permanently to {new}"
    assert fields["link"]["entered_by"] == "machine"
    assert fields["name"]["value"] == "BUSI" and fields["name"]["evidence"] == "paper: name"
    assert [f["kind"] for f in result.findings] == ["moved"]


def test_dead_link_keeps_the_last_good_url_and_when_it_died(db, config, fake) -> None:
    url = "https://lab.example.edu/thyroid"
    entry_id = add_entry(db, "Thyroid DB", {"link": [url], "access": "AR"})
    with respx.mock:
        route = respx.get(url)
        route.mock(return_value=httpx.Response(200, headers={"ETag": '"t1"'}, text="ok"))
        run_recheck(db, config, fake, NOW1)
        route.mock(return_value=httpx.Response(404, text="Not Found"))
        died = run_recheck(db, config, fake, NOW2)
        still = run_recheck(db, config, fake, NOW3)

    row = link_row(db, entry_id, url)
    assert (row["status"], row["http_status"], row["last_good_url"], row["died_at"]) == ("dead", 404, url, NOW2)
    assert row["checked_at"] == NOW3
    (cand,) = update_candidates(db, entry_id)
    assert died.created == [cand["id"]]
    assert still.findings == [] and still.created == [] and still.joined == []  # reported once, when it died
    link = fields_of(db, cand["id"])["link"]
    assert link["value"] == [url]  # the last good URL stays in the catalogue; reviewers may replace it
    assert link["evidence"] == f"GET {url}: HTTP 404; dead since {NOW2}; last good URL {url}"
    assert any("dead link" in r for r in cand["reasons"])


def test_unreachable_host_after_retries_is_dead(db, config, fake) -> None:
    url = "https://gone.example.net/data"
    entry_id = add_entry(db, "Gone DB", {"link": [url]})
    with respx.mock:
        route = respx.get(url).mock(side_effect=httpx.ConnectError("[Errno -2] Name or service not known"))
        run_recheck(db, config, fake, NOW1)
    assert route.call_count == 3  # the first try and two retries
    row = link_row(db, entry_id, url)
    assert (row["status"], row["http_status"], row["died_at"], row["last_good_url"]) == ("dead", None, NOW1, None)
    (cand,) = update_candidates(db, entry_id)
    assert "connection failed" in fields_of(db, cand["id"])["link"]["evidence"]


def test_server_errors_conclude_nothing(db, config, fake) -> None:
    url = "https://flaky.example.org/data"
    entry_id = add_entry(db, "Flaky DB", {"link": [url]})
    with respx.mock:
        respx.get(url).mock(return_value=httpx.Response(503))
        result = run_recheck(db, config, fake, NOW1, max_retries=1)
    row = link_row(db, entry_id, url)
    assert (row["status"], row["died_at"]) == ("error", None)
    assert result.findings == [] and len(result.errors) == 1


# -- hosts' APIs -------------------------------------------------------------------------------


def mock_zenodo_pages(*record_ids: int) -> None:
    for rid in record_ids:
        respx.get(f"https://zenodo.org/records/{rid}").mock(return_value=httpx.Response(200, text="<html>record</html>"))


def test_zenodo_record_with_a_newer_version(db, config, fake) -> None:
    entry_id = add_entry(db, "TN-US", {
        "link": ["https://zenodo.org/records/123"], "doi": "10.5281/zenodo.123", "version": "1.0",
        "licence": "CC-BY-4.0", "access": "OA",
    })
    with respx.mock:
        mock_zenodo_pages(123)
        respx.get("https://doi.org/10.5281/zenodo.123").mock(
            return_value=httpx.Response(302, headers={"Location": "https://zenodo.org/records/123"})
        )
        respx.get("https://zenodo.org/api/records/123").mock(return_value=httpx.Response(200, json=fixture("zenodo/record_123.json")))
        respx.get("https://zenodo.org/api/records/123/versions").mock(
            return_value=httpx.Response(200, json=fixture("zenodo/versions_123.json"))
        )
        result = run_recheck(db, config, fake, NOW1)
    assert {row["status"] for row in db.link_checks(entry_id)} == {"alive"}  # the DOI's 302 is no move
    (cand,) = update_candidates(db, entry_id)
    fields = fields_of(db, cand["id"])
    assert fields["version"]["value"] == "2.0"
    assert fields["version"]["evidence"] == "GET https://zenodo.org/api/records/123/versions: version 2.0 (record 456)"
    assert fields["version"]["source"] == "recheck:https://zenodo.org/api/records/123/versions"
    assert fields["doi"]["value"] == "10.5281/zenodo.456"  # the entry named the old version's DOI
    assert set(fields) == {"name", "version", "doi"}  # same licence, same access: nothing else proposed
    assert any("new version on Zenodo" in r for r in cand["reasons"])
    assert {f["kind"] for f in result.findings} == {"version", "doi"}


def test_zenodo_licence_and_access_change_through_a_configured_base_url(tmp_path, fake, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sonocat.toml").write_text('[sources.zenodo]\nbase_url = "https://zenodo.fake"\n', encoding="utf-8")
    config = config_module.load(db=str(tmp_path / "catalogue.db"), environ={}, home=tmp_path)
    with Database.open(config.db_path, create=True) as db:
        entry_id = add_entry(db, "TN-US restricted", {
            "link": ["https://zenodo.org/records/789"], "licence": "CC-BY-4.0", "access": "OA",
        })
        with respx.mock:
            mock_zenodo_pages(789)
            respx.get("https://zenodo.fake/api/records/789").mock(
                return_value=httpx.Response(200, json=fixture("zenodo/record_789_restricted.json"))
            )
            respx.get("https://zenodo.fake/api/records/789/versions").mock(
                return_value=httpx.Response(200, json=fixture("zenodo/versions_789.json"))
            )
            run_recheck(db, config, fake, NOW1)
        (cand,) = update_candidates(db, entry_id)
        fields = fields_of(db, cand["id"])
    assert fields["access"]["value"] == "AR"
    assert fields["access"]["evidence"] == "GET https://zenodo.fake/api/records/789/versions: metadata.access_right restricted"
    assert fields["licence"]["value"] == "CC-BY-NC-4.0"
    assert "metadata.license.id cc-by-nc-4.0" in fields["licence"]["evidence"]
    assert "version" not in fields  # the record linked is the latest
    assert any("access changed" in r for r in cand["reasons"]) and any("licence changed" in r for r in cand["reasons"])


def mock_github(release: dict[str, Any] | None) -> respx.Route:
    respx.get("https://github.com/echolab-demo/echoseg").mock(return_value=httpx.Response(200, text="<html>repo</html>"))
    repo = respx.get("https://api.github.com/repos/echolab-demo/echoseg").mock(
        return_value=httpx.Response(200, json=fixture("github/repo_echoseg.json"))
    )
    latest = respx.get("https://api.github.com/repos/echolab-demo/echoseg/releases/latest")
    if release is None:
        latest.mock(return_value=httpx.Response(404, json={"message": "Not Found"}))
    else:
        latest.mock(return_value=httpx.Response(200, json=release))
    return repo


@pytest.mark.parametrize("weights", [False, None], ids=["weights-false", "weights-absent"])
def test_github_release_with_weights_when_the_entry_says_none_are_public(db, config, fake, weights) -> None:
    values = {"link": ["https://github.com/echolab-demo/echoseg"], "licence": "MIT", "version": "v1.0"}
    if weights is not None:
        values["weights_public"] = weights
    entry_id = add_entry(db, "EchoSeg", values, kind="model")
    with respx.mock:
        repo = mock_github(fixture("github/release_latest_echoseg.json"))
        run_recheck(db, config, fake, NOW1)
    assert repo.calls.last.request.headers["accept"] == "application/vnd.github+json"
    (cand,) = update_candidates(db, entry_id)
    fields = fields_of(db, cand["id"])
    assert fields["weights_public"]["value"] is True
    assert fields["weights_public"]["evidence"] == (
        "GET https://api.github.com/repos/echolab-demo/echoseg/releases/latest: release v1.1 asset model.pth "
        "(https://github.com/echolab-demo/echoseg/releases/download/v1.1/model.pth)"
    )
    assert fields["version"]["value"] == "v1.1"
    assert fields["licence"]["value"] == "Apache-2.0"
    assert fields["licence"]["evidence"] == "GET https://api.github.com/repos/echolab-demo/echoseg: license.spdx_id Apache-2.0"
    assert any("weights now published: model.pth" in r for r in cand["reasons"])


def test_github_without_news_proposes_nothing(db, config, fake) -> None:
    entry_id = add_entry(db, "EchoSeg", {
        "link": ["https://github.com/echolab-demo/echoseg"], "licence": "Apache-2.0", "weights_public": True,
    }, kind="model")
    with respx.mock:
        mock_github(None)  # no release yet
        result = run_recheck(db, config, fake, NOW1)
    assert result.findings == [] and update_candidates(db, entry_id) == []


# -- politeness --------------------------------------------------------------------------------


def test_retry_after_is_honoured(db, config, fake) -> None:
    url = "https://busy.example.org/data"
    entry_id = add_entry(db, "Busy DB", {"link": [url]})
    with respx.mock:
        respx.get(url).mock(side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, text="ok"),
        ])
        run_recheck(db, config, fake, NOW1)
    assert fake.sleeps == [7.0]
    assert link_row(db, entry_id, url)["status"] == "alive"


def test_requests_to_one_host_are_spaced_by_the_delay(db, config, fake) -> None:
    links = ["https://a.example.org/one", "https://a.example.org/two", "https://b.example.org/one"]
    add_entry(db, "Spread DB", {"link": links})
    with respx.mock:
        for url in links:
            respx.get(url).mock(return_value=httpx.Response(200, text="ok"))
        run_recheck(db, config, fake, NOW1, delay=3.0)
    assert fake.sleeps == [3.0]  # the second request to a.example.org waited; b.example.org did not


def test_recently_checked_entries_are_skipped_with_older_than(db, config, fake) -> None:
    url = "https://data.example.org/weekly"
    add_entry(db, "Weekly DB", {"link": [url]})
    with respx.mock:
        route = respx.get(url).mock(return_value=httpx.Response(200, text="ok"))
        run_recheck(db, config, fake, NOW1)
        skipped = run_recheck(db, config, fake, "2025-10-06T03:00:00Z", older_than=6)
        due = run_recheck(db, config, fake, NOW2, older_than=6)
    assert (skipped.checks, due.checks, route.call_count) == (0, 1, 2)


# -- review --------------------------------------------------------------------------------------


def moved_fakes(old: str, new: str) -> None:
    respx.get(old).mock(return_value=httpx.Response(308, headers={"Location": new}))
    respx.get(new).mock(return_value=httpx.Response(200, text="ok"))


def test_two_reviewers_promote_a_recheck_update_into_the_entry(db, config, fake) -> None:
    old, new = "https://old.example.org/echo", "https://new.example.org/echo"
    entry_id = add_entry(db, "EchoDB", {"link": [old], "access": "OA"})
    with respx.mock:
        moved_fakes(old, new)
        run_recheck(db, config, fake, NOW1)
    (cand,) = update_candidates(db, entry_id)
    rubric = rubric_module.load()
    for name in ("amy", "bob"):
        service.add_reviewer(db, name, PASSWORD, NOW1)
    service.screen(db, rubric, cand["id"], "amy", "include", "2025-10-05T04:00:00Z")
    service.screen(db, rubric, cand["id"], "bob", "include", "2025-10-05T04:00:01Z")
    service.verify(db, rubric, cand["id"], "amy", "2025-10-05T04:00:02Z")
    assert db.values_by_entry()[entry_id]["link"] == [old]  # one person is not enough
    service.verify(db, rubric, cand["id"], "bob", "2025-10-05T04:00:03Z")
    assert db.get_candidate(cand["id"])["status"] == "promoted"
    assert db.get_candidate(cand["id"])["promoted_entry_id"] == entry_id
    values = db.values_by_entry()[entry_id]
    assert values["link"] == [new]
    history = db.characteristic_history(entry_id)
    assert [h["value"] for h in history if h["key"] == "link"] == [[old]]
    assert not [h for h in history if h["key"] == "name"]  # the name was proposed as it stood: untouched


def test_a_rejected_proposal_is_not_made_again(db, config, fake) -> None:
    old, new = "https://old.example.org/liver", "https://new.example.org/liver"
    entry_id = add_entry(db, "LiverDB", {"link": [old]})
    rubric = rubric_module.load()
    for name in ("amy", "bob"):
        service.add_reviewer(db, name, PASSWORD, NOW1)
    with respx.mock:
        moved_fakes(old, new)
        run_recheck(db, config, fake, NOW1)
        (cand,) = update_candidates(db, entry_id)
        service.screen(db, rubric, cand["id"], "amy", "exclude", "2025-10-05T04:00:00Z", reason="other")
        service.screen(db, rubric, cand["id"], "bob", "exclude", "2025-10-05T04:00:01Z", reason="other")
        again = run_recheck(db, config, fake, NOW2)
    assert db.get_candidate(cand["id"])["status"] == "rejected"
    assert again.created == [] and again.joined == [] and update_candidates(db, entry_id) == []
    assert [s["key"] for s in again.skipped] == ["link"]


# -- schema, scheduler and command line ----------------------------------------------------------


def test_link_checks_table_comes_from_migration_m006(db) -> None:
    assert "m006_link_checks" in db.applied_migrations()
    columns = set(db.db["link_checks"].columns_dict)
    assert columns == {"entry_id", "url", "status", "http_status", "etag", "last_modified", "last_good_url",
                       "checked_at", "died_at", "moved_to"}


def test_recheck_job_runs_with_the_configured_delay(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sonocat.toml").write_text('[schedule]\nrecheck_delay = "0"\n', encoding="utf-8")
    config = config_module.load(db=str(tmp_path / "catalogue.db"), environ={}, home=tmp_path)
    assert recheck.RecheckOptions.from_config(config).delay == 0.0
    assert config.schedule["recheck"] == "0 3 * * 0"  # weekly by default
    with Database.open(config.db_path, create=True) as db:
        entry_id = add_entry(db, "Job DB", {"link": ["https://old.example.org/job"]})
    with respx.mock:
        moved_fakes("https://old.example.org/job", "https://new.example.org/job")
        recheck.recheck_job(config)
    with Database.open(config.db_path) as db:
        assert link_row(db, entry_id, "https://old.example.org/job")["status"] == "moved"
        assert len(update_candidates(db, entry_id)) == 1


def test_recheck_command(db, config, tmp_path) -> None:
    entry_id = add_entry(db, "Cli DB", {"link": ["https://old.example.org/cli"]})
    add_entry(db, "Other DB", {"link": ["https://other.example.org/never-fetched"]})
    with respx.mock:
        moved_fakes("https://old.example.org/cli", "https://new.example.org/cli")
        result = CliRunner().invoke(
            recheck_command, ["--db", str(config.db_path), "--entry", str(entry_id), "--delay", "0", "--json"],
            catch_exceptions=False,
        )
        text = CliRunner().invoke(
            recheck_command, ["--db", str(config.db_path), "--entry", str(entry_id), "--delay", "0"],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["links"] == {"moved": 1} and len(data["candidates_created"]) == 1
    assert data["findings"][0]["value"] == ["https://new.example.org/cli"]
    assert "update candidates: 0 created, 1 joined" in text.stdout


def test_recheck_command_has_help() -> None:
    result = CliRunner().invoke(recheck_command, ["--help"])
    assert result.exit_code == 0 and "Revisit every catalogue entry" in result.output
    for option in ("--entry", "--older-than", "--delay"):
        assert option in result.output
