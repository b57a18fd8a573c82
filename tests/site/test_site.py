"""The static site: files, one page per entry, JSON-LD, figures whose CSVs match the catalogue,
the discovery flow against the database, escaping of crawled text, and the CLI command."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crawler import catalogue as service
from crawler import report
from crawler import rubric as rubric_module
from crawler.cli.common import SonocatGroup
from crawler.cli.site import site_command
from crawler.db import Database
from crawler.site import build_site
from crawler.site.build import MARKER, assign_slugs, safe_href

NOW = "2025-10-01T00:00:00Z"
FIGURES = ("anatomy_groups", "acquisition_years", "tiers", "completeness", "discovery_flow")
_JSONLD = re.compile(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', re.S)


def build(db_path: Path, out: Path, **kwargs) -> Path:
    with Database.open(db_path) as db:
        build_site(db, out, rubric_module.load(), **kwargs)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def jsonld(page: Path) -> list[dict]:
    return [json.loads(block) for block in _JSONLD.findall(page.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def baseline_site(baseline_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The site of the paper's catalogue (a private copy of what ``catalogue_db`` holds), built once."""
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "catalogue.db"
    shutil.copyfile(baseline_db_template, db_path)
    return build(db_path, folder / "out"), db_path


def test_site_has_its_pages_assets_and_figures(baseline_site):
    out, _ = baseline_site
    for name in ("index.html", "figures.html", "assets/site.js", "assets/site.css", "assets/favicon.svg",
                 "data/catalogue.json", ".nojekyll", MARKER):
        assert (out / name).is_file(), name
    for slug in FIGURES:
        assert (out / "figures" / f"{slug}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert (out / "figures" / f"{slug}.csv").is_file()
    page = (out / "figures.html").read_text(encoding="utf-8")
    for slug in FIGURES:
        assert f'src="figures/{slug}.svg" alt="' in page
        assert f'href="figures/{slug}.csv"' in page
    # no alt text is empty
    assert 'alt=""' not in page


def test_one_page_per_entry_and_every_index_link_resolves(baseline_site):
    out, db_path = baseline_site
    pages = sorted((out / "entries").glob("*.html"))
    assert len(pages) == 127
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(entries/[^"]+\.html)"', index)
    assert len(links) == 127 and len(set(links)) == 127
    assert all((out / link).is_file() for link in links)
    with Database.open(db_path) as db:
        rows = service.list_entries(db)
    by_kind = Counter(r["kind"] for r in rows)
    assert index.count('data-kind="dataset" data-groups') == by_kind["dataset"] == 72
    assert index.count('data-kind="model" data-groups') == by_kind["model"] == 55
    catalogue = json.loads((out / "data" / "catalogue.json").read_text(encoding="utf-8"))
    assert {(c["kind"], c["name"]) for c in catalogue} == {(r["kind"], r["name"]) for r in rows}


def test_entry_page_shows_every_characteristic_the_breakdown_and_both_tiers(baseline_site):
    out, db_path = baseline_site
    rubric = rubric_module.load()
    with Database.open(db_path) as db:
        entry = service.show_entry(db, "KFGNet", rubric, kind="dataset")
    page = (out / "entries" / "dataset-kfgnet.html").read_text(encoding="utf-8")
    assert "<h1>KFGNet" in page
    for key in rubric.keys_for("dataset"):
        assert f'id="c-{key}"' in page
    for c in entry["characteristics"]:
        assert f"{c['evidence_source']}" in page
    assert "Table 1 anatomy: Thyroid" in page
    detail = entry["score_detail"]
    assert f"Counted ({len(detail['completed'])})" in page
    assert f"Missing ({len(detail['missing'])})" in page
    assert "Published tier (paper)</dt><dd>bronze" in page
    assert "Computed tier" in page and "unrated" in page
    assert "not reviewed since publication" in page
    # KFGNet is both a dataset and a model: each page links the other
    assert 'href="model-kfgnet.html"' in page
    assert 'href="dataset-kfgnet.html"' in (out / "entries" / "model-kfgnet.html").read_text(encoding="utf-8")


def test_dataset_pages_embed_schema_org_dataset_json_ld(baseline_site):
    out, db_path = baseline_site
    with Database.open(db_path) as db:
        rows = {r["id"]: r for r in service.list_entries(db)}
        values = db.values_by_entry()
    slugs = assign_slugs(rows.values())
    checked = 0
    for entry_id, row in rows.items():
        page = out / "entries" / f"{slugs[entry_id]}.html"
        blocks = jsonld(page)
        if row["kind"] == "model":
            assert blocks == []
            continue
        (doc,) = blocks
        v = values[entry_id]
        assert doc["@context"] == "https://schema.org/"
        assert doc["@type"] == "Dataset"
        assert doc["name"] == row["name"]
        assert len(doc["description"]) >= 50
        assert "ultrasound" in doc["keywords"]
        assert all(a in doc["keywords"] for a in v.get("anatomy", []))
        assert doc["isAccessibleForFree"] is (v["access"] == "OA")
        assert doc["includedInDataCatalog"]["@type"] == "DataCatalog"
        links = [u for u in v.get("link", []) if safe_href(u)]
        if links:
            assert doc["url"] == links[0]
            assert doc.get("sameAs", []) == links[1:]
        else:
            assert "url" not in doc
        if v.get("doi"):
            assert doc["identifier"] == f"https://doi.org/{v['doi']}"
        checked += 1
    assert checked == 72


def test_figure_csvs_match_catalogue_stats(baseline_site):
    out, db_path = baseline_site
    with Database.open(db_path) as db:
        stats = service.stats(db)
        rows = service.list_entries(db, kind="dataset")
        scores = db.latest_scores()
    anatomy = {r["anatomy_group"]: int(r["datasets"]) for r in read_csv(out / "figures" / "anatomy_groups.csv")}
    assert anatomy == stats["by_anatomy_group"]
    assert list(anatomy) == list(stats["by_anatomy_group"])  # same order
    tiers = {r["tier"]: int(r["datasets"]) for r in read_csv(out / "figures" / "tiers.csv")}
    assert tiers == stats["by_tier"]
    # every baseline dataset shows the paper's published tier: Table 1's counts
    assert tiers == stats["by_published_tier"]
    assert tiers == {"diamond": 1, "platinum": 5, "gold": 8, "silver": 12, "bronze": 29, "steel": 17, "unrated": 0}
    shares = {r["tier"]: float(r["share"]) for r in read_csv(out / "figures" / "tiers.csv")}
    assert shares["bronze"] == round(29 / 72, 4)
    completeness = read_csv(out / "figures" / "completeness.csv")
    assert len(completeness) == 34
    filled = Counter(k for r in rows for k in scores[r["id"]]["completed"])
    assert {r["key"]: int(r["filled"]) for r in completeness} == {r["key"]: filled[r["key"]] for r in completeness}
    assert all(int(r["datasets"]) == 72 for r in completeness)
    # the baseline records no acquisition years: the figure says so
    assert read_csv(out / "figures" / "acquisition_years.csv") == []
    assert "no data yet" in (out / "figures" / "acquisition_years.svg").read_text(encoding="utf-8")
    assert "No data yet" in (out / "figures.html").read_text(encoding="utf-8")


def test_figures_are_deterministic(baseline_site, tmp_path):
    out, db_path = baseline_site
    again = build(db_path, tmp_path / "again")
    for path in sorted(out.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(out)).read_bytes() == path.read_bytes(), path
    svg = (out / "figures" / "tiers.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def _seed_discovery(db: Database) -> None:
    """One run: ten records on three hosts, candidates in every status, screening votes."""
    run_id = db.start_run(NOW, "manual", {}, 1)
    hosts = (("github", "g1 g2 g3 g4 g5"), ("zenodo", "z1 z2 z3"), ("kaggle", "k1 k2"))
    for source, natives in hosts:
        for native in natives.split():
            db.stage_record(
                {"source": source, "native_id": native, "url": f"https://example.org/{native}", "payload": "{}",
                 "content_hash": native, "source_updated_at": None},
                run_id, NOW,
            )
        count = len(natives.split())
        db.save_run_source({"run_id": run_id, "source": source, "state": "ok", "hits": count, "new": count})
    db.finish_run(run_id, "ok", NOW)
    ids = {r["native_id"]: r["id"] for r in db.raw_records()}
    plan = [
        ("queued", ["g1", "z1"]), ("excluded", ["g2"]), ("known", ["g3"]), ("update", ["z2"]), ("merged", []),
        ("screening", ["g4"]), ("rejected", ["k1"]), ("promoted", ["z3", "k2"]),
    ]  # g5 is not triaged yet
    votes = {"screening": ["alice"], "rejected": ["alice", "bob"], "promoted": ["alice", "bob"]}
    for status, records in plan:
        candidate = db.insert_candidate(
            {"kind": "dataset", "title": f"{status} candidate", "status": status, "status_by": "triage",
             "relevance": 0.9, "reasons": "[]", "match_reasons": "[]", "uncertain": "[]", "first_seen": NOW,
             "created_at": NOW, "updated_at": NOW}
        )
        for native in records:
            db.attach_record(ids[native], candidate)
        for reviewer in votes.get(status, []):
            rejected = status == "rejected"
            db.add_action({"candidate_id": candidate, "reviewer": reviewer, "action": "screen",
                           "decision": "exclude" if rejected else "include",
                           "reason": "not_public" if rejected else None, "at": NOW})


def test_discovery_flow_csv_matches_the_database_and_the_report(catalogue_db, tmp_path):
    with Database.open(catalogue_db) as db:
        with db.transaction():
            _seed_discovery(db)
        records = db.raw_records()
        held = {r["id"]: cid for cid, rs in db.candidate_records().items() for r in rs}
        statuses = {c["id"]: c["status"] for c in db.candidates(status=None)}
        voted = {a["candidate_id"] for a in db.actions(action="screen")}
        cumulative = report.collect(db, NOW)["cumulative"]
    out = build(catalogue_db, tmp_path / "out")
    rows = read_csv(out / "figures" / "discovery_flow.csv")
    total = {r["step"]: int(r["count"]) for r in rows if r["source"] == "all"}
    identified = {r["source"]: int(r["count"]) for r in rows if r["step"] == "identified" and r["source"] != "all"}
    # the same numbers as `sonocat report`, step by step and source by source
    for label, key, _ in report.ROWS:
        assert total[key] == cumulative["total"][key], key
        for source, flow in cumulative["sources"].items():
            assert (key, label, source, str(flow[key])) in {(r["step"], r["label"], r["source"], r["count"]) for r in rows}
    assert total["excluded_by_reviewers:not_public"] == 1
    # and what the tables say, counted here from the rows themselves
    first_records = {min(rid for rid, c in held.items() if c == cid) for cid in set(held.values())}
    candidates = {held[rid] for rid in first_records}
    assert identified == dict(Counter(r["source"] for r in records)) == {"github": 5, "kaggle": 2, "zenodo": 3}
    assert total["identified"] == total["new_records"] == len(records) == 10
    assert total["not_triaged"] == sum(1 for r in records if r["id"] not in held) == 1
    assert total["duplicates_removed"] == len(held) - len(first_records) == 2
    assert total["candidates"] == len(candidates) == 7
    unvoted = Counter(statuses[c] for c in candidates - voted)
    assert (total["excluded_by_automation"], total["known_matches"], total["updates"],
            total["awaiting_screening"]) == (unvoted["excluded"], unvoted["known"], unvoted["update"],
                                             unvoted["queued"]) == (1, 1, 1, 1)
    assert total["screened"] == len(candidates & voted) == 3
    assert total["excluded_by_reviewers"] == 1 and total["screening_in_progress"] == 1
    assert total["included"] == sum(1 for c in candidates if statuses[c] == "promoted") == 1
    svg = (out / "figures" / "discovery_flow.svg").read_text(encoding="utf-8")
    assert "Records identified: 10" in svg and "Duplicates removed: 2" in svg
    assert "Excluded by reviewers: 1" in svg


def _reviewed_entries(db: Database, rubric) -> tuple[int, int]:
    """A reviewed dataset (hostile text in it) and a model trained on it and on a baseline dataset."""
    dataset = db.insert_entry(
        {"kind": "dataset", "name": "Evil </script><script>alert(1)</script> Set", "provenance": "review",
         "paper_refs": None, "reference_text": None, "paper_tier": None, "paper_sonomqs": None, "unverifiable": 0,
         "created_at": NOW, "updated_at": NOW, "reviewed_at": NOW}
    )
    values = {
        "name": "Evil </script><script>alert(1)</script> Set",
        "link": ["javascript:alert(2)", "https://zenodo.org/records/1"],
        "anatomy": ["breast"],
        "access": "AR",
        "acquisition_years": "2016-2019",
        "institution": "Example University Hospital",
        "licence": "CC-BY-4.0",
        "doi": "10.5281/zenodo.1",
        "geography": ["Spain"],
        "task_category": "Segmentation",
    }
    for key, value in values.items():
        db.set_characteristic(
            dataset, key, value, evidence=f"<img src=x onerror=alert(3)> {key}",
            evidence_source="https://zenodo.org/records/1", entered_by="alice + bob", entered_at=NOW,
        )
    db.add_score(dataset, service.score_values("dataset", values, rubric).as_dict(), NOW)
    model = db.insert_entry(
        {"kind": "model", "name": "BreastNet Test", "provenance": "review", "paper_refs": None,
         "reference_text": None, "paper_tier": None, "paper_sonomqs": None, "unverifiable": 0,
         "created_at": NOW, "updated_at": NOW, "reviewed_at": NOW}
    )
    model_values = {"name": "BreastNet Test", "task": "Segmentation", "code_shared": True,
                    "training_datasets": ["Evil </script><script>alert(1)</script> Set", "CAMUS", "Private set"]}
    for key, value in model_values.items():
        db.set_characteristic(model, key, value, evidence=key, evidence_source="reviewer:carol",
                              entered_by="carol + dave", entered_at=NOW)
    db.add_score(model, service.score_values("model", model_values, rubric).as_dict(), NOW)
    candidate = db.insert_candidate(
        {"kind": "dataset", "title": "evil", "status": "promoted", "status_by": "bob", "relevance": 0.9,
         "reasons": "[]", "match_reasons": "[]", "uncertain": "[]", "first_seen": NOW, "created_at": NOW,
         "updated_at": NOW, "promoted_entry_id": dataset}
    )
    for reviewer, at in (("alice", "2025-09-01T10:00:00Z"), ("bob", "2025-09-02T10:00:00Z"),
                         ("alice", "2025-09-03T10:00:00Z")):
        db.add_action({"candidate_id": candidate, "reviewer": reviewer, "action": "screen", "decision": "include",
                       "at": at})
    return dataset, model


def test_reviewed_entries_show_reviewers_related_entries_and_escaped_text(catalogue_db, tmp_path):
    rubric = rubric_module.load()
    with Database.open(catalogue_db) as db:
        with db.transaction():
            dataset, model = _reviewed_entries(db, rubric)
        slugs = assign_slugs(service.list_entries(db))
        camus = db.find_entry("dataset", "CAMUS")["id"]
    out = build(catalogue_db, tmp_path / "out", base_url="https://example.github.io/sonocat/")
    assert len(list((out / "entries").glob("*.html"))) == 129
    page = (out / "entries" / f"{slugs[dataset]}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(3)&gt;" in page
    assert 'href="javascript:' not in page
    assert 'href="https://zenodo.org/records/1"' in page
    # reviewers with their dates, and the people behind the values
    assert "<td>alice</td><td>2</td><td>2025-09-01T10:00:00Z</td><td>2025-09-03T10:00:00Z</td>" in page
    assert "<td>bob</td><td>1</td>" in page
    assert "Reviewed</dt><dd>2025-10-01T00:00:00Z" in page
    assert "computed from the reviewed characteristics" in page
    # related entries both ways
    assert f'href="{slugs[model]}.html"' in page
    model_page = (out / "entries" / f"{slugs[model]}.html").read_text(encoding="utf-8")
    assert f'href="{slugs[dataset]}.html"' in model_page
    assert f'href="{slugs[camus]}.html"' in model_page
    assert "Private set <span class=\"muted\">(not in the catalogue)</span>" in model_page
    assert "carol" in model_page and "dave" in model_page
    # JSON-LD survives the hostile name intact and cannot end its script element early
    (doc,) = jsonld(out / "entries" / f"{slugs[dataset]}.html")
    assert doc["name"] == "Evil </script><script>alert(1)</script> Set"
    assert doc["url"] == f"https://example.github.io/sonocat/entries/{slugs[dataset]}.html"
    assert doc["sameAs"] == ["https://zenodo.org/records/1"]
    assert doc["identifier"] == "https://doi.org/10.5281/zenodo.1"
    assert doc["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert doc["isAccessibleForFree"] is False
    assert doc["creator"] == [{"@type": "Organization", "name": "Example University Hospital"}]
    assert doc["temporalCoverage"] == "2016/2019"
    assert doc["spatialCoverage"] == [{"@type": "Place", "name": "Spain"}]
    assert "Segmentation" in doc["keywords"]
    # the years figure now has data
    assert read_csv(out / "figures" / "acquisition_years.csv") == [
        {"dataset": "Evil </script><script>alert(1)</script> Set", "start_year": "2016", "end_year": "2019"}
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index


def test_rebuild_replaces_a_previous_site_but_refuses_a_foreign_directory(catalogue_db, tmp_path):
    out = build(catalogue_db, tmp_path / "out")
    stale = out / "entries" / "dataset-gone.html"
    stale.write_text("old", encoding="utf-8")
    build(catalogue_db, out)
    assert not stale.exists()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    from crawler.errors import InputError

    with pytest.raises(InputError, match="not empty"):
        build(catalogue_db, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


def _cli() -> click.Group:
    group = SonocatGroup("export")
    group.add_command(site_command)
    return group


def test_cli_site_command(catalogue_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(_cli(), ["site", "--db", str(catalogue_db), "out"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "127 entry pages (72 datasets, 55 models), 5 figures" in result.stdout
    assert (tmp_path / "out" / "index.html").is_file()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("x", encoding="utf-8")
    refused = runner.invoke(_cli(), ["site", "--db", str(catalogue_db), "other"], catch_exceptions=False)
    assert refused.exit_code == 1
    assert "not empty" in refused.stderr
    bad = runner.invoke(_cli(), ["site", "--db", str(catalogue_db), "--base-url", "javascript:x", "out"])
    assert bad.exit_code == 1 and "--base-url" in bad.stderr
    assert site_command.help and "static website" in site_command.help
    assert all(p.help for p in site_command.params if isinstance(p, click.Option))


def test_an_empty_catalogue_gives_a_site_that_says_no_data_yet(db_path, tmp_path):
    Database.open(db_path, create=True).close()
    out = build(db_path, tmp_path / "out")
    assert list((out / "entries").iterdir()) == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Showing <strong id=\"shown\">0</strong> of 0 entries" in index
    for slug in ("anatomy_groups", "acquisition_years", "tiers", "completeness"):
        assert "no data yet" in (out / "figures" / f"{slug}.svg").read_text(encoding="utf-8"), slug
    flow = {r["step"]: int(r["count"]) for r in read_csv(out / "figures" / "discovery_flow.csv")}
    assert flow and set(flow.values()) == {0}
