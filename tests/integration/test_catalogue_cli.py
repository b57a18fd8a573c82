"""The ``sonocat`` CLI in-process (click's CliRunner) against a temporary database."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from crawler import rubric as rubric_module
from crawler.cli import cli
from crawler.db import Database

RUBRIC = rubric_module.load()
HIGH = [c.key for c in RUBRIC.dataset.characteristics if c.tier == "high"]
LOW = [c.key for c in RUBRIC.dataset.characteristics if c.tier == "low"]
PUBLISHED = {"diamond": 1, "platinum": 5, "gold": 8, "silver": 12, "bronze": 29, "steel": 17, "unrated": 0}
GOLD = {
    "FETAL PLANES DB",
    "RESECT",
    "The Open Kidney Ultrasound Dataset",
    "Fetal Abdominal Structures Segmentation Dataset Using Ultrasonic Images",
    "CUBS",
    "MIMIC-IV-ECHO",
    "BUS-BRA",
    "Cardiac Assessment and Classification of Ultrasound (CACTUS)",
}
LIVER = {
    "Ultrasound Image Enhancement",
    "Fetal Abdominal Structures Segmentation Dataset Using Ultrasonic Images",  # "fetal liver"
    "Ultrasound Elastography",
    "Chinese Ultrasound Report Dataset",
    "B-mode-and-CEUS-Liver",
    "BEHSOF",
    "liver_ultrasound Computer Vision Project",
    "Dataset of B-mode fatty liver ultrasound images",
    "Annotated Ultrasound Liver images Dataset",
}
TABLES = ("entries", "characteristics", "characteristic_history", "scores")


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, path + (name,))


ALL_COMMANDS = list(walk(cli))


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(path))
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in TABLES}
    finally:
        conn.close()


def clean_error(result, *needles: str) -> None:
    """A failed command: non-zero exit, one line on stderr starting 'sonocat: error:', no traceback."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sonocat: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def as_json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- help -----------------------------------------------------------------------------


def test_command_tree_is_walked() -> None:
    paths = {" ".join(path) for path, _ in ALL_COMMANDS}
    assert {"", "init", "catalogue", "catalogue list", "catalogue show", "catalogue stats",
            "catalogue rescore", "score", "score dataset", "score model"} <= paths


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=[" ".join(p) or "sonocat" for p, _ in ALL_COMMANDS])
def test_every_command_has_help(run_cli, path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"{' '.join(path) or 'sonocat'} has no help text"
    result = run_cli(*path, "--help", db=None)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ")
    first_line = command.help.strip().splitlines()[0]
    assert first_line[:40] in " ".join(result.stdout.split())
    if isinstance(command, click.Group):
        for name in command.commands:
            assert name in result.stdout


def test_short_help_option(run_cli) -> None:
    result = run_cli("-h", db=None)
    assert result.exit_code == 0
    assert "catalogue" in result.stdout


# -- init ---------------------------------------------------------------------------------


def test_init_then_stats(run_cli, db_path: Path) -> None:
    result = run_cli("init")
    assert result.exit_code == 0, result.output
    assert "127 entries added" in result.stdout
    assert "127 in the catalogue" in result.stdout
    stats = as_json(run_cli("catalogue", "stats", "--json"))
    assert stats["total"] == 127
    assert stats["by_kind"] == {"dataset": 72, "model": 55}
    assert stats["by_published_tier"] == PUBLISHED
    assert stats["by_tier"] == PUBLISHED  # baseline datasets show the paper's tier
    assert sum(stats["by_computed_tier"].values()) == 72
    assert stats["models"]["by_task"]["Pre-training / Foundation Model"] == 5


def test_second_init_changes_nothing(run_cli, db_path: Path) -> None:
    assert run_cli("init").exit_code == 0
    before = dump(db_path)
    assert len(before["entries"]) == 127
    assert len(before["scores"]) == 127
    assert len(before["characteristics"]) > 127
    result = run_cli("init")
    assert result.exit_code == 0, result.output
    assert "0 entries added" in result.stdout
    assert "127 already present" in result.stdout
    assert dump(db_path) == before


def test_init_refuses_a_foreign_file(run_cli, db_path: Path) -> None:
    db_path.write_text("not a database\n", encoding="utf-8")
    clean_error(run_cli("init"), "not a SQLite database")
    assert db_path.read_text(encoding="utf-8") == "not a database\n"


# -- catalogue list / show ------------------------------------------------------------------


def test_list_models(run_cli, catalogue_db: Path) -> None:
    rows = as_json(run_cli("catalogue", "list", "--kind", "model", "--json"))
    assert len(rows) == 55
    assert {r["kind"] for r in rows} == {"model"}
    assert [r["name"] for r in rows].count("AAU-net") == 1


def test_list_datasets(run_cli, catalogue_db: Path) -> None:
    rows = as_json(run_cli("catalogue", "list", "--kind", "dataset", "--json"))
    assert len(rows) == 72
    assert len(as_json(run_cli("catalogue", "list", "--json"))) == 127


@pytest.mark.parametrize("tier", ["gold", "GOLD"])
def test_list_tier_gold(run_cli, catalogue_db: Path, tier: str) -> None:
    rows = as_json(run_cli("catalogue", "list", "--tier", tier, "--json"))
    assert {r["name"] for r in rows} == GOLD
    assert len(rows) == 8
    assert {(r["kind"], r["tier"], r["published_tier"]) for r in rows} == {("dataset", "gold", "gold")}


def test_list_unknown_tier_is_a_usage_error(run_cli, catalogue_db: Path) -> None:
    result = run_cli("catalogue", "list", "--tier", "wood")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_list_anatomy_liver(run_cli, catalogue_db: Path) -> None:
    rows = as_json(run_cli("catalogue", "list", "--anatomy", "liver", "--json"))
    assert {r["name"] for r in rows} == LIVER
    for row in rows:
        assert any("liver" in item for item in row["anatomy"] + row["anatomy_groups"])


def test_list_table_output(run_cli, catalogue_db: Path) -> None:
    result = run_cli("catalogue", "list", "--tier", "diamond")
    assert result.exit_code == 0, result.output
    assert "1 entries" in result.stdout


def test_show_ambiguous_name_is_a_clean_error(run_cli, catalogue_db: Path) -> None:
    result = run_cli("catalogue", "show", "KFGNet")
    clean_error(result, "KFGNet", "several entries", "--kind")
    assert result.exit_code == 1


def test_show_with_kind(run_cli, catalogue_db: Path) -> None:
    model = as_json(run_cli("catalogue", "show", "KFGNet", "--kind", "model", "--json"))
    dataset = as_json(run_cli("catalogue", "show", "kfgnet", "--kind", "dataset", "--json"))
    assert (model["kind"], model["name"]) == ("model", "KFGNet")
    assert (dataset["kind"], dataset["name"]) == ("dataset", "KFGNet")
    assert model["id"] != dataset["id"]
    assert model["score_detail"]["rubric"] == "SonoMQS@1.0"
    assert dataset["score_detail"]["rubric"] == "SonoDQS@1.0"
    links = [c for c in dataset["characteristics"] if c["key"] == "link"]
    assert links[0]["value"] == ["https://github.com/NeuronXJTU/KFGNet"]
    assert links[0]["evidence_source"] == "paper Table 1"
    result = run_cli("catalogue", "show", "KFGNet", "--kind", "model")
    assert result.exit_code == 0, result.output
    assert "KFGNet" in result.stdout


def test_show_by_id(run_cli, catalogue_db: Path) -> None:
    entry = as_json(run_cli("catalogue", "show", "1", "--json"))
    assert entry["id"] == 1
    assert entry["name"] == "FETAL PLANES DB"
    assert entry["published_tier"] == "gold"
    keys = [c["key"] for c in entry["characteristics"]]
    assert keys == sorted(keys, key=RUBRIC.keys_for("dataset").index)  # rubric order


def test_show_unknown_id_is_a_clean_error(run_cli, catalogue_db: Path) -> None:
    clean_error(run_cli("catalogue", "show", "99999"), "99999")


def test_show_unknown_name_is_a_clean_error(run_cli, catalogue_db: Path) -> None:
    clean_error(run_cli("catalogue", "show", "No Such Dataset"), "No Such Dataset")


# -- score (what-if) -------------------------------------------------------------------------


def write_json(tmp_path: Path, data: object, name: str = "values.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("keys", "points", "tier"),
    [
        (HIGH + LOW, 48, "diamond"),
        (HIGH, 28, "silver"),
        (HIGH + LOW[:5], 33, "gold"),
        (HIGH[:13], 26, "bronze"),
        (HIGH[:10], 20, "steel"),
        (HIGH[:7], 14, "unrated"),
    ],
    ids=["all-34", "14-high", "14-high-5-low", "13-high", "10-high", "7-high"],
)
def test_score_dataset(run_cli, tmp_path: Path, keys: list[str], points: int, tier: str) -> None:
    path = write_json(tmp_path, {key: "stated" for key in keys})
    result = as_json(run_cli("score", "dataset", str(path), "--json"))
    assert result["score"] == points / 48
    assert result["tier"] == tier
    assert result["rubric"] == "SonoDQS@1.0"
    assert result["completed"] == keys


def test_score_dataset_placeholders_and_no(run_cli, tmp_path: Path) -> None:
    values = {key: "stated" for key in HIGH}
    values.update({"name": "N/A", "link": "not reported", "doppler": False})
    result = as_json(run_cli("score", "dataset", str(write_json(tmp_path, values)), "--json"))
    assert result["score"] == 25 / 48
    assert result["tier"] == "bronze"
    assert "doppler" in result["completed"]
    assert {"name", "link"} <= set(result["missing"])


def test_score_dataset_unverifiable(run_cli, tmp_path: Path) -> None:
    path = write_json(tmp_path, {key: "stated" for key in HIGH + LOW})
    result = as_json(run_cli("score", "dataset", str(path), "--unverifiable", "--json"))
    assert (result["score"], result["tier"]) == (1.0, "unrated")


def test_score_dataset_text_output(run_cli, tmp_path: Path) -> None:
    path = write_json(tmp_path, {key: "stated" for key in HIGH})
    result = run_cli("score", "dataset", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "SonoDQS 0.5833 silver (SonoDQS@1.0)"
    assert "counted (14)" in result.stdout
    assert "missing (20)" in result.stdout


def test_score_model(run_cli, tmp_path: Path) -> None:
    values = {key: ("yes" if i < 6 else "no") for i, key in enumerate(RUBRIC.model.keys)}
    values["task"] = "Segmentation"  # descriptive keys are allowed, never scored
    result = as_json(run_cli("score", "model", str(write_json(tmp_path, values)), "--json"))
    assert result["score"] == 0.5
    assert result["tier"] is None
    assert result["rubric"] == "SonoMQS@1.0"
    all_yes = write_json(tmp_path, {key: True for key in RUBRIC.model.keys}, "all.json")
    assert as_json(run_cli("score", "model", str(all_yes), "--json"))["score"] == 1.0


def test_score_unknown_key_is_a_clean_error(run_cli, tmp_path: Path) -> None:
    path = write_json(tmp_path, {"name": "x", "colour_of_probe": "blue"})
    clean_error(run_cli("score", "dataset", str(path), "--json"), "colour_of_probe")


def test_score_model_rejects_dataset_keys(run_cli, tmp_path: Path) -> None:
    path = write_json(tmp_path, {"code_shared": "yes", "scanning_mode": "2D+t"})
    clean_error(run_cli("score", "model", str(path)), "scanning_mode")


def test_score_invalid_json_is_a_clean_error(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{name: 'x',", encoding="utf-8")
    clean_error(run_cli("score", "dataset", str(path), "--json"), "not valid JSON")


def test_score_non_object_is_a_clean_error(run_cli, tmp_path: Path) -> None:
    path = write_json(tmp_path, ["name", "link"])
    clean_error(run_cli("score", "dataset", str(path)), "JSON object")


def test_score_missing_file_is_a_clean_error(run_cli, tmp_path: Path) -> None:
    clean_error(run_cli("score", "dataset", str(tmp_path / "absent.json")), "absent.json")


# -- rescore ------------------------------------------------------------------------------------


def test_rescore_only_adds_rows_when_something_changed(run_cli, catalogue_db: Path) -> None:
    with Database.open(catalogue_db) as db:
        entry = db.find_entry("dataset", "RESECT")
        db.set_characteristic(
            entry["id"], "doppler", False, evidence="test", evidence_source="test", entered_by="test",
            entered_at="2025-10-01T00:00:00Z",
        )
    scores_before = len(dump(catalogue_db)["scores"])
    first = run_cli("catalogue", "rescore")
    assert first.exit_code == 0, first.output
    assert re.search(r"\b1 scores changed, 126 unchanged", first.stdout), first.stdout
    second = run_cli("catalogue", "rescore")
    assert second.exit_code == 0, second.output
    assert re.search(r"\b0 scores changed, 127 unchanged", second.stdout), second.stdout
    assert "SonoDQS@1.0" in second.stdout
    assert len(dump(catalogue_db)["scores"]) == scores_before + 1
    shown = as_json(run_cli("catalogue", "show", "RESECT", "--json"))
    assert len(shown["score_history"]) == 2
    assert "doppler" in shown["score_detail"]["completed"]


# -- the database option and a missing database ------------------------------------------------------

DB_COMMANDS = [
    ("catalogue", "list"),
    ("catalogue", "show", "1"),
    ("catalogue", "stats"),
    ("catalogue", "rescore"),
]


@pytest.mark.parametrize("args", DB_COMMANDS, ids=" ".join)
def test_missing_database_says_run_init(run_cli, db_path: Path, args: tuple[str, ...]) -> None:
    clean_error(run_cli(*args), "sonocat init")
    assert not db_path.exists()


def test_db_option_before_and_after_the_subcommand(run_cli, catalogue_db: Path, tmp_path: Path) -> None:
    before = as_json(run_cli("--db", str(catalogue_db), "catalogue", "stats", "--json", db=None))
    after = as_json(run_cli("catalogue", "stats", "--json", "--db", str(catalogue_db), db=None))
    assert before["by_kind"] == after["by_kind"] == {"dataset": 72, "model": 55}
    # the subcommand's --db wins over the group's
    other = tmp_path / "other.db"
    clean_error(run_cli("--db", str(catalogue_db), "catalogue", "stats", "--db", str(other), db=None), "other.db")


def test_init_db_after_the_subcommand(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "late.db"
    result = run_cli("init", "--db", str(path), db=None)
    assert result.exit_code == 0, result.output
    assert path.exists()


def test_sonocat_db_environment_variable(run_cli, catalogue_db: Path, tmp_path: Path) -> None:
    stats = as_json(run_cli("catalogue", "stats", "--json", db=None, env={"SONOCAT_DB": str(catalogue_db)}))
    assert stats["by_kind"] == {"dataset": 72, "model": 55}
    # a flag beats the environment
    missing = tmp_path / "missing.db"
    clean_error(
        run_cli("--db", str(missing), "catalogue", "stats", db=None, env={"SONOCAT_DB": str(catalogue_db)}),
        "missing.db",
    )


def test_default_database_is_catalogue_db_in_the_working_directory(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", db=None)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "catalogue.db").exists()
