"""The discovery flow as a PRISMA-2020-style SVG diagram, written by hand. Pure.

Four main boxes down the left (identified, candidates, screened, included),
each with an arrow to a box on the right holding what left the flow at that
step. Every label is XML-escaped; the numbers come from ``crawler.report``.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

MAIN_X, SIDE_X = 24, 404
BOX_W = 340
LINE_H = 17
PAD = 10
GAP = 34
TOP = 88
INDENT = 14
FONT = "font-family=\"Helvetica, Arial, sans-serif\""


def _box(x: int, y: int, lines: list[str], *, fill: str, bold_first: bool = True) -> tuple[list[str], int]:
    height = PAD * 2 + LINE_H * len(lines)
    out = [
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{height}" rx="4" fill="{fill}" '
        'stroke="#333" stroke-width="1.2"/>'
    ]
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if bold_first and i == 0 else ""
        indent = INDENT if line.startswith("  ") else 0  # SVG collapses leading spaces
        out.append(
            f'<text x="{x + PAD + indent}" y="{y + PAD + LINE_H * (i + 1) - 4}" font-size="13"{weight}>'
            f"{escape(line.strip())}</text>"
        )
    return out, height


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333" stroke-width="1.4" marker-end="url(#arrow)"/>'


def _steps(total: dict[str, Any], sources: dict[str, dict[str, Any]]) -> list[tuple[str, list[str], list[str]]]:
    identified = [f"Records identified (n = {total['identified']})"]
    identified += [f"  {name}: {flow['identified']}" for name, flow in sources.items()]
    identified.append(f"of which new records: {total['new_records']}")
    removed = [
        "Not carried forward",
        f"Previously identified (n = {total['previously_identified']})",
        f"Duplicates removed (n = {total['duplicates_removed']})",
        f"Not yet triaged (n = {total['not_triaged']})",
    ]
    candidates = [f"Candidates (n = {total['candidates']})"]
    unscreened = [
        "Not screened",
        f"Excluded by automation (n = {total['excluded_by_automation']})",
        f"Known matches (n = {total['known_matches']})",
        f"Updates (n = {total['updates']})",
        f"Awaiting screening (n = {total['awaiting_screening']})",
    ]
    unscreened += [f"Other: {status} (n = {n})" for status, n in sorted(total["other"].items())]
    screened = [f"Screened (n = {total['screened']})"]
    excluded = [f"Excluded by reviewers (n = {total['excluded_by_reviewers']})"]
    excluded += [f"  {reason}: {n}" for reason, n in sorted(total["exclusion_reasons"].items())]
    excluded += [
        f"Screening in progress (n = {total['screening_in_progress']})",
        f"Marked duplicate (n = {total['marked_duplicate']})",
    ]
    included = [
        f"Included (n = {total['included']})",
        f"  new entries: {total['included_new_entries']}",
        f"  updates to known entries: {total['included_updates']}",
    ]
    waiting = [
        "Not yet included",
        f"Screening passed, values awaiting verification (n = {total['included_awaiting_verification']})",
    ]
    return [
        ("Identification", identified, removed),
        ("Triage", candidates, unscreened),
        ("Screening", screened, excluded),
        ("Included", included, waiting),
    ]


def render_svg(report: dict[str, Any]) -> str:
    """The cumulative flow of ``report`` (``crawler.report.collect``) as an SVG document."""
    scope = report["cumulative"]
    sel = report["selection"]
    if sel["run"] is not None:
        title = f"sonocat discovery flow: run {sel['run']}"
    else:
        title = f"sonocat discovery flow: {len(sel['runs'])} runs" + (f" since {sel['since']}" if sel["since"] else "")
    body: list[str] = []
    y = TOP
    previous_bottom: int | None = None
    for phase, main, side in _steps(scope["total"], scope["sources"]):
        main_h = PAD * 2 + LINE_H * len(main)
        side_h = PAD * 2 + LINE_H * len(side)
        row_h = max(main_h, side_h)
        body.append(
            f'<text x="{MAIN_X}" y="{y - 8}" font-size="11" fill="#555" font-style="italic">{escape(phase)}</text>'
        )
        main_y = y + (row_h - main_h) // 2
        side_y = y + (row_h - side_h) // 2
        shapes, _ = _box(MAIN_X, main_y, main, fill="#eef4fb")
        body += shapes
        shapes, _ = _box(SIDE_X, side_y, side, fill="#f7f7f7")
        body += shapes
        if phase != "Included":  # what waits for verification did not leave the flow: no arrow out
            body.append(_arrow(MAIN_X + BOX_W, main_y + main_h / 2, SIDE_X - 2, side_y + side_h / 2))
        if previous_bottom is not None:
            body.append(_arrow(MAIN_X + BOX_W / 2, previous_bottom, MAIN_X + BOX_W / 2, main_y - 2))
        previous_bottom = main_y + main_h
        y += row_h + GAP
    width = SIDE_X + BOX_W + 24
    height = y - GAP + 24
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)} {FONT}>',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{MAIN_X}" y="30" font-size="16" font-weight="bold">{escape(title)}</text>',
        f'<text x="{MAIN_X}" y="48" font-size="11" fill="#555">as of {escape(str(report["generated_at"]))}</text>',
    ]
    return "\n".join(head + body + ["</svg>"]) + "\n"
