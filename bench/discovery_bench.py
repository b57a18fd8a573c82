"""Discovery benchmark: a simulated nightly run against a local fake of the six APIs.

    python bench/discovery_bench.py [--scale N] [--latency SECONDS]

The replay server answers every request after ``--latency`` (default 0.1 s,
a realistic round trip) and enforces the real per-minute limits
(GitHub search 30/min and core 5,000/h with a token, Zenodo search 30/min,
Hugging Face 500 per 5 minutes, OpenAlex 100/s, Kaggle undocumented: 60/min
assumed). The corpus is the bundled demo recording cloned ``--scale`` times
with fresh ids. It prints, per source, the requests made and the wall time;
the run's wall time against the floor the rate limits impose; and the requests
a second run spends when nothing is new (target: at most one per source and
query).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler import config as config_module  # noqa: E402
from crawler.runs import Discovery, RunOptions  # noqa: E402
from sources import replay  # noqa: E402

# The documented server-side limits, per minute.
LIMITS = {
    "github": 30.0,  # search bucket, authenticated
    "github:core": 5000 / 60,
    "zenodo": 30.0,
    "kaggle": 60.0,
    "huggingface": 100.0,
    "openalex": 6000.0,
}
SECRETS = {**replay.SECRETS, "GITHUB_TOKEN": "bench-token", "ZENODO_TOKEN": "bench-token", "HF_TOKEN": "bench"}


def clone(source: str, payload: dict[str, Any], n: int) -> dict[str, Any]:
    """A copy of a demo payload with fresh identifiers (the n-th clone)."""
    p = copy.deepcopy(payload)
    item = p["item"]
    tag = f"c{n}"
    if source == "github":
        item["id"] = int(item["id"]) * 100 + n
        item["name"] = f"{item['name']}-{tag}"
        owner = item["full_name"].split("/")[0]
        item["full_name"] = f"{owner}/{item['name']}"
        for key in ("html_url", "url"):
            item[key] = item[key].rsplit("/", 1)[0] + "/" + item["name"]
    elif source == "zenodo":
        item["id"] = int(item["id"]) * 100 + n
        item["recid"] = str(item["id"])
        item["conceptrecid"] = str(int(item.get("conceptrecid") or item["id"]) * 100 + n)
        for key in ("doi", "conceptdoi"):
            if item.get(key):
                item[key] = f"{item[key]}{tag}"
        item["metadata"]["doi"] = item.get("doi")
        item["title"] = item["metadata"]["title"] = f"{item['metadata']['title']} ({tag})"
        for key, value in list((item.get("links") or {}).items()):
            if isinstance(value, str):
                item["links"][key] = value.replace(str(payload["item"]["id"]), str(item["id"]))
    elif source == "kaggle":
        item["id"] = int(item.get("id") or 0) * 100 + n
        for key in ("ref", "url"):
            if item.get(key):
                item[key] = f"{item[key]}-{tag}"
        item["title"] = f"{item.get('title', '')} {tag}"
        if p.get("metadata") and isinstance(p["metadata"], dict):
            p["metadata"] = copy.deepcopy(p["metadata"])
            for key in ("datasetSlug", "slug"):
                if p["metadata"].get(key):
                    p["metadata"][key] = f"{p['metadata'][key]}-{tag}"
    elif source == "huggingface":
        item["id"] = f"{item['id']}-{tag}"
        if item.get("modelId"):
            item["modelId"] = item["id"]
        item["_id"] = f"{item.get('_id', '')}{tag}"
    elif source == "openalex":
        item["id"] = f"{item['id']}{n:03d}"
        if item.get("doi"):
            item["doi"] = f"{item['doi']}.{tag}"
        item["title"] = item["display_name"] = f"{item['title']} ({tag})"
    elif source == "scholar":
        bib = item["bib"]
        bib["title"] = f"{bib['title']} ({tag})"
        bib["pub_year"] = str(min(int(bib.get("pub_year") or 2024), 2025)) if str(bib.get("pub_year", "")).isdigit() else bib.get("pub_year")
        cid = f"{tag}x{hash(bib['title']) & 0xFFFFFFFF:08x}"
        item["url_scholarbib"] = f"/scholar?hl=en&q=info:{cid}:scholar.google.com/&output=cite&scirp=0&hl=en"
        if item.get("pub_url"):
            item["pub_url"] = f"{item['pub_url']}-{tag}"
    return p


def build_corpus(folder: Path, scale: int) -> dict[str, int]:
    demo = replay.resolve("demo")
    counts = {}
    for path in sorted(Path(demo).glob("*.json")):
        source = path.stem
        payloads = json.loads(path.read_text(encoding="utf-8"))
        out = [clone(source, p, n) for n in range(scale) for p in payloads]
        (folder / path.name).write_text(json.dumps(out), encoding="utf-8")
        counts[source] = len(out)
    return counts


def run_once(cfg: config_module.Config, server: replay.ReplayServer) -> tuple[float, dict[str, Any], dict[str, int]]:
    server.reset()
    options = RunOptions(
        base_urls=server.base_urls(), secrets=SECRETS, transport=server.scholar_transport(), trigger="replay"
    )
    started = time.perf_counter()
    result = Discovery(cfg, options).run()
    buckets: dict[str, int] = {}
    for entry in server.log:
        bucket = "github:core" if entry.source == "github" and "/search/" not in entry.path else entry.source
        buckets[bucket] = buckets.get(bucket, 0) + 1
    return time.perf_counter() - started, {r.source: r for r in result.sources}, buckets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=3, help="clones of the demo recording (default 3)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request (default 0.1)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        corpus.mkdir()
        counts = build_corpus(corpus, args.scale)
        cfg = config_module.load(db=str(folder / "bench.db"), environ=SECRETS, config_file=str(_config(folder)))
        queries = {name: len(s.queries) for name, s in cfg.sources.items()}
        with replay.serve(corpus, latency=args.latency, limits=LIMITS) as server:
            first_wall, first, first_server = run_once(cfg, server)
            second_wall, second, second_server = run_once(cfg, server)
    print(f"corpus: {sum(counts.values())} items ({', '.join(f'{k} {v}' for k, v in counts.items())}); "
          f"latency {args.latency * 1000:.0f} ms per request")
    print(f"{'source':12} {'requests':>8} {'hits':>5} {'wall s':>7} {'floor s':>8}   second run: requests (queries)")
    floors = {}
    for name in sorted(first):
        r = first[name]
        floor = rate_floor(name, first_server, cfg.sources[name].per_minute)
        floors[name] = floor
        s = second[name]
        print(f"{name:12} {r.requests:8} {r.hits:5} {r.duration:7.1f} {floor:8.1f}   "
              f"{s.requests} ({queries[name]}) {s.state}")
    print(f"run wall time {first_wall:.1f} s; floor imposed by the rate limits {max(floors.values()):.1f} s "
          f"(sources run concurrently, so the slowest source's floor is the run's)")
    total_q = sum(queries[n] for n in second)
    print(f"second run with nothing new: {sum(s.requests for s in second.values())} requests for {total_q} "
          f"source-queries, {second_wall:.1f} s")
    return 0


def rate_floor(name: str, requests: dict[str, int], per_minute: float) -> float:
    """Seconds the per-minute limits alone force on a source for the requests it made.

    The APIs' documented limits; Google Scholar publishes none, so there the
    floor is our own politeness setting.
    """
    floor = max(0, requests.get(name, 0) - 1) * 60.0 / LIMITS.get(name, per_minute)
    if name == "github":
        core = requests.get("github:core", 0)
        floor = max(floor, max(0, core - 1) * 60.0 / LIMITS["github:core"])
    return floor


def _config(folder: Path) -> Path:
    path = folder / "sonocat.toml"
    path.write_text(
        "[sources.kaggle]\nper_minute = 60\n[sources.openalex]\nper_minute = 6000\n", encoding="utf-8"
    )
    return path


if __name__ == "__main__":
    sys.exit(main())
