"""Shared fixtures: a temporary database path, a loaded catalogue, and an in-process CLI runner.

Nothing here is autouse: tests ask for what they need, so fixtures of other
test modules are never affected.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crawler import catalogue as service
from crawler import rubric as rubric_module
from crawler.cli import cli
from crawler.db import Database

FIXED_NOW = "2025-09-30T00:00:00Z"
_DEFAULT = object()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database goes; the file does not exist yet."""
    return tmp_path / "catalogue.db"


@pytest.fixture(scope="session")
def baseline_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the paper's catalogue loaded, built once per session. Copy it, never open it."""
    path = tmp_path_factory.mktemp("template") / "catalogue.db"
    with Database.open(path, create=True) as db:
        service.init_catalogue(db, rubric_module.load(), FIXED_NOW)
    return path


@pytest.fixture
def catalogue_db(baseline_db_template: Path, db_path: Path) -> Path:
    """A private copy of the loaded catalogue at ``db_path``."""
    shutil.copyfile(baseline_db_template, db_path)
    return db_path


class CliHelper:
    """Invoke ``crawler.cli.cli`` in-process with ``--db`` pointing at the test's database.

    ``run("catalogue", "stats", "--json")`` runs ``sonocat --db <db_path> catalogue stats --json``;
    pass ``db=None`` to leave ``--db`` out, or ``db=PATH`` for another file.
    stdout and stderr are kept apart (click >= 8.2): ``result.stdout``, ``result.stderr``.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(
        self, *args: str, db: object = _DEFAULT, env: dict[str, str | None] | None = None, input: str | None = None
    ) -> Result:
        argv: list[str] = []
        chosen = self.db_path if db is _DEFAULT else db
        if chosen is not None:
            argv += ["--db", str(chosen)]
        argv += list(args)
        return self.invoke(argv, env=env, input=input)

    def invoke(self, argv: Sequence[str], env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
        return self.runner.invoke(cli, list(argv), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def run_cli(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliHelper:
    """A ``CliHelper`` isolated from the caller's environment and working directory.

    The working directory is ``tmp_path`` (no stray ``sonocat.toml`` is read) and
    ``SONOCAT_DB`` / ``SONOCAT_CONFIG`` are unset.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SONOCAT_DB", raising=False)
    monkeypatch.delenv("SONOCAT_CONFIG", raising=False)
    monkeypatch.delenv("SONOCAT_DEBUG", raising=False)
    return CliHelper(db_path)
