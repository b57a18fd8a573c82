"""What every command shares: the --db/--config options, the edge where
configuration is read, time, JSON output, and the one place errors become
a clean message."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import click
from rich.console import Console

from crawler import config as config_module
from crawler.db import Database
from crawler.errors import SonocatError

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

err_console = Console(stderr=True)


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class AppContext:
    """Configuration read once per command invocation, at the edge."""

    def __init__(self, db: str | None, config_file: str | None) -> None:
        self._db = db
        self._config_file = config_file
        self._config: config_module.Config | None = None

    @property
    def config(self) -> config_module.Config:
        if self._config is None:
            self._config = config_module.load(db=self._db, config_file=self._config_file)
        return self._config

    def open_db(self, *, create: bool = False) -> Database:
        return Database.open(self.config.db_path, create=create)


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --db and --config to a command and pass an ``AppContext`` as ``app``."""

    @click.option(
        "--db",
        "db_path",
        metavar="PATH",
        help="Database file (default: $SONOCAT_DB, else catalogue.db).",
    )
    @click.option(
        "--config",
        "config_file",
        metavar="FILE",
        help="Configuration file (default: $SONOCAT_CONFIG, else ./sonocat.toml if present).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, db_path: str | None, config_file: str | None, **kwargs: Any) -> Any:
        parent = click.get_current_context().find_object(AppContext)
        app = AppContext(
            db_path or (parent._db if parent else None),
            config_file or (parent._config_file if parent else None),
        )
        return func(*args, app=app, **kwargs)

    return wrapper


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


class SonocatGroup(click.Group):
    """A click group that turns errors into one clean line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SonocatError as exc:
            click.echo(f"sonocat: error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("sonocat: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
            if os.environ.get("SONOCAT_DEBUG"):
                raise
            logging.getLogger("sonocat").debug("internal error", exc_info=True)
            click.echo(
                f"sonocat: internal error: {type(exc).__name__}: {exc} (set SONOCAT_DEBUG=1 for the traceback)",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


def configure_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(
        level=max(level, logging.DEBUG),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
