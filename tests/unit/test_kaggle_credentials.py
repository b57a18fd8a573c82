"""Kaggle credentials are found the way the kaggle CLI finds them (crawler.config.load_secrets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.config import load_secrets
from crawler.errors import ConfigError, NotConfigured
from sources.base import SourceContext, SourceSettings
from sources.kaggle import KaggleSource, auth_headers

KAGGLE_KEYS = ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY")


def kaggle_secrets(environ: dict[str, str], home: Path) -> dict[str, str]:
    return {k: v for k, v in load_secrets(environ, home).items() if k in KAGGLE_KEYS}


def write_kaggle_json(directory: Path, username: str = "fileuser", key: str = "filekey") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "kaggle.json").write_text(json.dumps({"username": username, "key": key}), encoding="utf-8")


def test_nothing_configured(tmp_path: Path) -> None:
    assert kaggle_secrets({}, tmp_path) == {}


def test_token_from_the_environment(tmp_path: Path) -> None:
    assert kaggle_secrets({"KAGGLE_API_TOKEN": " KGAT_env \n"}, tmp_path) == {"KAGGLE_API_TOKEN": "KGAT_env"}


def test_token_from_the_access_token_file(tmp_path: Path) -> None:
    (tmp_path / ".kaggle").mkdir()
    (tmp_path / ".kaggle" / "access_token").write_text("KGAT_file\n", encoding="utf-8")
    assert kaggle_secrets({}, tmp_path) == {"KAGGLE_API_TOKEN": "KGAT_file"}


def test_environment_token_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / ".kaggle").mkdir()
    (tmp_path / ".kaggle" / "access_token").write_text("KGAT_file", encoding="utf-8")
    assert kaggle_secrets({"KAGGLE_API_TOKEN": "KGAT_env"}, tmp_path)["KAGGLE_API_TOKEN"] == "KGAT_env"


def test_empty_access_token_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".kaggle").mkdir()
    (tmp_path / ".kaggle" / "access_token").write_text("  \n", encoding="utf-8")
    assert kaggle_secrets({}, tmp_path) == {}


def test_username_and_key_from_the_environment(tmp_path: Path) -> None:
    write_kaggle_json(tmp_path / ".kaggle")
    environ = {"KAGGLE_USERNAME": "envuser", "KAGGLE_KEY": "envkey"}
    assert kaggle_secrets(environ, tmp_path) == {"KAGGLE_USERNAME": "envuser", "KAGGLE_KEY": "envkey"}


def test_username_and_key_from_kaggle_json(tmp_path: Path) -> None:
    write_kaggle_json(tmp_path / ".kaggle")
    assert kaggle_secrets({}, tmp_path) == {"KAGGLE_USERNAME": "fileuser", "KAGGLE_KEY": "filekey"}


def test_kaggle_config_dir_replaces_the_home_directory(tmp_path: Path) -> None:
    write_kaggle_json(tmp_path / "home" / ".kaggle", username="homeuser")
    config_dir = tmp_path / "elsewhere"
    write_kaggle_json(config_dir, username="diruser", key="dirkey")
    (config_dir / "access_token").write_text("KGAT_dir", encoding="utf-8")
    secrets = kaggle_secrets({"KAGGLE_CONFIG_DIR": str(config_dir)}, tmp_path / "home")
    assert secrets == {"KAGGLE_API_TOKEN": "KGAT_dir", "KAGGLE_USERNAME": "diruser", "KAGGLE_KEY": "dirkey"}


def test_invalid_kaggle_json_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".kaggle").mkdir()
    (tmp_path / ".kaggle" / "kaggle.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="kaggle.json"):
        load_secrets({}, tmp_path)


def test_each_route_gives_the_header_the_cli_would_send(tmp_path: Path) -> None:
    (tmp_path / ".kaggle").mkdir()
    (tmp_path / ".kaggle" / "access_token").write_text("KGAT_file", encoding="utf-8")
    assert auth_headers(load_secrets({}, tmp_path)) == {"Authorization": "Bearer KGAT_file"}
    assert auth_headers(load_secrets({"KAGGLE_USERNAME": "demo", "KAGGLE_KEY": "key"}, tmp_path / "none")) == {
        "Authorization": "Basic ZGVtbzprZXk="
    }


def test_no_credentials_means_the_source_is_not_configured(tmp_path: Path) -> None:
    ctx = SourceContext(settings=SourceSettings(name="kaggle"), secrets=load_secrets({}, tmp_path))
    with pytest.raises(NotConfigured, match=r"^kaggle: no credentials \(set KAGGLE_API_TOKEN"):
        KaggleSource.from_context(ctx)
