"""``sonocat serve``: the review web app on localhost, through uvicorn."""

from __future__ import annotations

import os

import click

from crawler.cli.common import AppContext, common_options


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (keep localhost unless behind a proxy).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@common_options
def serve(app: AppContext, host: str, port: int) -> None:
    """Serve the review web app (login, queue, candidates, catalogue, agreement, runs).

    Sessions are signed with $SONOCAT_SECRET_KEY, else with a key generated
    once and kept in the database. Add reviewers with `sonocat reviewer add`.
    """
    import uvicorn

    from review_queue.web.app import create_app

    app.open_db().close()  # a missing or foreign database fails here with a clean message
    web = create_app(app.config.db_path, secret_key=os.environ.get("SONOCAT_SECRET_KEY") or None)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}; cookies are not marked Secure, put HTTPS in front", err=True)
    click.echo(f"sonocat review on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False)
