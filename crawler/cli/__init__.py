"""The ``sonocat`` command line: thin; parse input, call one service, format output."""

from __future__ import annotations

import sys

import click

from crawler import __version__
from crawler.cli.catalogue import catalogue, init, score
from crawler.cli.common import AppContext, SonocatGroup, configure_logging
from crawler.cli.discover import config, discover, runs, schedule, stage
from crawler.cli.triage import candidates, triage
from review_queue.cli import review, reviewer
from review_queue.web.cli import serve
from crawler.cli.export import export
from crawler.cli.report import recheck, report


@click.group(cls=SonocatGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", metavar="PATH", help="Database file (default: $SONOCAT_DB, else catalogue.db).")
@click.option("--config", "config_file", metavar="FILE", help="Configuration file (default: ./sonocat.toml).")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.version_option(__version__, prog_name="sonocat")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, config_file: str | None, verbose: int) -> None:
    """sonocat keeps the public catalogue of ultrasound datasets and models current.

    It discovers candidates on GitHub, Zenodo, Kaggle, Google Scholar, Hugging
    Face and OpenAlex, stages them, and promotes them into the scored catalogue
    after two curators agree.
    """
    configure_logging(verbose)
    ctx.obj = AppContext(db_path, config_file)


cli.add_command(init)
cli.add_command(catalogue)
cli.add_command(score)
cli.add_command(discover)
cli.add_command(runs)
cli.add_command(schedule)
cli.add_command(config)
cli.add_command(stage)
cli.add_command(triage)
cli.add_command(candidates)
cli.add_command(reviewer)
cli.add_command(review)
cli.add_command(serve)
cli.add_command(export)
cli.add_command(report)
cli.add_command(recheck)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="sonocat")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
