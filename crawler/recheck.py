"""Catalogue upkeep: revisit every entry's links and hosts; propose what changed for review.

``sonocat recheck`` (and the weekly scheduled job) walks the catalogue:

1. **plan** (pure): for each entry, its ``link`` URLs and its DOI
   (``https://doi.org/<doi>``) are link checks; a Zenodo record (a
   ``zenodo.org/records/N`` link or a ``10.5281/zenodo.N`` DOI) and a GitHub
   repository (``github.com/owner/repo``) are also API checks. Each check is
   assigned to the host its requests go to.
2. **fetch** (I/O): one worker per host, a few hosts at a time; on each host
   one request at a time, ``delay`` seconds apart, through
   ``sources.http.HttpClient`` (retries honour ``Retry-After``; the run has a
   time budget). A link is fetched with ``If-None-Match`` /
   ``If-Modified-Since`` from its last good answer (304 = unchanged). The API
   base URLs are the configured ``sources.zenodo`` / ``sources.github``
   ``base_url``.
3. **judge** (pure): each link is ``alive`` (2xx or 304, temporary redirects
   included), ``moved`` (the first hops are 301/308 to a different resource:
   the new URL is recorded), ``dead`` (404/410, or no connection after the
   retries: the last good URL is kept and ``died_at`` records when it died) or
   ``error`` (anything else: nothing concluded). The APIs give: a newer
   Zenodo version (``/api/records/{id}/versions``, else ``links.latest``), a
   new GitHub release (``/releases/latest``: a tag other than the entry's
   version, published after the entry was last reviewed), weights newly
   published (a weight file among the release assets or the Zenodo files of a
   model whose ``weights_public`` is not true), a licence change (GitHub
   ``license.spdx_id`` for models, Zenodo ``metadata.license.id``, against
   the entry's ``licence``) and an access change (Zenodo ``access_right``
   against the entry's ``access``).
4. **propose** (db): the link states are stored in ``link_checks``; each
   entry's findings become, or join, one ``update`` candidate linked to the
   entry, with the proposed values as machine-entered candidate fields
   (evidence = the request and what it answered, source ``recheck:<url>``) and
   the findings as reasons. Catalogue values change only when two reviewers
   promote that candidate; this module never writes ``entries`` or
   ``characteristics``. A finding is not proposed again when it equals the
   entry's value, or when reviewers already rejected the same proposal; a
   dead link is reported when it dies, not every week after.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from crawler import normalise as norm
from crawler.config import Config
from crawler.db import Database
from crawler.errors import BudgetExceeded, ConfigError, InputError, SourceError, TransientError
from crawler.links import normalise_doi, normalise_url
from sources.http import Clock, HttpClient, Sleep

log = logging.getLogger(__name__)

RECHECK = "recheck"
MACHINE = "machine"  # proposed values count as no one: two reviewers must confirm them
DEFAULT_DELAY = 5.0  # seconds between two requests to one host
WEEKLY_OLDER_THAN = 6.0  # days: the scheduled run skips entries checked since the last one
PERMANENT = frozenset({301, 308})
DEAD = frozenset({404, 410})
DECIDED = frozenset({"rejected", "promoted", "merged"})
PAGE_ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
GITHUB_ACCEPT = "application/vnd.github+json"
NOT_REPOS = frozenset({"orgs", "topics", "settings", "marketplace", "features", "sponsors", "collections", "about"})
ZENODO_DOI = re.compile(r"^10\.5281/zenodo\.(\d+)$")


@dataclass
class RecheckOptions:
    entry_id: int | None = None
    older_than: float | None = None  # days; None = every entry
    delay: float = DEFAULT_DELAY
    hosts_at_once: int = 4
    timeout: float = 30.0
    max_retries: int = 3
    budget_seconds: float = 3600.0
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic
    wall_clock: Clock = time.time
    transport: httpx.BaseTransport | None = None

    @classmethod
    def from_config(cls, config: Config, **overrides: Any) -> RecheckOptions:
        """``[schedule] recheck_delay`` (seconds, default 5) sets the per-host delay."""
        raw = config.schedule.get("recheck_delay") or DEFAULT_DELAY
        try:
            delay = float(raw)
        except ValueError as exc:
            raise ConfigError(f"schedule.recheck_delay must be a number of seconds, not {raw!r}") from exc
        if delay < 0:
            raise ConfigError("schedule.recheck_delay must not be negative")
        options = cls(delay=delay)
        for key, value in overrides.items():
            if value is not None:
                setattr(options, key, value)
        return options


@dataclass(frozen=True)
class Check:
    entry_id: int
    kind: str  # link | zenodo | github
    target: str  # the URL, the Zenodo record id, or "owner/repo"
    host: str  # where its requests go: one worker per host
    key: str = "link"  # for a link: the characteristic it comes from (link or doi)


@dataclass
class Observation:
    check: Check
    status: str  # link: alive | moved | dead | error; API: ok | missing | error
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    moved_to: str | None = None
    error: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Finding:
    key: str
    value: Any
    evidence: str
    url: str
    reasons: list[str]
    kind: str  # moved | dead | version | weights | licence | access | doi
    same_value_ok: bool = False  # a dead link proposes the links as they are, with the death as evidence


@dataclass
class RecheckResult:
    entries: int = 0
    checks: int = 0
    links: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries, "checks": self.checks, "links": self.links, "findings": self.findings,
            "skipped": self.skipped, "candidates_created": self.created, "candidates_joined": self.joined,
            "errors": self.errors,
        }


# -- plan (pure) -------------------------------------------------------------------------------


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def entry_urls(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, url) for an entry's web links and its DOI, each resource once."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    links = values.get("link") or []
    if isinstance(links, str):
        links = [links]
    candidates = [("link", str(u).strip()) for u in links]
    if values.get("doi"):
        candidates.append(("doi", f"https://doi.org/{normalise_doi(str(values['doi']))}"))
    for key, url in candidates:
        if not re.match(r"https?://", url, re.I):
            continue
        ident = normalise_url(url)
        if ident not in seen:
            seen.add(ident)
            out.append((key, url))
    return out


def zenodo_ids(values: Mapping[str, Any]) -> list[str]:
    ids: list[str] = []
    for _, url in entry_urls(values):
        ident = normalise_url(url)
        found = ident.removeprefix("zenodo:") if ident.startswith("zenodo:") else None
        if ident.startswith("doi:"):
            match = ZENODO_DOI.match(ident.removeprefix("doi:"))
            found = match.group(1) if match else None
        if found and found.isdigit() and found not in ids:
            ids.append(found)
    return ids


def github_repos(values: Mapping[str, Any]) -> list[str]:
    repos: list[str] = []
    for _, url in entry_urls(values):
        ident = normalise_url(url)
        if ident.startswith("github:"):
            repo = ident.removeprefix("github:")
            if repo.split("/")[0] not in NOT_REPOS and repo not in repos:
                repos.append(repo)
    return repos


def plan(
    entries: Iterable[Mapping[str, Any]],
    values: Mapping[int, Mapping[str, Any]],
    states: Mapping[tuple[int, str], Mapping[str, Any]],
    *,
    zenodo_base: str,
    github_base: str,
    checked_before: str | None = None,
) -> list[Check]:
    """The checks to make. With ``checked_before`` an entry is due only when one of its URLs
    was never checked or last checked before that time."""
    checks: list[Check] = []
    for entry in entries:
        entry_id = entry["id"]
        vals = values.get(entry_id, {})
        urls = entry_urls(vals)
        if not urls:
            continue
        if checked_before is not None:
            due = any(
                (entry_id, url) not in states or (states[(entry_id, url)]["checked_at"] or "") < checked_before
                for _, url in urls
            )
            if not due:
                continue
        checks += [Check(entry_id, "link", url, _host(url), key) for key, url in urls]
        checks += [Check(entry_id, "zenodo", rid, _host(zenodo_base)) for rid in zenodo_ids(vals)]
        checks += [Check(entry_id, "github", repo, _host(github_base)) for repo in github_repos(vals)]
    return checks


# -- fetch (I/O) -------------------------------------------------------------------------------


class Fetcher:
    """Runs the checks of one host, one request at a time, ``delay`` apart."""

    def __init__(self, client: HttpClient, *, zenodo_base: str, github_base: str, github_token: str | None) -> None:
        self.client = client
        self.zenodo_base = zenodo_base.rstrip("/")
        self.github_base = github_base.rstrip("/")
        self.github_headers = {"Accept": GITHUB_ACCEPT}
        if github_token:
            self.github_headers["Authorization"] = f"Bearer {github_token}"

    def run(self, check: Check, previous: Mapping[str, Any] | None) -> Observation:
        try:
            if check.kind == "link":
                return self.link(check, previous)
            if check.kind == "zenodo":
                return self.zenodo(check)
            return self.github(check)
        except BudgetExceeded:
            raise
        except SourceError as exc:
            return Observation(check, "error", http_status=exc.status, error=str(exc))
        except httpx.HTTPError as exc:  # too many redirects, an invalid URL: translated here
            return Observation(check, "error", error=f"{type(exc).__name__}: {exc}")

    def link(self, check: Check, previous: Mapping[str, Any] | None) -> Observation:
        headers = {"Accept": PAGE_ACCEPT}
        if previous and previous.get("status") in ("alive", "moved"):
            if previous.get("etag"):
                headers["If-None-Match"] = previous["etag"]
            if previous.get("last_modified"):
                headers["If-Modified-Since"] = previous["last_modified"]
        try:
            response = self.client.get(check.target, headers=headers)
        except BudgetExceeded:
            raise
        except TransientError as exc:
            if isinstance(exc.__cause__, httpx.ConnectError):
                return Observation(check, "dead", error=str(exc))  # no DNS, no route: after the retries
            return Observation(check, "error", error=str(exc))
        except SourceError as exc:
            return Observation(check, "dead" if exc.status in DEAD else "error", http_status=exc.status, error=str(exc))
        hops = [str(r.request.url) for r in response.history] + [str(response.request.url)]
        permanent = 0
        while permanent < len(response.history) and response.history[permanent].status_code in PERMANENT:
            permanent += 1
        moved_to = hops[permanent] if permanent else None
        if moved_to and normalise_url(moved_to) == normalise_url(check.target):
            moved_to = None  # http -> https, a trailing slash: the same resource
        return Observation(
            check,
            "moved" if moved_to else "alive",
            http_status=response.history[0].status_code if moved_to else response.status_code,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            final_url=hops[-1],
            moved_to=moved_to,
        )

    def zenodo(self, check: Check) -> Observation:
        record_url = f"{self.zenodo_base}/api/records/{check.target}"
        try:
            record = self.client.get_json(record_url)
        except SourceError as exc:
            if exc.status in DEAD:
                return Observation(check, "missing", http_status=exc.status, error=str(exc))
            raise
        data: dict[str, Any] = {"record": record, "record_url": record_url, "latest": None, "latest_url": None}
        versions_url = f"{record_url}/versions"
        try:
            listing = self.client.get_json(versions_url)
            latest = latest_version((listing.get("hits") or {}).get("hits") or [])
            if latest is not None:
                data["latest"], data["latest_url"] = latest, versions_url
        except BudgetExceeded:
            raise
        except SourceError as exc:
            log.info("recheck: %s: %s; trying links.latest", versions_url, exc)
        if data["latest"] is None:
            latest_url = (record.get("links") or {}).get("latest") or f"{record_url}/versions/latest"
            try:
                data["latest"], data["latest_url"] = self.client.get_json(latest_url), latest_url
            except BudgetExceeded:
                raise
            except SourceError as exc:
                log.info("recheck: %s: %s", latest_url, exc)
        return Observation(check, "ok", data=data)

    def github(self, check: Check) -> Observation:
        repo_url = f"{self.github_base}/repos/{quote(check.target)}"
        try:
            repo = self.client.get_json(repo_url, headers=self.github_headers)
        except SourceError as exc:
            if exc.status in DEAD:
                return Observation(check, "missing", http_status=exc.status, error=str(exc))
            raise
        release_url = f"{repo_url}/releases/latest"
        try:
            release = self.client.get_json(release_url, headers=self.github_headers)
        except BudgetExceeded:
            raise
        except SourceError as exc:
            if exc.status != 404:  # 404: no release yet
                raise
            release = None
        return Observation(check, "ok", data={"repo": repo, "repo_url": repo_url, "release": release,
                                              "release_url": release_url})


def latest_version(hits: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest of a Zenodo versions listing: flagged latest, else the highest index, else the highest id."""
    if not hits:
        return None

    def relation(hit: dict[str, Any]) -> dict[str, Any]:
        rel = ((hit.get("metadata") or {}).get("relations") or {}).get("version") or [{}]
        return rel[0] if rel else {}

    for hit in hits:
        if (hit.get("versions") or {}).get("is_latest") or relation(hit).get("is_last"):
            return hit

    def order(hit: dict[str, Any]) -> tuple[int, int]:
        index = (hit.get("versions") or {}).get("index", relation(hit).get("index", -1))
        try:
            ident = int(hit.get("id") or 0)
        except (TypeError, ValueError):
            ident = 0
        return (int(index if index is not None else -1), ident)

    return max(hits, key=order)


def fetch_all(
    checks: list[Check],
    states: Mapping[tuple[int, str], Mapping[str, Any]],
    options: RecheckOptions,
    *,
    zenodo_base: str,
    github_base: str,
    github_token: str | None,
) -> list[Observation]:
    """Every check's observation; hosts in parallel, each host's requests one by one."""
    by_host: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        by_host[check.host].append(check)
    deadline = options.clock() + options.budget_seconds
    per_minute = 60.0 / options.delay if options.delay > 0 else 1e9

    def work(host: str, host_checks: list[Check]) -> list[Observation]:
        client = HttpClient(
            source=f"recheck {host}", timeout=options.timeout, per_minute=per_minute,
            max_retries=options.max_retries, deadline=deadline, sleep=options.sleep, clock=options.clock,
            wall_clock=options.wall_clock, transport=options.transport,
        )
        fetcher = Fetcher(client, zenodo_base=zenodo_base, github_base=github_base, github_token=github_token)
        out: list[Observation] = []
        try:
            for n, check in enumerate(host_checks):
                try:
                    out.append(fetcher.run(check, states.get((check.entry_id, check.target))))
                except BudgetExceeded as exc:
                    out += [Observation(c, "error", error=str(exc)) for c in host_checks[n:]]
                    break
                except Exception as exc:  # noqa: BLE001 - one check's bug must not stop the others
                    log.exception("recheck: %s %s: internal error", check.kind, check.target)
                    out.append(Observation(check, "error", error=f"internal error: {type(exc).__name__}: {exc}"))
        finally:
            client.close()
        return out

    workers = max(1, min(options.hosts_at_once, len(by_host)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="recheck") as pool:
        futures = [pool.submit(work, host, items) for host, items in by_host.items()]
        results = [obs for future in futures for obs in future.result()]
    order = {check: n for n, check in enumerate(checks)}
    return sorted(results, key=lambda obs: order[obs.check])


# -- judge (pure) ------------------------------------------------------------------------------


def link_state(obs: Observation, previous: Mapping[str, Any] | None, now: str) -> dict[str, Any]:
    """The new ``link_checks`` row for a link observation."""
    prev = dict(previous or {})
    row = {
        "entry_id": obs.check.entry_id, "url": obs.check.target, "status": obs.status,
        "http_status": obs.http_status, "etag": prev.get("etag"), "last_modified": prev.get("last_modified"),
        "last_good_url": prev.get("last_good_url"), "checked_at": now, "died_at": prev.get("died_at"),
        "moved_to": prev.get("moved_to"),
    }
    if obs.status in ("alive", "moved"):
        row.update(
            etag=obs.etag or (prev.get("etag") if obs.http_status == 304 else None),
            last_modified=obs.last_modified or (prev.get("last_modified") if obs.http_status == 304 else None),
            last_good_url=obs.final_url or obs.check.target, died_at=None, moved_to=obs.moved_to,
        )
    elif obs.status == "dead":
        row.update(died_at=prev.get("died_at") or now, moved_to=None)
    return row


def _same(a: Any, b: Any) -> bool:
    def norm_text(v: Any) -> str:
        return str(v).strip().lower().removeprefix("v")

    if isinstance(a, (list, dict, bool)) or isinstance(b, (list, dict, bool)):
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    return norm_text(a) == norm_text(b)


def link_findings(
    values: Mapping[str, Any], observations: list[Observation], rows: Mapping[str, Mapping[str, Any]],
    previous: Mapping[str, Mapping[str, Any]],
) -> list[Finding]:
    """Moved and newly dead links: one ``link`` proposal (the list with moved URLs replaced), a ``doi`` note."""
    out: list[Finding] = []
    links = values.get("link") or []
    links = [links] if isinstance(links, str) else list(links)
    for key in ("link", "doi"):
        events = []
        for obs in observations:
            if obs.check.key != key:
                continue
            row, prev = rows[obs.check.target], previous.get(obs.check.target) or {}
            if obs.status == "moved":
                events.append(("moved", obs, row))
            elif obs.status == "dead" and not prev.get("died_at"):
                events.append(("dead", obs, row))
        if not events:
            continue
        evidence, reasons = [], []
        for kind, obs, row in events:
            url = obs.check.target
            if kind == "moved":
                evidence.append(f"GET {url}: HTTP {obs.http_status} moved permanently to {obs.moved_to}")
                reasons.append(f"recheck: moved: {url} -> {obs.moved_to} (HTTP {obs.http_status})")
            else:
                answer = f"HTTP {obs.http_status}" if obs.http_status else (obs.error or "no connection")
                good = row.get("last_good_url")
                evidence.append(f"GET {url}: {answer}; dead since {row['died_at']}"
                                + (f"; last good URL {good}" if good else ""))
                reasons.append(f"recheck: dead link: {url} ({answer})" + (f"; last good URL {good}" if good else ""))
        first = events[0][1].check.target
        if key == "link":
            moved = {obs.check.target: obs.moved_to for kind, obs, _ in events if kind == "moved"}
            proposed = list(dict.fromkeys(moved.get(u, u) for u in links))
            out.append(Finding("link", proposed, "; ".join(evidence), first, reasons,
                               "moved" if moved else "dead", same_value_ok=not moved))
        else:
            out.append(Finding("doi", values.get("doi"), "; ".join(evidence), first, reasons, "dead",
                               same_value_ok=True))
    return out


def zenodo_findings(kind: str, values: Mapping[str, Any], obs: Observation) -> list[Finding]:
    if obs.status != "ok":
        return []
    record, latest = obs.data["record"], obs.data.get("latest") or obs.data["record"]
    latest_url = obs.data.get("latest_url") or obs.data["record_url"]
    meta = latest.get("metadata") or {}
    out: list[Finding] = []
    rid, lid = str(record.get("id")), str(latest.get("id"))
    version = meta.get("version")
    entry_version = values.get("version")
    newer = lid != rid
    if newer or (entry_version and version):
        proposed = str(version) if version else f"record {lid} ({meta.get('publication_date') or 'undated'})"
        if not (entry_version and _same(entry_version, proposed)) and (newer or not _same(entry_version, version)):
            said = f"version {version} (record {lid})" if version else f"record {lid}, newer than record {rid}"
            out.append(Finding("version", proposed, f"GET {latest_url}: {said}", latest_url,
                               [f"recheck: new version on Zenodo: {said}"], "version"))
            entry_doi = normalise_doi(str(values.get("doi") or ""))
            if newer and entry_doi and entry_doi == normalise_doi(str(record.get("doi") or "")) and latest.get("doi"):
                out.append(Finding("doi", latest["doi"], f"GET {latest_url}: doi {latest['doi']} (record {lid})",
                                   latest_url, [f"recheck: the entry's DOI names the older record {rid}"], "doi"))
    licence_raw = meta.get("license")
    licence_raw = licence_raw.get("id") if isinstance(licence_raw, dict) else licence_raw
    out += _licence(values, licence_raw, f"GET {latest_url}: metadata.license.id {licence_raw}", latest_url, "Zenodo")
    flag = meta.get("access_right")
    verdict = norm.access(host_access=flag, source="zenodo") if flag else None
    if verdict is not None and values.get("access") and not _same(values["access"], verdict.value):
        out.append(Finding("access", verdict.value, f"GET {latest_url}: metadata.access_right {flag}", latest_url,
                           [f"recheck: access changed on Zenodo: {values['access']} -> {verdict.value} ({flag})"],
                           "access"))
    if kind == "model" and values.get("weights_public") is not True:
        weights = [f.get("key") for f in latest.get("files") or [] if norm.is_weight_file(str(f.get("key") or ""))]
        if weights:
            out.append(Finding("weights_public", True, f"GET {latest_url}: file {weights[0]}", latest_url,
                               [f"recheck: weights now published on Zenodo: {', '.join(weights)}"], "weights"))
    return out


def _licence(values: Mapping[str, Any], raw: Any, evidence: str, url: str, host: str) -> list[Finding]:
    host_licence = norm.licence(str(raw)) if raw else None
    entry_licence = values.get("licence")
    if not host_licence or not entry_licence:
        return []  # a change needs two values; a licence stated for the first time is triage's to find
    if (norm.licence(str(entry_licence)) or str(entry_licence)).lower() == host_licence.lower():
        return []
    return [Finding("licence", host_licence, evidence, url,
                    [f"recheck: licence changed on {host}: {entry_licence} -> {host_licence}"], "licence")]


def github_findings(entry: Mapping[str, Any], values: Mapping[str, Any], obs: Observation) -> list[Finding]:
    if obs.status != "ok":
        return []
    out: list[Finding] = []
    kind = entry["kind"]
    repo, release = obs.data["repo"], obs.data.get("release")
    if kind == "model":  # a dataset repository's licence covers its scripts, not the data
        spdx = (repo.get("license") or {}).get("spdx_id")
        if spdx and spdx != "NOASSERTION":
            out += _licence(values, spdx, f"GET {obs.data['repo_url']}: license.spdx_id {spdx}",
                            obs.data["repo_url"], "GitHub")
    if not release or release.get("draft"):
        return out
    url, tag = obs.data["release_url"], str(release.get("tag_name") or "").strip()
    published = str(release.get("published_at") or "")
    last_seen = entry.get("reviewed_at") or entry.get("created_at") or ""
    entry_version = values.get("version")
    if tag and not (entry_version and _same(entry_version, tag)) and (entry_version or published > last_seen):
        out.append(Finding("version", tag, f"GET {url}: release {tag} published {published or 'undated'}", url,
                           [f"recheck: new GitHub release {tag} ({published[:10] or 'undated'})"], "version"))
    if kind == "model" and values.get("weights_public") is not True:
        assets = [a for a in release.get("assets") or [] if norm.is_weight_file(str(a.get("name") or ""),
                                                                               str(release.get("body") or ""))]
        if assets:
            first = assets[0]
            out.append(Finding(
                "weights_public", True,
                f"GET {url}: release {tag} asset {first.get('name')} ({first.get('browser_download_url')})", url,
                [f"recheck: weights now published: {', '.join(str(a.get('name')) for a in assets)} in release {tag}"],
                "weights",
            ))
    return out


def judge(
    entry: Mapping[str, Any], values: Mapping[str, Any], observations: list[Observation],
    previous: Mapping[str, Mapping[str, Any]], now: str,
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """One entry's new link rows and findings (one per key: the first observation wins, reasons add up)."""
    link_obs = [o for o in observations if o.check.kind == "link"]
    rows = {o.check.target: link_state(o, previous.get(o.check.target), now) for o in link_obs}
    found = link_findings(values, link_obs, rows, previous)
    for obs in observations:
        if obs.check.kind == "zenodo":
            found += zenodo_findings(entry["kind"], values, obs)
        elif obs.check.kind == "github":
            found += github_findings(entry, values, obs)
    by_key: dict[str, Finding] = {}
    for finding in found:
        if finding.key in by_key:
            by_key[finding.key].reasons += [r for r in finding.reasons if r not in by_key[finding.key].reasons]
        else:
            by_key[finding.key] = finding
    return list(rows.values()), list(by_key.values())


# -- propose (db) ------------------------------------------------------------------------------


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def propose(
    db: Database, entry: Mapping[str, Any], values: Mapping[str, Any], findings: list[Finding], now: str,
    result: RecheckResult,
) -> int | None:
    """Create or join the entry's open recheck candidate. Call inside a transaction."""
    entry_id = entry["id"]
    if not findings:
        return None
    mine = db.recheck_candidates(entry_id=entry_id)
    rejected = db.candidate_fields([c["id"] for c in mine if c["status"] == "rejected"]) if mine else {}
    keep: list[Finding] = []
    for finding in findings:
        unchanged = finding.key in values and _encode(values[finding.key]) == _encode(finding.value)
        if unchanged and not finding.same_value_ok:
            continue
        if any(f.get(finding.key) and _encode(f[finding.key]["value"]) == _encode(finding.value)
               for f in rejected.values()):
            result.skipped.append({"entry_id": entry_id, "key": finding.key, "value": finding.value,
                                   "why": "reviewers rejected this proposal before"})
            continue
        keep.append(finding)
    if not keep:
        return None
    open_ = [c for c in mine if c["status"] not in DECIDED]
    reasons = [r for f in keep for r in f.reasons]
    if open_:
        candidate_id = open_[0]["id"]
        held_reasons = open_[0]["reasons"]
        new_reasons = held_reasons + [r for r in dict.fromkeys(reasons) if r not in held_reasons]
        db.update_candidate(candidate_id, {"reasons": json.dumps(new_reasons), "updated_at": now})
        if candidate_id not in result.joined:
            result.joined.append(candidate_id)
    else:
        candidate_id = db.insert_candidate(
            {
                "kind": entry["kind"], "title": entry["name"], "status": "update", "status_by": RECHECK,
                "relevance": 1.0, "reasons": json.dumps(list(dict.fromkeys(reasons))),
                "catalogue_entry_id": entry_id, "match_reasons": json.dumps([f"recheck of catalogue entry {entry_id}"]),
                "uncertain": "[]", "first_seen": now, "created_at": now, "updated_at": now,
            }
        )
        result.created.append(candidate_id)
        # promotion needs a confirmed name: the entry's own, evidence and all, so promoting leaves it as it is
        name = next((c for c in db.characteristics(entry_id) if c["key"] == "name"), None)
        db.set_candidate_field(
            candidate_id, "name",
            {"value": name["value"] if name else entry["name"],
             "evidence": name["evidence"] if name else f"catalogue entry {entry_id}",
             "source": name["evidence_source"] if name else f"catalogue:entry/{entry_id}"},
            MACHINE, now,
        )
    held = db.candidate_fields([candidate_id]).get(candidate_id, {})
    for finding in keep:
        current = held.get(finding.key)
        if current and current["entered_by"] != MACHINE:
            continue  # a reviewer's value stands
        if current and _encode(current["value"]) == _encode(finding.value) and current["evidence"] == finding.evidence:
            continue
        db.set_candidate_field(
            candidate_id, finding.key,
            {"value": finding.value, "evidence": finding.evidence, "source": f"{RECHECK}:{finding.url}"},
            MACHINE, now,
        )
    for finding in keep:
        result.findings.append({"entry_id": entry_id, "entry": entry["name"], "kind": finding.kind,
                                "key": finding.key, "value": finding.value, "evidence": finding.evidence,
                                "candidate_id": candidate_id})
    return candidate_id


# -- the service -------------------------------------------------------------------------------


def _minus_days(now: str, days: float) -> str:
    moment = datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return (moment - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def recheck(
    db: Database, config: Config, options: RecheckOptions, now: str,
    progress: Callable[[str], None] | None = None,
) -> RecheckResult:
    """Recheck the catalogue (or one entry); store link states; propose findings as update candidates."""
    if options.older_than is not None and options.older_than < 0:
        raise InputError("--older-than takes a number of days, not a negative one")
    if options.delay < 0:
        raise InputError("--delay takes a number of seconds, not a negative one")
    entries = [db.get_entry(options.entry_id)] if options.entry_id is not None else db.entries()
    values = db.values_by_entry()
    states = {(row["entry_id"], row["url"]): row for row in db.link_checks(options.entry_id)}
    zenodo_base, github_base = config.sources["zenodo"].base_url, config.sources["github"].base_url
    cutoff = _minus_days(now, options.older_than) if options.older_than is not None else None
    checks = plan(entries, values, states, zenodo_base=zenodo_base, github_base=github_base, checked_before=cutoff)
    result = RecheckResult(checks=len(checks))
    if progress:
        progress(f"recheck: {len(checks)} checks on {len({c.host for c in checks})} hosts")
    observations = fetch_all(
        checks, states, options, zenodo_base=zenodo_base, github_base=github_base,
        github_token=config.secrets.get("GITHUB_TOKEN"),
    )
    by_entry: dict[int, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_entry[obs.check.entry_id].append(obs)
        if obs.status in ("error", "missing"):
            result.errors.append(f"entry {obs.check.entry_id}: {obs.check.kind} {obs.check.target}: {obs.error}")
    links: Counter[str] = Counter()
    entry_by_id = {e["id"]: e for e in entries}
    for entry_id, items in by_entry.items():
        entry = entry_by_id[entry_id]
        previous = {url: row for (eid, url), row in states.items() if eid == entry_id}
        rows, findings = judge(entry, values.get(entry_id, {}), items, previous, now)
        with db.transaction():
            for row in rows:
                db.save_link_check(row)
                links[row["status"]] += 1
            propose(db, entry, values.get(entry_id, {}), findings, now, result)
    result.entries = len(by_entry)
    result.links = dict(sorted(links.items()))
    return result


def recheck_job(config: Config) -> None:
    """The scheduled upkeep (weekly by default): every entry not rechecked in the last six days."""
    from crawler.runs import utcnow

    options = RecheckOptions.from_config(config, older_than=WEEKLY_OLDER_THAN)
    with Database.open(config.db_path) as db:
        result = recheck(db, config, options, utcnow())
    log.warning(
        "recheck: %d entries, links %s, %d findings, %d candidates created, %d joined, %d errors",
        result.entries, result.links, len(result.findings), len(result.created), len(result.joined),
        len(result.errors),
    )
