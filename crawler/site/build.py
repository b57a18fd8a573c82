"""Build the static site: the catalogue as pages anyone can open from disk or publish.

What ``build_site(db, DIR, rubric)`` writes::

    index.html            datasets and models tables; search, filters, sorting and
                          live counts in assets/site.js (plain JavaScript, no network)
    figures.html          the paper's figures from live data, with alt text, the
                          numbers as a table and a CSV link beside each
    entries/<slug>.html   one page per entry: every characteristic with evidence and
                          source, the score breakdown, computed next to published
                          tier, reviewers and dates, related entries, and for a
                          dataset schema.org ``Dataset`` JSON-LD
    figures/<name>.svg    figures (deterministic SVG) and figures/<name>.csv
    assets/               site.js, site.css
    data/catalogue.json   every entry's summary, for machines
    .nojekyll             GitHub Pages serves the files as they are
    .sonocat-site         marker: a directory holding it may be rebuilt in place

Everything is read in bulk (a handful of queries whatever the catalogue size;
the characteristic rows are streamed one entry at a time), each template is
compiled once, and the characteristics table of an entry page is assembled
from pre-escaped fixed cells (see ``_Layout``): 10,000 entries export in
seconds. The discovery flow is ``crawler.report``'s cumulative flow, so the
site and ``sonocat report`` agree.

Crawled text (values, evidence, descriptions) is plain text: Jinja
autoescapes it, the hand-assembled rows escape it with ``html.escape``, links
are emitted only for ``http``/``https`` URLs, and JSON-LD is serialised with
``<``, ``>`` and ``&`` escaped so it cannot close its ``<script>`` element.
Nothing depends on the clock: the same catalogue gives the same files.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from crawler import baseline, report
from crawler import catalogue as catalogue_service
from crawler.catalogue import TIER_ORDER
from crawler.db import Database
from crawler.errors import InputError
from crawler.rubric import Rubric
from crawler.site import figures as figures_module
from crawler.vocab import GROUP_ORDER

MARKER = ".sonocat-site"
OWNED = ("index.html", "figures.html", "entries", "figures", "assets", "data", ".nojekyll", MARKER)
ASSETS = ("site.js", "site.css", "favicon.svg")
SITE_NAME = "sonocat"
SITE_TITLE = "Public ultrasound datasets and models"
# Who entered a value without being a reviewer.
NOT_PEOPLE = frozenset({baseline.ENTERED_BY, "machine", "triage", "import"})
_SLUG = re.compile(r"[^a-z0-9]+")
_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
_UNSAFE_URL = re.compile(r"[\s\x00-\x1f\\<>\"'`]")
LINK_REL = "noopener noreferrer nofollow"


@dataclass
class SiteResult:
    directory: Path
    entries: int
    datasets: int
    models: int
    figures: list[str] = field(default_factory=list)


# -- small pure helpers ------------------------------------------------------------------------------


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:80].strip("-") or "entry"


def assign_slugs(rows: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """``<kind>-<name>`` per entry, in id order; a clash gets ``-<id>`` appended."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for row in sorted(rows, key=lambda r: r["id"]):
        slug = f"{row['kind']}-{slugify(row['name'])}"
        if slug in taken:
            slug = f"{slug}-{row['id']}"
        taken.add(slug)
        out[row["id"]] = slug
    return out


def safe_href(url: Any) -> str | None:
    """The URL itself when it is an absolute http(s) URL, else None (never javascript:, data:, relative...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    head = url[:8].lower()
    if head.startswith("https://"):
        rest = url[8:]
    elif head.startswith("http://"):
        rest = url[7:]
    else:
        return None
    if not rest or rest[0] in "/?#" or _UNSAFE_URL.search(url):
        return None
    return url


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def split_tasks(value: Any) -> list[str]:
    out: list[str] = []
    for item in as_list(value):
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _name_keys(name: str) -> set[str]:
    keys = {name_key(name)}
    bare = re.sub(r"\(.*?\)", "", name).strip()
    if bare:
        keys.add(name_key(bare))
    keys.update(name_key(inner) for inner in re.findall(r"\((.*?)\)", name))
    return {k for k in keys if k}


def format_value(value: Any) -> list[tuple[str, str | None]]:
    """A value as display parts ``(text, href)``; a link only for an http(s) URL."""
    if isinstance(value, bool):
        return [("yes" if value else "no", None)]
    if isinstance(value, int):
        return [(f"{value:,}", None)]
    if isinstance(value, float):
        return [(f"{value:g}", None)]
    if isinstance(value, (list, tuple)):
        return [part for item in value for part in format_value(item)]
    if isinstance(value, dict):
        return [(json.dumps(value, ensure_ascii=False, sort_keys=True), None)]
    text = "" if value is None else str(value)
    return [(text, safe_href(text))]


def display(value: Any) -> str:
    return ", ".join(text for text, _ in format_value(value))


def _esc(text: Any) -> str:
    """``text`` escaped for HTML text and attribute values (& < > " ')."""
    return html.escape(str(text), quote=True)


def link_html(text: str, href: str | None) -> str:
    """Escaped text, as a link when ``href`` passed ``safe_href``."""
    if href:
        return f'<a href="{_esc(href)}" rel="{LINK_REL}">{_esc(text)}</a>'
    return _esc(text)


def value_html(value: Any) -> str:
    return ", ".join(link_html(text, href) for text, href in format_value(value))


def humanise(key: str) -> str:
    return key.replace("_", " ").capitalize()


def json_for_script(data: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or comment can be formed."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _page_url(base_url: str | None, path: str) -> str | None:
    return f"{base_url.rstrip('/')}/{path}" if base_url else None


def licence_url(licence: str) -> str:
    if safe_href(licence):
        return licence
    if _SPDX.match(licence):
        return f"https://spdx.org/licenses/{quote(licence)}.html"
    return licence


def dataset_description(summary: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    own = values.get("description")
    if isinstance(own, str) and len(own.strip()) >= 50:
        return own.strip()[:5000]
    parts = [f"{summary['name']}: a public ultrasound dataset"]
    anatomy = as_list(values.get("anatomy"))
    if anatomy:
        parts.append(f" of the {', '.join(str(a) for a in anatomy)}")
    size = values.get("total_size")
    if isinstance(size, int) and not isinstance(size, bool):
        parts.append(f" ({size:,} samples)")
    tasks = split_tasks(values.get("task_category"))
    if tasks:
        parts.append(f" annotated for {', '.join(tasks).lower()}")
    access = {"OA": "open access", "AR": "available on request"}.get(values.get("access"))
    if access:
        parts.append(f", {access}")
    parts.append(". Listed in the sonocat catalogue of public ultrasound datasets")
    if summary.get("tier"):
        parts.append(f" with SonoDQS tier {summary['tier']}")
    text = "".join(parts) + "."
    if isinstance(own, str) and own.strip():
        text = f"{own.strip()} {text}"
    return text


def dataset_jsonld(
    summary: Mapping[str, Any], values: Mapping[str, Any], *, page_url: str | None, catalogue_url: str | None
) -> dict[str, Any]:
    """schema.org ``Dataset`` for one catalogue dataset (fields left out when unknown)."""
    links = [u for u in (safe_href(v) for v in as_list(values.get("link"))) if u]
    url = page_url or (links[0] if links else None)
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": summary["name"],
        "description": dataset_description(summary, values),
    }
    if url:
        doc["url"] = url
    same_as = [u for u in links if u != url]
    if same_as:
        doc["sameAs"] = same_as
    doi = values.get("doi")
    if isinstance(doi, str) and doi.strip():
        bare = doi.strip().lower().removeprefix("https://doi.org/").removeprefix("doi:")
        doc["identifier"] = f"https://doi.org/{bare}"
    licence = values.get("licence")
    if isinstance(licence, str) and licence.strip():
        doc["license"] = licence_url(licence.strip())
    keywords = ["ultrasound"]
    for item in (
        as_list(values.get("anatomy"))
        + list(summary.get("anatomy_groups") or [])
        + as_list(values.get("scanning_mode"))
        + split_tasks(values.get("task_category"))
    ):
        item = str(item)
        if item and item.lower() not in {k.lower() for k in keywords}:
            keywords.append(item)
    doc["keywords"] = keywords
    access = values.get("access")
    if access in ("OA", "AR"):
        doc["isAccessibleForFree"] = access == "OA"
    institution = values.get("institution")
    if isinstance(institution, str) and institution.strip():
        doc["creator"] = [{"@type": "Organization", "name": institution.strip()}]
    countries = [str(c) for c in as_list(values.get("geography")) if str(c).strip()]
    if countries:
        doc["spatialCoverage"] = [{"@type": "Place", "name": c} for c in countries]
    years = figures_module.parse_years(values.get("acquisition_years"))
    if years:
        doc["temporalCoverage"] = str(years[0]) if years[0] == years[1] else f"{years[0]}/{years[1]}"
    version = values.get("version")
    if isinstance(version, (str, int, float)) and not isinstance(version, bool) and str(version).strip():
        doc["version"] = str(version)
    catalogue = {"@type": "DataCatalog", "name": f"{SITE_NAME}: {SITE_TITLE}"}
    if catalogue_url:
        catalogue["url"] = catalogue_url
    doc["includedInDataCatalog"] = catalogue
    return doc


def relate(
    summaries: list[Mapping[str, Any]], training: Mapping[int, Any]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[int]], dict[int, list[int]]]:
    """Training links: per model the datasets it names (matched to catalogue ids or not),
    per dataset the models naming it, and per entry the entries of the other kind with its name."""
    datasets_by_key: dict[str, list[int]] = {}
    for row in summaries:
        if row["kind"] == "dataset":
            for key in _name_keys(row["name"]):
                datasets_by_key.setdefault(key, []).append(row["id"])
    trained_on: dict[int, list[dict[str, Any]]] = {}
    used_by: dict[int, list[int]] = {}
    for row in summaries:
        if row["kind"] != "model":
            continue
        for name in as_list(training.get(row["id"])):
            name = str(name).strip()
            if not name:
                continue
            matched = sorted({i for key in _name_keys(name) for i in datasets_by_key.get(key, [])})
            trained_on.setdefault(row["id"], []).append({"name": name, "ids": matched})
            for dataset_id in matched:
                if row["id"] not in used_by.setdefault(dataset_id, []):
                    used_by[dataset_id].append(row["id"])
    by_name: dict[str, list[Mapping[str, Any]]] = {}
    for row in summaries:
        by_name.setdefault(name_key(row["name"]), []).append(row)
    same_name = {
        row["id"]: [o["id"] for o in by_name[name_key(row["name"])] if o["kind"] != row["kind"]]
        for row in summaries
    }
    return trained_on, used_by, {k: v for k, v in same_name.items() if v}


# -- the builder -------------------------------------------------------------------------------------


def _size(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crawler.site", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["display"] = display
    env.filters["score"] = lambda v: "" if v is None else f"{v:.2f}"
    env.filters["size"] = _size
    env.filters["yesno"] = lambda v: "yes" if v is True else "no" if v is False else ""
    env.globals["TIER_ORDER"] = TIER_ORDER
    return env


def _check_target(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is a file; give a directory for the site")
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise InputError(f"{directory} is not empty and holds no sonocat site; choose a new or empty directory")


class _Output:
    """Writes the site's files and, at the end, removes what an earlier build left that this one did not write."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.written: set[Path] = set()
        for sub in ("entries", "figures", "assets", "data"):
            path = directory / sub
            if path.is_symlink() or path.exists() and not path.is_dir():
                path.unlink()
            path.mkdir(parents=True, exist_ok=True)

    def write(self, relative: str, text: str) -> None:
        path = self.directory / relative
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        self.written.add(path)

    def remove_stale(self) -> None:
        for name in OWNED:
            path = self.directory / name
            if path.is_dir() and not path.is_symlink():
                for child in list(path.iterdir()):
                    if child in self.written:
                        continue
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
            elif (path.exists() or path.is_symlink()) and path not in self.written:
                path.unlink()


def _tier_rank(tier: str | None) -> int:
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER)


def _index_row(row: Mapping[str, Any], values: Mapping[str, Any], slug: str) -> SimpleNamespace:
    tasks = split_tasks(values.get("task_category") if row["kind"] == "dataset" else values.get("task"))
    anatomy = [str(a) for a in as_list(values.get("anatomy"))]
    groups = list(row["anatomy_groups"] or []) or ["unknown"]
    search = " ".join(
        [row["name"], *anatomy, *groups, *tasks, str(values.get("framework") or ""), str(values.get("licence") or "")]
    ).lower()
    return SimpleNamespace(
        **{
            **row,
            "slug": slug,
            "anatomy_text": ", ".join(anatomy),
            "groups": "|".join(groups),
            "group_list": groups,
            "tasks": "|".join(tasks),
            "task_list": tasks,
            "task_text": ", ".join(tasks),
            "access": row["access"] if row["access"] in ("OA", "AR") else "unknown",
            "tier_key": row["tier"] or "unscored",
            "tier_rank": _tier_rank(row["tier"]),
            "published_rank": _tier_rank(row["published_tier"]),
            "search": " ".join(search.split()),
            "training_data_public": values.get("training_data_public"),
            "weights_public": values.get("weights_public"),
            "code_shared": values.get("code_shared"),
        }
    )


@dataclass
class _Layout:
    """What every entry page of one kind shares, escaped once per build rather than once per page.

    Ten thousand pages of some forty characteristic rows each make per-value
    template work the whole cost of an export, so the characteristics table
    is assembled here: the fixed cells (labels, weights, the row of a
    characteristic not recorded) are ready-made, and every value, evidence,
    source and name from the database goes through ``escape``.
    """

    keys: tuple[str, ...]
    weights: dict[str, int]
    total: int
    heads: dict[str, tuple[str, str]] = field(default_factory=dict)  # (opening of <tr>, rest of the header cell)
    counts: dict[str, dict[str, str]] = field(default_factory=lambda: {"counted": {}, "missing": {}, "unscored": {}})
    absent: dict[str, dict[str, str]] = field(default_factory=lambda: {"counted": {}, "missing": {}, "unscored": {}})
    items: dict[str, dict[str, str]] = field(default_factory=lambda: {"counted": {}, "missing": {}})

    def add(self, key: str, scored: tuple[str, int] | None) -> None:
        label, weight = scored if scored else (humanise(key), 0)
        label, key_html = _esc(label), _esc(key)
        self.heads[key] = (f'<tr id="c-{key_html}"', f'><th scope="row">{label}<br><code>{key_html}</code></th>')
        self.counts["counted"][key] = f'<span class="yes">✓ +{weight}</span>'
        self.counts["missing"][key] = f'<span class="no">✗ 0 of {weight}</span>'
        self.counts["unscored"][key] = f'<span class="muted">{"not scored yet" if scored else "not scored"}</span>'
        for state, cells in self.counts.items():
            self.absent[state][key] = (
                self.heads[key][0] + ' class="absent"' + self.heads[key][1]
                + f'<td><span class="muted">not recorded</span></td><td class="evidence"></td><td></td><td></td>'
                + f"<td>{cells[key]}</td></tr>"
            )
        self.items["counted"][key] = f'<li>{label} <span class="muted">+{weight}</span></li>'
        self.items["missing"][key] = f'<li>{label} <span class="muted">0 of {weight}</span></li>'

    def ensure(self, keys: Iterable[str]) -> None:
        for key in keys:
            if key not in self.heads:
                self.add(key, None)


def _layout(kind: str, rubric: Rubric) -> _Layout:
    if kind == "dataset":
        scored = {c.key: (c.label, c.weight) for c in rubric.dataset.characteristics}
        total = rubric.dataset.total_weight
    else:
        scored = {c.key: (c.label, 1) for c in rubric.model.criteria}
        total = len(rubric.model.criteria)
    layout = _Layout(rubric.keys_for(kind), {k: w for k, (_, w) in scored.items()}, total)
    for key in layout.keys:
        layout.add(key, scored.get(key))
    return layout


def _characteristics_html(layout: _Layout, rows: list[dict], score: Mapping[str, Any] | None) -> Markup:
    """The rows of the characteristics table: rubric keys in rubric order, then any other key held."""
    completed = set(score["completed"]) if score else set()
    missing = set(score["missing"]) if score else set()
    held = {r["key"]: r for r in rows}
    layout.ensure(held)
    out = []
    rubric_keys = set(layout.keys)
    for key in (*layout.keys, *(k for k in held if k not in rubric_keys)):
        state = "counted" if key in completed else "missing" if key in missing else "unscored"
        row = held.get(key)
        if row is None:
            out.append(layout.absent[state][key])
            continue
        source = row["evidence_source"]
        out.append(
            "".join(layout.heads[key])
            + f"<td>{value_html(row['value'])}</td>"
            + f'<td class="evidence">{_esc(row["evidence"] or "")}</td>'
            + f"<td>{link_html(source, safe_href(source)) if source else ''}</td>"
            + f'<td>{_esc(row["entered_by"] or "")}<br>'
            + f'<span class="muted">{_esc(row["entered_at"] or "")}</span></td>'
            + f"<td>{layout.counts[state][key]}</td></tr>"
        )
    return Markup("\n".join(out))


def _breakdown(layout: _Layout, score: Mapping[str, Any] | None) -> SimpleNamespace | None:
    if not score:
        return None
    layout.ensure((*score["completed"], *score["missing"]))
    return SimpleNamespace(
        score=score["score"],
        tier=score["tier"],
        rubric=score["rubric"],
        computed_at=score["computed_at"],
        points=sum(layout.weights.get(k, 0) for k in score["completed"]),
        total=layout.total,
        completed=len(score["completed"]),
        missing=len(score["missing"]),
        completed_html=Markup("".join(layout.items["counted"][k] for k in score["completed"])),
        missing_html=Markup("".join(layout.items["missing"][k] for k in score["missing"])),
    )


def _people(rows: list[dict]) -> list[dict[str, str]]:
    """People named in ``entered_by`` ("alice + bob"), with the last date each entered a value."""
    seen: dict[str, str] = {}
    for row in rows:
        for name in str(row["entered_by"] or "").split(" + "):
            name = name.strip()
            if name and name not in NOT_PEOPLE:
                seen[name] = max(seen.get(name, ""), row["entered_at"] or "")
    return [{"name": n, "at": seen[n]} for n in sorted(seen)]


def build_site(db: Database, directory: str | Path, rubric: Rubric, *, base_url: str | None = None) -> SiteResult:
    """Write the static site of the catalogue in ``db`` to ``directory`` (created, or rebuilt in place)."""
    directory = Path(directory)
    if base_url is not None and not safe_href(base_url):
        raise InputError(f"--base-url must be an absolute http(s) URL, not {base_url!r}")
    _check_target(directory)
    out = _Output(directory)
    env = environment()

    summaries = catalogue_service.list_entries(db)
    records = {e["id"]: e for e in db.entries()}
    histories = db.site_score_histories()
    slugs = assign_slugs(summaries)
    by_id = {row["id"]: row for row in summaries}
    datasets = [r for r in summaries if r["kind"] == "dataset"]
    models = [r for r in summaries if r["kind"] == "model"]
    as_of = max((e["updated_at"] or "" for e in records.values()), default="")
    site = {
        "name": SITE_NAME,
        "title": SITE_TITLE,
        "as_of": as_of[:10],
        "base_url": base_url.rstrip("/") if base_url else None,
        "counts": {"dataset": len(datasets), "model": len(models)},
    }

    values = _write_entry_pages(db, out, env, rubric, site, summaries, by_id, records, histories, slugs)
    figure_data = _write_figures(db, out, env, rubric, site, datasets, values)
    _write_index(out, env, site, summaries, values, slugs, len(datasets), len(models))

    catalogue_json = [
        {**{k: r[k] for k in ("id", "kind", "name", "anatomy", "anatomy_groups", "total_size", "access", "task",
                              "tier", "score", "computed_tier", "rubric", "published_tier", "published_sonomqs",
                              "provenance")},
         "page": f"entries/{slugs[r['id']]}.html"}
        for r in summaries
    ]
    out.write("data/catalogue.json", json.dumps(catalogue_json, ensure_ascii=False, indent=1) + "\n")
    static = resources.files("crawler.site") / "static"
    for name in ASSETS:
        out.write(f"assets/{name}", (static / name).read_text(encoding="utf-8"))
    out.write(".nojekyll", "")
    out.write(MARKER, "A static site written by `sonocat export site`; rebuilding replaces it.\n")
    out.remove_stale()
    return SiteResult(
        directory=directory,
        entries=len(summaries),
        datasets=len(datasets),
        models=len(models),
        figures=[f.slug for f in figure_data],
    )


def _write_entry_pages(
    db: Database,
    out: _Output,
    env: Environment,
    rubric: Rubric,
    site: dict[str, Any],
    summaries: list[dict[str, Any]],
    by_id: dict[int, dict[str, Any]],
    records: dict[int, dict[str, Any]],
    histories: dict[int, list[dict]],
    slugs: dict[int, str],
) -> dict[int, dict[str, Any]]:
    """One page per entry, streamed (one entry's rows in memory at a time); returns every entry's values."""
    template = env.get_template("entry.html")
    layouts = {kind: _layout(kind, rubric) for kind in ("dataset", "model")}
    reviewers = db.site_entry_reviewers()
    trained_on, used_by, same_name = relate(summaries, db.site_values_of("training_datasets"))
    catalogue_url = f"{site['base_url']}/" if site["base_url"] else None
    values: dict[int, dict[str, Any]] = {}
    site_ns = SimpleNamespace(**{**site, "counts": SimpleNamespace(**site["counts"])})

    def link(entry_id: int) -> SimpleNamespace:
        row = by_id[entry_id]
        return SimpleNamespace(name=row["name"], kind=row["kind"], href=f"{slugs[entry_id]}.html", tier=row["tier"])

    def render(entry_id: int, rows: list[dict]) -> None:
        summary, record = by_id[entry_id], records[entry_id]
        history = histories.get(entry_id, [])
        score = history[-1] if history else None
        entry_values = values[entry_id] = {row["key"]: row["value"] for row in rows}
        page_path = f"entries/{slugs[entry_id]}.html"
        page_url = _page_url(site["base_url"], page_path)
        jsonld = None
        if summary["kind"] == "dataset":
            jsonld = json_for_script(
                dataset_jsonld(summary, entry_values, page_url=page_url, catalogue_url=catalogue_url)
            )
        related = {
            "trained_on": [
                {"name": t["name"], "links": [link(i) for i in t["ids"]]} for t in trained_on.get(entry_id, [])
            ],
            "used_by": [link(i) for i in used_by.get(entry_id, [])],
            "same_name": [link(i) for i in same_name.get(entry_id, [])],
        }
        layout = layouts[summary["kind"]]
        out.write(
            page_path,
            template.render(
                site=site_ns,
                root="../",
                page="entry",
                entry=SimpleNamespace(**summary),
                record=SimpleNamespace(**record),
                is_baseline=record["provenance"] == baseline.PROVENANCE,
                canonical=page_url,
                characteristics=_characteristics_html(layout, rows, score),
                breakdown=_breakdown(layout, score),
                history=history,
                people=_people(rows),
                reviewers=reviewers.get(entry_id, []),
                related=related,
                links=[u for u in (safe_href(v) for v in as_list(entry_values.get("link"))) if u],
                jsonld=jsonld,
            ),
        )

    pending = sorted(by_id)
    position = 0
    for entry_id, rows in db.site_characteristics():
        while position < len(pending) and pending[position] < entry_id:
            render(pending[position], [])
            position += 1
        if position < len(pending) and pending[position] == entry_id:
            render(entry_id, rows)
            position += 1
    for entry_id in pending[position:]:
        render(entry_id, [])
    return values


def _write_figures(
    db: Database,
    out: _Output,
    env: Environment,
    rubric: Rubric,
    site: dict[str, Any],
    datasets: list[dict[str, Any]],
    values: dict[int, dict[str, Any]],
) -> list[figures_module.FigureData]:
    discovery = report.collect(db, site["as_of"] or "")["cumulative"]
    figure_data = figures_module.all_figures(datasets, values, rubric.dataset, discovery)
    for fig in figure_data:
        out.write(f"figures/{fig.slug}.svg", figures_module.render_svg(fig))
        out.write(f"figures/{fig.slug}.csv", fig.to_csv())
    out.write("figures.html", env.get_template("figures.html").render(site=site, root="", page="figures",
                                                                       figures=figure_data))
    return figure_data


def _write_index(
    out: _Output,
    env: Environment,
    site: dict[str, Any],
    summaries: list[dict[str, Any]],
    values: dict[int, dict[str, Any]],
    slugs: dict[int, str],
    dataset_count: int,
    model_count: int,
) -> None:
    rows = [_index_row(r, values.get(r["id"], {}), slugs[r["id"]]) for r in summaries]
    rows.sort(key=lambda r: (r.name.lower(), r.id))
    present_groups = {g for r in rows for g in r.group_list}
    dataset_rows = [r for r in rows if r.kind == "dataset"]
    filters = {
        "groups": [g for g in GROUP_ORDER if g in present_groups]
        + sorted(g for g in present_groups if g not in GROUP_ORDER),
        "tiers": [t for t in (*TIER_ORDER, "unscored") if any(r.tier_key == t for r in dataset_rows)],
        "access": [a for a in ("OA", "AR", "unknown") if any(r.access == a for r in dataset_rows)],
        "tasks": sorted({t for r in rows for t in r.task_list}, key=str.lower),
    }
    catalogue_ld = {
        "@context": "https://schema.org/",
        "@type": "DataCatalog",
        "name": f"{SITE_NAME}: {SITE_TITLE}",
        "description": (
            f"A catalogue of {dataset_count} public ultrasound imaging datasets and {model_count} deep-learning "
            "models, each scored for how completely it is described (SonoDQS for datasets, SonoMQS for models)."
        ),
        "keywords": ["ultrasound", "medical imaging", "datasets", "deep learning"],
        **({"url": f"{site['base_url']}/"} if site["base_url"] else {}),
    }
    out.write(
        "index.html",
        env.get_template("index.html").render(
            site=site, root="", page="index", filters=filters,
            datasets=dataset_rows,
            models=[r for r in rows if r.kind == "model"],
            jsonld=json_for_script(catalogue_ld),
        ),
    )
