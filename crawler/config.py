"""Configuration, read once at the edge: built-in defaults, ``sonocat.toml``, the environment.

Components never read the environment themselves; they get a ``Config`` (and
the ``Secrets`` inside it) passed down. Secrets are never written to the
database, logs or exports: ``Config.public_dict()`` masks them.
"""

from __future__ import annotations

import copy
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.errors import ConfigError
from crawler.models import Query
from sources.base import SourceSettings

DEFAULT_DB = "catalogue.db"
DEFAULT_CONFIG = "sonocat.toml"

# The paper's search terms (sections 4.1 and 4.2). "US" alone is ambiguous
# (United States, microseconds) and is never sent as a query.
DATASET_TERMS = ["ultrasound imaging", "public ultrasound datasets", "ultrasound"]
MODEL_TERMS = ["ultrasound deep learning", "ultrasound", "sonography", "sonographer"]

DEFAULTS: dict[str, Any] = {
    "schedule": {"discover": "0 2 * * *", "recheck": "0 3 * * 0", "timezone": ""},
    "sources": {
        "github": {
            "base_url": "https://api.github.com",
            # search bucket: 30/min with a token, 10/min without (set at start-up)
            "per_minute": 30,
            "budget_seconds": 1800,
            "page_size": 100,
            "dataset_queries": ["ultrasound dataset", "public ultrasound datasets"],
            "model_queries": MODEL_TERMS,
        },
        "zenodo": {
            "base_url": "https://zenodo.org",
            "per_minute": 30,  # search endpoints: 30 req/min
            "budget_seconds": 900,
            "page_size": 25,  # anonymous cap; 100 with a token
            "dataset_queries": DATASET_TERMS,
            "model_queries": ["ultrasound deep learning", "sonography"],
        },
        "kaggle": {
            "base_url": "https://api.kaggle.com",
            "per_minute": 30,  # unpublished; stay polite
            "budget_seconds": 600,
            "page_size": 20,
            "dataset_queries": DATASET_TERMS,
            "model_queries": ["ultrasound", "sonography"],
        },
        "scholar": {
            "base_url": "https://scholar.google.com",
            "per_minute": 6,
            "budget_seconds": 240,
            "page_size": 10,
            "max_pages": 20,
            "dataset_queries": ["public ultrasound datasets", "ultrasound imaging dataset"],
            "model_queries": ["ultrasound deep learning", "sonography deep learning"],
        },
        "huggingface": {
            "base_url": "https://huggingface.co",
            "per_minute": 100,  # 500 per 5-minute window anonymous
            "budget_seconds": 600,
            "page_size": 100,
            "dataset_queries": ["ultrasound", "sonography"],
            "model_queries": ["ultrasound", "sonography", "echocardiography"],
        },
        "openalex": {
            "base_url": "https://api.openalex.org",
            "per_minute": 300,
            "budget_seconds": 600,
            "page_size": 200,
            "mailto": "",
            "dataset_queries": DATASET_TERMS,
            "model_queries": ["ultrasound deep learning", "sonography deep learning"],
        },
    },
}

SETTINGS_KEYS = {"enabled", "base_url", "per_minute", "budget_seconds", "page_size", "timeout", "max_retries"}
SECRET_ENV = (
    "GITHUB_TOKEN", "ZENODO_TOKEN", "HF_TOKEN", "KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "OPENALEX_API_KEY",
)


@dataclass
class Config:
    db_path: Path
    sources: dict[str, SourceSettings]
    schedule: dict[str, str]
    secrets: dict[str, str] = field(default_factory=dict)
    config_file: Path | None = None

    def public_dict(self) -> dict[str, Any]:
        """The effective configuration with every secret masked."""
        return {
            "config_file": str(self.config_file) if self.config_file else None,
            "db": str(self.db_path),
            "schedule": dict(self.schedule),
            "sources": {
                name: {
                    "enabled": s.enabled,
                    "base_url": s.base_url,
                    "per_minute": s.per_minute,
                    "budget_seconds": s.budget_seconds,
                    "page_size": s.page_size,
                    "timeout": s.timeout,
                    "max_retries": s.max_retries,
                    "queries": [{"text": q.text, "kind": q.kind} for q in s.queries],
                    **s.options,
                }
                for name, s in self.sources.items()
            },
            "credentials": {key: mask(value) for key, value in sorted(self.secrets.items())},
        }


def mask(secret: str) -> str:
    if not secret:
        return ""
    return "****" + secret[-4:] if len(secret) > 12 else "****"


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _queries(name: str, raw: Mapping[str, Any]) -> list[Query]:
    queries: list[Query] = []
    seen: set[tuple[str, str]] = set()
    for kind in ("dataset", "model"):
        terms = raw.get(f"{kind}_queries", [])
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ConfigError(f"sources.{name}.{kind}_queries must be a list of strings")
        for term in terms:
            text = " ".join(term.split())
            if text.upper() == "US":
                raise ConfigError(f"sources.{name}: a bare 'US' query is ambiguous (United States); refusing it")
            if text and (text.lower(), kind) not in seen:
                seen.add((text.lower(), kind))
                queries.append(Query(text=text, kind=kind))
    return queries


def _source_settings(name: str, raw: Mapping[str, Any]) -> SourceSettings:
    unknown_types = {k for k in SETTINGS_KEYS if k in raw and not isinstance(raw[k], (int, float, str, bool))}
    if unknown_types:
        raise ConfigError(f"sources.{name}: {', '.join(sorted(unknown_types))} must be a scalar")
    try:
        settings = SourceSettings(
            name=name,
            enabled=bool(raw.get("enabled", True)),
            base_url=str(raw.get("base_url", "")).rstrip("/"),
            per_minute=float(raw.get("per_minute", 30)),
            budget_seconds=float(raw.get("budget_seconds", 900)),
            page_size=int(raw.get("page_size", 100)),
            timeout=float(raw.get("timeout", 30)),
            max_retries=int(raw.get("max_retries", 4)),
            queries=_queries(name, raw),
            options={
                k: v for k, v in raw.items()
                if k not in SETTINGS_KEYS and not k.endswith("_queries")
            },
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"sources.{name}: {exc}") from exc
    if settings.per_minute <= 0 or settings.budget_seconds <= 0 or settings.page_size <= 0:
        raise ConfigError(f"sources.{name}: per_minute, budget_seconds and page_size must be positive")
    return settings


def load_secrets(environ: Mapping[str, str], home: Path) -> dict[str, str]:
    """Tokens from the environment and the standard files (never from sonocat.toml).

    Kaggle credentials are found the way the kaggle CLI finds them: an access
    token (``KAGGLE_API_TOKEN`` or ``~/.kaggle/access_token``) first, then the
    legacy key (``KAGGLE_USERNAME`` + ``KAGGLE_KEY``, else ``kaggle.json``); the
    directory is ``KAGGLE_CONFIG_DIR`` when set.
    """
    secrets = {key: environ[key].strip() for key in SECRET_ENV if environ.get(key, "").strip()}
    kaggle_dir = Path(environ["KAGGLE_CONFIG_DIR"]) if environ.get("KAGGLE_CONFIG_DIR") else home / ".kaggle"
    if "KAGGLE_API_TOKEN" not in secrets:
        token_file = kaggle_dir / "access_token"
        if token_file.is_file():
            token = token_file.read_text(encoding="utf-8").strip()
            if token:
                secrets["KAGGLE_API_TOKEN"] = token
    if not ("KAGGLE_USERNAME" in secrets and "KAGGLE_KEY" in secrets):
        key_file = kaggle_dir / "kaggle.json"
        if key_file.is_file():
            try:
                data = json.loads(key_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"{key_file} is not valid JSON: {exc}") from exc
            if data.get("username") and data.get("key"):
                secrets["KAGGLE_USERNAME"] = str(data["username"])
                secrets["KAGGLE_KEY"] = str(data["key"])
    return secrets


def load(
    *,
    db: str | None = None,
    config_file: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Config:
    """Build the effective configuration. Precedence: flags > environment > file > defaults."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    path_text = config_file or environ.get("SONOCAT_CONFIG")
    path = Path(path_text) if path_text else Path(DEFAULT_CONFIG)
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {path}: {exc}") from exc
    elif path_text:
        raise ConfigError(f"configuration file {path} does not exist")
    unknown = set(raw) - {"db", "schedule", "sources"}
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
    merged = _merge(DEFAULTS, raw)
    unknown_sources = set(merged["sources"]) - set(DEFAULTS["sources"])
    if unknown_sources:
        known = ", ".join(DEFAULTS["sources"])
        raise ConfigError(f"{path}: unknown source(s) {', '.join(sorted(unknown_sources))}; known: {known}")
    secrets = load_secrets(environ, home)
    sources = {name: _source_settings(name, values) for name, values in merged["sources"].items()}
    github = sources["github"]
    if "GITHUB_TOKEN" not in secrets and "per_minute" not in raw.get("sources", {}).get("github", {}):
        github.per_minute = 10.0  # unauthenticated search bucket
    if "ZENODO_TOKEN" not in secrets:
        sources["zenodo"].page_size = min(sources["zenodo"].page_size, 25)
    db_path = Path(db or environ.get("SONOCAT_DB") or raw.get("db") or DEFAULT_DB)
    return Config(
        db_path=db_path,
        sources=sources,
        schedule={k: str(v) for k, v in merged["schedule"].items()},
        secrets=secrets,
        config_file=path if path.exists() else None,
    )
