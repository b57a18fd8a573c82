"""``sonocat reviewer ...`` and ``sonocat review ...``: thin over ``review_queue.service``.

The terminal trusts its user the way the database file does: whoever can run
these commands can write to ``catalogue.db`` anyway, so ``--as NAME`` names an
account without a password; the browser is where passwords and sessions
guard who acts.
"""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawler import rubric as rubric_module
from crawler.cli.common import AppContext, SonocatGroup, common_options, echo_json, utcnow
from crawler.errors import InputError
from review_queue import service

console = Console()
AS = click.option("--as", "name", required=True, metavar="NAME", help="The reviewer acting.")


@click.group(cls=SonocatGroup)
def reviewer() -> None:
    """Reviewer accounts (curators and admins)."""


@reviewer.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="Make an admin (may resolve conflicts it did not vote on, manages reviewers).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
@common_options
def reviewer_add(app: AppContext, name: str, admin: bool, password_stdin: bool) -> None:
    """Add a reviewer; the password is asked for (or read with --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    with app.open_db() as db:
        added = service.add_reviewer(db, name, password, utcnow(), admin=admin)
    click.echo(f"reviewer {added['name']} added ({added['role']})")


@reviewer.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def reviewer_list(app: AppContext, as_json: bool) -> None:
    """List reviewers."""
    with app.open_db() as db:
        rows = db.reviewers()
    if as_json:
        echo_json(rows)
        return
    table = Table("name", "role", "since")
    for row in rows:
        table.add_row(row["name"], row["role"], row["created_at"])
    console.print(table)


@click.group(cls=SonocatGroup)
def review() -> None:
    """Two-person review: screen, correct, verify, resolve, promote."""


def _print_candidate(data: dict, *, full: bool = True) -> None:
    match = data["catalogue_match"]
    console.print(
        f"[bold]#{data['id']} {escape(data['title'] or '')}[/bold]  {data['kind']}  status {data['status']}  "
        f"relevance {data['relevance']:.2f}" + (f"  matches entry {match['id']} {escape(match['name'])}" if match else ""),
        highlight=False,
    )
    for reason in data["reasons"][:6]:
        console.print(f"  · {escape(reason)}", highlight=False)
    for record in data["records"]:
        console.print(f"  record {record['source']}:{escape(record['native_id'])}  {escape(record['url'] or '')}", highlight=False)
    votes = ", ".join(f"{v['reviewer']} {v['decision']}" for v in data["votes"])
    hidden = f" ({data['votes_hidden']} hidden until both are in)" if data["votes_hidden"] else ""
    console.print(f"  votes: {votes or 'none visible'}{hidden}", highlight=False)
    if not full:
        return
    table = Table("key", "value", "evidence", "set by", "confirmed by", "ok")
    for key, f in data["fields"].items():
        value = f["value"]
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        table.add_row(
            key, escape(text[:80]), escape((f["evidence"] or "")[:80]), f["entered_by"],
            ", ".join(f["confirmed_by"]), "yes" if f["verified"] else "no",
        )
    console.print(table)


def _done(data: dict, as_json: bool = False) -> None:
    if as_json:
        echo_json(data)
        return
    line = f"candidate {data['id']}: {data['status']}"
    if data.get("promoted_entry_id"):
        line += f" (catalogue entry {data['promoted_entry_id']})"
    elif data["unverified"]:
        line += f"; {len(data['unverified'])} value(s) still need a second person"
    click.echo(line)


@review.command("screen")
@click.argument("candidate_id", type=int)
@AS
@click.option("--include", "decision", flag_value="include", help="Vote to include.")
@click.option("--exclude", "decision", flag_value="exclude", help="Vote to exclude.")
@click.option("--reason", type=click.Choice(service.EXCLUDE_REASONS), help="Why exclude (with --exclude).")
@click.option("--note", help="Free text: what you saw.")
@common_options
def screen_command(app: AppContext, candidate_id: int, name: str, decision: str | None, reason: str | None, note: str | None) -> None:
    """Cast a blind screening vote: include or exclude."""
    if decision is None:
        raise InputError("give --include or --exclude")
    with app.open_db() as db:
        _done(service.screen(db, rubric_module.load(), candidate_id, name, decision, utcnow(), reason=reason, note=note))


@review.command("resolve")
@click.argument("candidate_id", type=int)
@AS
@click.option("--include", "decision", flag_value="include", help="Resolve as include.")
@click.option("--exclude", "decision", flag_value="exclude", help="Resolve as exclude.")
@common_options
def resolve_command(app: AppContext, candidate_id: int, name: str, decision: str | None) -> None:
    """Settle a screening conflict (only someone who did not vote)."""
    if decision is None:
        raise InputError("give --include or --exclude")
    with app.open_db() as db:
        _done(service.resolve(db, rubric_module.load(), candidate_id, name, decision, utcnow()))


def _pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set takes KEY=VALUE, not {item!r}")
        out.append((key.strip(), value))
    return out


@review.command("edit")
@click.argument("candidate_id", type=int)
@AS
@click.option("--set", "set_values", multiple=True, metavar="KEY=VALUE", help="Set or correct a value (repeatable; lists comma-separated).")
@click.option("--clear", multiple=True, metavar="KEY", help="Remove a value (repeatable).")
@click.option("--evidence", help="Where the value was read (a quote or URL).")
@common_options
def edit_command(app: AppContext, candidate_id: int, name: str, set_values: tuple[str, ...], clear: tuple[str, ...], evidence: str | None) -> None:
    """Set, correct or clear values; you become their first person."""
    with app.open_db() as db:
        _done(service.edit(db, rubric_module.load(), candidate_id, name, utcnow(),
                           set_values=_pairs(set_values), clear=clear, evidence=evidence))


@review.command("verify")
@click.argument("candidate_id", type=int)
@AS
@common_options
def verify_command(app: AppContext, candidate_id: int, name: str) -> None:
    """Confirm every current value you did not set yourself."""
    with app.open_db() as db:
        _done(service.verify(db, rubric_module.load(), candidate_id, name, utcnow()))


@review.command("duplicate")
@click.argument("candidate_id", type=int)
@AS
@click.option("--of", "of_candidate", type=int, help="The candidate it duplicates.")
@click.option("--of-entry", type=int, help="The catalogue entry it duplicates.")
@common_options
def duplicate_command(app: AppContext, candidate_id: int, name: str, of_candidate: int | None, of_entry: int | None) -> None:
    """Mark a candidate as a duplicate of another candidate or a catalogue entry."""
    with app.open_db() as db:
        _done(service.mark_duplicate(db, rubric_module.load(), candidate_id, name, utcnow(),
                                     of_candidate=of_candidate, of_entry=of_entry))


@review.command("split")
@click.argument("candidate_id", type=int)
@AS
@click.option("--record", "records", multiple=True, required=True, metavar="SOURCE:NATIVE_ID", help="A record to move out (repeatable).")
@common_options
def split_command(app: AppContext, candidate_id: int, name: str, records: tuple[str, ...]) -> None:
    """Split a wrongly merged candidate: move records into a new candidate."""
    with app.open_db() as db:
        result = service.split(db, candidate_id, name, list(records), utcnow())
    click.echo(f"candidate {candidate_id}: records moved to new candidate {result['to']['id']}")


@review.command("show")
@click.argument("candidate_id", type=int)
@click.option("--as", "name", metavar="NAME", help="Show as this reviewer (your own vote is visible to you).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def show_command(app: AppContext, candidate_id: int, name: str | None, as_json: bool) -> None:
    """A candidate: records, fields with evidence and who stands behind each, votes."""
    with app.open_db() as db:
        data = service.show(db, candidate_id, name)
    if as_json:
        echo_json(data)
    else:
        _print_candidate(data)


@review.command("history")
@click.argument("candidate_id", type=int)
@click.option("--as", "name", metavar="NAME", help="Show as this reviewer (your own vote is visible to you).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def history_command(app: AppContext, candidate_id: int, name: str | None, as_json: bool) -> None:
    """Everything that happened to a candidate (the audit log)."""
    with app.open_db() as db:
        rows = service.history(db, candidate_id, name)
    if as_json:
        echo_json(rows)
        return
    table = Table("when", "who", "what", "target", "before", "after")
    for row in rows:
        table.add_row(row["at"], row["actor"], row["action"], row["target"], escape(str(row["before"] or ""))[:40], escape(str(row["after"] or ""))[:60])
    console.print(table)


@review.command("list")
@click.option("--status", help="Only this status (queued, screening, conflict, included, rejected, promoted, excluded, known, update).")
@click.option("--kind", type=click.Choice(["dataset", "model", "other"]), help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def list_command(app: AppContext, status: str | None, kind: str | None, as_json: bool) -> None:
    """The review queue, most relevant first."""
    with app.open_db() as db:
        rows = service.queue(db, status=status, kind=kind)
    data = [{k: r[k] for k in ("id", "kind", "title", "status", "relevance", "catalogue_entry_id", "updated_at")} for r in rows]
    if as_json:
        echo_json(data)
        return
    table = Table("id", "kind", "status", "rel", "title", title=f"{len(data)} candidates")
    for r in data:
        table.add_row(str(r["id"]), r["kind"], r["status"], f"{r['relevance']:.2f}", escape(r["title"] or ""))
    console.print(table)


@review.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
def stats_command(app: AppContext, as_json: bool) -> None:
    """Agreement: Cohen's kappa, field agreement, machine accuracy, per-reviewer counts."""
    with app.open_db() as db:
        data = service.stats(db)
    if as_json:
        echo_json(data)
        return
    s, f, m = data["screening"], data["fields"], data["machine_accuracy"]
    click.echo(f"screening: {s['pairs']} double-screened, Cohen's kappa {s['cohen_kappa']}, raw agreement {s['agreement']}")
    click.echo(f"fields: {f['second_person_actions']} second-person actions, {f['changed_by_second_person']} changed, agreement {f['agreement']}")
    click.echo(f"machine pre-extraction accepted unchanged: {m['overall']}")
    for key, value in m["per_field"].items():
        click.echo(f"  {key}: {value}")
    for name, counts in data["reviewers"].items():
        click.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@review.command("next")
@AS
@common_options
def next_command(app: AppContext, name: str) -> None:
    """Interactive: show the next candidate you may act on and take your decision."""
    rubric = rubric_module.load()
    skipped: set[int] = set()
    with app.open_db() as db:
        while True:
            candidate_id = service.next_for(db, name, skipped)
            if candidate_id is None:
                click.echo(f"nothing waiting for {name}")
                return
            data = service.show(db, candidate_id, name)
            _print_candidate(data)
            allowed = service.allowed_actions(db, candidate_id, name)
            choices = {"s": "skip", "q": "quit"}
            if "screen" in allowed:
                choices.update({"i": "include", "x": "exclude"})
            if "resolve" in allowed:
                choices.update({"I": "resolve include", "X": "resolve exclude"})
            if "edit" in allowed:
                choices["e"] = "edit a value"
            if "verify" in allowed:
                choices["v"] = "verify the values you did not set"
            prompt = "  ".join(f"[{k}] {v}" for k, v in choices.items())
            key = click.prompt(prompt, type=click.Choice(list(choices)), show_choices=False)
            now = utcnow()
            try:
                if key == "q":
                    return
                if key == "s":
                    skipped.add(candidate_id)
                    continue
                if key in "ix":
                    reason = None
                    if key == "x":
                        reason = click.prompt("reason", type=click.Choice(service.EXCLUDE_REASONS), default="other")
                    note = click.prompt("note (optional)", default="", show_default=False) or None
                    data = service.screen(db, rubric, candidate_id, name, "include" if key == "i" else "exclude", now, reason=reason, note=note)
                elif key in "IX":
                    data = service.resolve(db, rubric, candidate_id, name, "include" if key == "I" else "exclude", now)
                elif key == "e":
                    field = click.prompt("key")
                    value = click.prompt("value (empty to clear)", default="", show_default=False)
                    data = service.edit(db, rubric, candidate_id, name, now,
                                        set_values=[(field, value)] if value else [], clear=[] if value else [field])
                elif key == "v":
                    data = service.verify(db, rubric, candidate_id, name, now)
                _done(data)
            except InputError as exc:
                click.echo(f"refused: {exc}", err=True)
            if not click.confirm("next candidate?", default=True):
                return
