"""The paper's figures, regenerated from the live catalogue, plus the discovery flow.

Each figure is computed in two steps: a pure function turns catalogue rows
into a ``FigureData`` (its table, title, caption and alt text), and
``render_svg`` draws that table with matplotlib. The table is what the CSV
beside each SVG holds, so a reader (or a test) can check every number drawn.

Drawing uses matplotlib's object API on the Agg canvas (no pyplot, no global
backend switch) and writes SVG with a fixed ``svg.hashsalt``, text kept as
text and no date in the metadata: the same catalogue gives byte-identical
files.

Figures:

* ``anatomy_groups``: datasets per anatomy group (a dataset in several groups
  counts in each; ``unknown`` when it records no anatomy), as ``catalogue.stats``.
* ``acquisition_years``: the acquisition-year range of each dataset that
  records one.
* ``tiers``: share of datasets per public SonoDQS tier (the paper's published
  tier for entries as the paper published them, the computed one otherwise).
* ``completeness``: for each SonoDQS characteristic, the share of datasets
  where it is filled (as the scorer decides: ``scoring.is_filled``).
* ``discovery_flow``: the PRISMA-style flow of ``crawler.report`` over all
  runs (records identified per source, duplicates removed, excluded by
  automation, screened, excluded by reviewers, included, known matches,
  updates), so the site and ``sonocat report`` agree.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from crawler import report
from crawler.catalogue import tier_counts
from crawler.rubric import DatasetRubric
from crawler.scoring import is_filled
from crawler.vocab import GROUP_ORDER

HASH_SALT = "sonocat"
SVG_RC = {"svg.hashsalt": HASH_SALT, "svg.fonttype": "none", "font.family": ["DejaVu Sans", "sans-serif"]}
SVG_METADATA = {"Date": None, "Creator": "sonocat"}
TIER_COLOURS = {
    "diamond": "#6fc7dc", "platinum": "#9fb3c2", "gold": "#d9b23a", "silver": "#b9bcc2",
    "bronze": "#b8773f", "steel": "#5d7382", "unrated": "#d9d9d9", "unscored": "#f2f2f2",
}
BAR = "#3a6ea5"
LOW = "#8fb3d9"
MAX_LABELLED_RANGES = 80  # beyond this the year ranges are drawn without per-dataset labels
_YEARS = re.compile(r"\b((?:19|20)\d\d)\b(?:\s*(?:-|–|—|to)\s*((?:19|20)\d\d)\b)?")

@dataclass
class FigureData:
    slug: str  # file stem: figures/<slug>.svg and .csv
    title: str
    caption: str
    alt: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    empty: bool = False  # "no data yet"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue()


# -- data (pure) -----------------------------------------------------------------------------------


def _listing(pairs: Iterable[tuple[str, Any]], limit: int = 12) -> str:
    pairs = list(pairs)
    shown = ", ".join(f"{name} {value}" for name, value in pairs[:limit])
    if len(pairs) > limit:
        shown += f", and {len(pairs) - limit} more (see the CSV)"
    return shown


def anatomy_data(datasets: Sequence[Mapping[str, Any]]) -> FigureData:
    counter = Counter(g for d in datasets for g in d["anatomy_groups"] or ["unknown"])
    keys = [k for k in GROUP_ORDER if k in counter] + sorted(k for k in counter if k not in GROUP_ORDER)
    rows = [(k, counter[k]) for k in keys]
    return FigureData(
        slug="anatomy_groups",
        title="Datasets per anatomy group",
        caption=(
            "Number of datasets containing samples of each anatomy group. A dataset covering several "
            "groups counts once in each; 'unknown' means no anatomy is recorded."
        ),
        alt=(
            f"Bar chart of the number of datasets per anatomy group ({len(datasets)} datasets): "
            + (_listing(rows) if rows else "no datasets yet")
            + "."
        ),
        header=("anatomy_group", "datasets"),
        rows=rows,
        empty=not rows,
    )


def parse_years(value: Any) -> tuple[int, int] | None:
    """``"2015"`` -> (2015, 2015); ``"2015-2019"`` -> (2015, 2019); anything else -> None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value) if 1900 <= value <= 2099 else None
    if not isinstance(value, str):
        return None
    found = _YEARS.search(value)
    if not found:
        return None
    start = int(found.group(1))
    end = int(found.group(2)) if found.group(2) else start
    return (min(start, end), max(start, end))


def years_data(datasets: Sequence[Mapping[str, Any]], values: Mapping[int, Mapping[str, Any]]) -> FigureData:
    rows = []
    for d in datasets:
        years = parse_years(values.get(d["id"], {}).get("acquisition_years"))
        if years:
            rows.append((d["name"], years[0], years[1]))
    rows.sort(key=lambda r: (r[1], r[2], r[0].lower()))
    if rows:
        first, last = min(r[1] for r in rows), max(r[2] for r in rows)
        alt = (
            f"Horizontal ranges of acquisition years for the {len(rows)} of {len(datasets)} datasets that record "
            f"them, spanning {first} to {last}: "
            + _listing(((name, f"{a}" if a == b else f"{a}-{b}") for name, a, b in rows), limit=8)
            + "."
        )
    else:
        alt = "No data yet: no dataset in the catalogue records its years of acquisition."
    return FigureData(
        slug="acquisition_years",
        title="Acquisition years per dataset",
        caption="The years in which each dataset's images were acquired; only datasets that state them are shown.",
        alt=alt,
        header=("dataset", "start_year", "end_year"),
        rows=rows,
        empty=not rows,
    )


def tiers_data(datasets: Sequence[Mapping[str, Any]]) -> FigureData:
    counts = tier_counts(d["tier"] for d in datasets)
    total = len(datasets)
    rows = [(t, n, round(n / total, 4) if total else 0.0) for t, n in counts.items()]
    shown = [(t, f"{n} ({share:.0%})") for t, n, share in rows if n]
    return FigureData(
        slug="tiers",
        title="Share of datasets per SonoDQS tier",
        caption=(
            "Datasets per public SonoDQS tier: the paper's published tier for entries as the paper published "
            "them, the tier computed from the recorded characteristics for entries reviewed since."
        ),
        alt=f"Pie chart of the {total} datasets by SonoDQS tier: " + (_listing(shown) if shown else "none") + ".",
        header=("tier", "datasets", "share"),
        rows=rows,
        empty=not total,
    )


def completeness_data(
    datasets: Sequence[Mapping[str, Any]], values: Mapping[int, Mapping[str, Any]], rubric: DatasetRubric
) -> FigureData:
    total = len(datasets)
    rows = []
    for c in rubric.characteristics:
        filled = sum(1 for d in datasets if is_filled(values.get(d["id"], {}).get(c.key), rubric.placeholders))
        rows.append((c.key, c.label, c.tier, c.weight, filled, total, round(filled / total, 4) if total else 0.0))
    ranked = sorted(rows, key=lambda r: -r[6])
    return FigureData(
        slug="completeness",
        title="Completeness of each SonoDQS characteristic",
        caption=(
            f"Share of the {total} datasets for which each of the {len(rows)} SonoDQS characteristics is recorded "
            "(high-importance characteristics, weight 2, in dark blue; low-importance, weight 1, in light blue)."
        ),
        alt=(
            f"Bar chart of the share of {total} datasets recording each of {len(rows)} characteristics; "
            "most complete first: "
            + _listing(((r[0].replace("_", " "), f"{r[6]:.0%}") for r in ranked), limit=10)
            + "."
        ),
        header=("key", "label", "importance", "weight", "filled", "datasets", "share"),
        rows=rows,
        empty=not total,
    )


def flow_data(scope: Mapping[str, Any]) -> FigureData:
    """The discovery flow: the cumulative scope of ``crawler.report`` (all runs), so the site and
    ``sonocat report`` give the same numbers; one CSV row per (step, source), ``all`` for the total."""
    total, sources = scope["total"], scope["sources"]
    rows: list[tuple[Any, ...]] = []

    def add(step: str, label: str, of: Any) -> None:
        rows.append((step, label, "all", of(total)))
        rows.extend((step, label, name, of(flow)) for name, flow in sources.items())

    for label, key, _depth in report.ROWS:
        add(key, label, lambda f, key=key: f[key])
        if key == "awaiting_screening":
            for status in sorted(total["other"]):
                add(f"other:{status}", f"other: {status}", lambda f, s=status: f["other"].get(s, 0))
        if key == "excluded_by_reviewers":
            for reason in sorted(total["exclusion_reasons"]):
                add(f"excluded_by_reviewers:{reason}", f"excluded by reviewers: {reason}",
                    lambda f, r=reason: f["exclusion_reasons"].get(r, 0))
    per_source = ", ".join(f"{name} {flow['identified']}" for name, flow in sources.items())
    return FigureData(
        slug="discovery_flow",
        title="Discovery flow",
        caption=(
            "PRISMA-style flow of discovery over all runs, as `sonocat report` counts it: records the sources "
            "returned, new records folded into candidates (duplicates removed), triaged by automation, then "
            "screened and verified by two reviewers. Decisions are counted as they stand now."
        ),
        alt=(
            "Flow diagram of discovery: "
            + "; ".join(f"{label.lower()} {total[key]}" for label, key, _ in report.ROWS)
            + (f" (records identified per source: {per_source})." if per_source else " (no runs yet).")
        ),
        header=("step", "label", "source", "count"),
        rows=rows,
        empty=not total["identified"] and not total["new_records"],
    )


def all_figures(
    datasets: Sequence[Mapping[str, Any]],
    values: Mapping[int, Mapping[str, Any]],
    rubric: DatasetRubric,
    discovery: Mapping[str, Any],
) -> list[FigureData]:
    return [
        anatomy_data(datasets),
        years_data(datasets, values),
        tiers_data(datasets),
        completeness_data(datasets, values, rubric),
        flow_data(discovery),
    ]


# -- drawing ---------------------------------------------------------------------------------------


def _new(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _no_data(fig: Figure, message: str = "no data yet") -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=14, color="#555555")


def _draw_anatomy(fig: Figure, data: FigureData) -> None:
    ax = fig.add_subplot()
    names = [r[0] for r in data.rows]
    counts = [r[1] for r in data.rows]
    positions = range(len(names))
    ax.bar(positions, counts, color=BAR)
    ax.set_xticks(list(positions), names, rotation=45, ha="right")
    ax.set_ylabel("datasets")
    for x, n in zip(positions, counts):
        ax.annotate(str(n), (x, n), ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.12)


def _draw_years(fig: Figure, data: FigureData) -> None:
    ax = fig.add_subplot()
    n = len(data.rows)
    segments = [((start - 0.4, i), (end + 0.4, i)) for i, (_, start, end) in enumerate(data.rows)]
    width = 6 if n <= MAX_LABELLED_RANGES else max(0.3, 300 / n)
    ax.add_collection(LineCollection(segments, linewidths=width, colors=BAR, capstyle="butt"))
    first, last = min(r[1] for r in data.rows), max(r[2] for r in data.rows)
    ax.set_xlim(first - 1, last + 1)
    ax.set_ylim(n - 0.5, -0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if n <= MAX_LABELLED_RANGES:
        ax.set_yticks(range(n), [r[0] for r in data.rows], fontsize=8)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n} datasets, ordered by first year (names in the CSV)")
    ax.set_xlabel("year of acquisition")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def _draw_tiers(fig: Figure, data: FigureData) -> None:
    ax = fig.add_subplot()
    present = [r for r in data.rows if r[1]]
    wedges, _texts = ax.pie(
        [r[1] for r in present],
        labels=[f"{r[2]:.0%}" if r[2] >= 0.05 else "" for r in present],
        labeldistance=0.72,
        colors=[TIER_COLOURS.get(r[0], "#cccccc") for r in present],
        startangle=90,
        counterclock=False,
        wedgeprops={"edgecolor": "white", "linewidth": 1},
        textprops={"fontsize": 9, "ha": "center"},
    )
    ax.legend(
        wedges, [f"{r[0]}: {r[1]} ({r[2]:.0%})" for r in present],
        loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9,
    )
    ax.set_aspect("equal")


def _draw_completeness(fig: Figure, data: FigureData) -> None:
    ax = fig.add_subplot()
    rows = data.rows
    positions = range(len(rows))
    shares = [r[6] * 100 for r in rows]
    ax.barh(list(positions), shares, color=[BAR if r[2] == "high" else LOW for r in rows])
    ax.set_yticks(list(positions), [r[0].replace("_", " ") for r in rows], fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 108)
    ax.set_xlabel("datasets with the characteristic recorded (%)")
    for y, share in zip(positions, shares):
        ax.text(share + 1, y, f"{share:.0f}%", va="center", fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)


def _box(ax: Any, x: float, y: float, text: str, *, width: float, height: float, colour: str) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height,
            boxstyle="round,pad=0.005,rounding_size=0.01", facecolor=colour, edgecolor="#333333", linewidth=0.8,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5, wrap=True)


def _arrow(ax: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, color="#333333", linewidth=0.8))


def _draw_flow(fig: Figure, data: FigureData) -> None:
    ax = fig.add_axes((0, 0, 1, 0.94))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    n = {r[0]: r[3] for r in data.rows if r[2] == "all"}
    sources = [(r[2], r[3]) for r in data.rows if r[0] == "identified" and r[2] != "all"]
    per_source = "\n".join(", ".join(f"{s} {c}" for s, c in sources[i : i + 3]) for i in range(0, len(sources), 3))
    reasons = [(r[1].rpartition(": ")[2], r[3]) for r in data.rows
               if r[0].startswith("excluded_by_reviewers:") and r[2] == "all"]
    others = [(r[1], r[3]) for r in data.rows if r[0].startswith("other:") and r[2] == "all"]
    main = [
        f"Records identified: {n['identified']}" + (f"\n{per_source}" if per_source else ""),
        f"New records: {n['new_records']}",
        f"Candidates (unique resources): {n['candidates']}",
        f"Screened: {n['screened']}",
        f"Included (promoted): {n['included']}\n"
        f"new entries {n['included_new_entries']}, updates {n['included_updates']}",
    ]
    side = {
        0: [f"Previously identified: {n['previously_identified']}"],
        1: [f"Not yet triaged: {n['not_triaged']}", f"Duplicates removed: {n['duplicates_removed']}"],
        2: [f"Excluded by automation: {n['excluded_by_automation']}", f"Known matches: {n['known_matches']}",
            f"Updates: {n['updates']}", f"Awaiting screening: {n['awaiting_screening']}"]
        + [f"{label}: {count}" for label, count in others],
        3: [f"Excluded by reviewers: {n['excluded_by_reviewers']}"]
        + [f"  {reason}: {count}" for reason, count in reasons]
        + [f"Screening in progress: {n['screening_in_progress']}", f"Marked duplicate: {n['marked_duplicate']}",
           f"Included, awaiting verification: {n['included_awaiting_verification']}"],
    }
    main_x, side_x, width, side_width, height = 0.27, 0.74, 0.42, 0.46, 0.1
    step_y = 1 / len(main)
    heights = [height * (1.4 if "\n" in text else 1) for text in main]
    for i, text in enumerate(main):
        y = 1 - step_y * (i + 0.5)
        _box(ax, main_x, y, text, width=width, height=heights[i], colour="#e8f0f8")
        if i + 1 < len(main):
            _arrow(ax, (main_x, y - heights[i] / 2), (main_x, y - step_y + heights[i + 1] / 2))
        if i in side:
            lines = side[i]
            side_y = y - step_y / 2
            _box(ax, side_x, side_y, "\n".join(lines), width=side_width, height=0.03 + 0.028 * len(lines),
                 colour="#f6f6f6")
            _arrow(ax, (main_x, side_y), (side_x - side_width / 2, side_y))


DRAWERS = {
    "anatomy_groups": (_draw_anatomy, lambda d: (8, 4.5)),
    "acquisition_years": (_draw_years, lambda d: (8, min(max(2.5, 0.22 * len(d.rows) + 1.2), 14))),
    "tiers": (_draw_tiers, lambda d: (7.5, 4.5)),
    "completeness": (_draw_completeness, lambda d: (8, max(4, 0.22 * len(d.rows) + 1))),
    "discovery_flow": (_draw_flow, lambda d: (9, 8)),
}


def render_svg(data: FigureData) -> str:
    """The figure as SVG text: deterministic for the same data."""
    draw, size = DRAWERS[data.slug]
    with rc_context(SVG_RC):
        width, height = size(data)
        fig = _new(width, height if not data.empty or data.slug == "discovery_flow" else 2.5)
        fig.suptitle(data.title, fontsize=11)
        if data.empty and data.slug != "discovery_flow":
            _no_data(fig)
        else:
            draw(fig, data)
            if data.slug not in ("discovery_flow",):
                fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()
