"""Benchmark of the review web app: the queue page and a candidate page with 10,000 candidates.

Run: ``python bench/web_bench.py [--candidates 10000] [--requests 200] [--db PATH] [--no-http]``.
Not a test: it prints p50 / p95 / max per page, in milliseconds (target: p95 under 100 ms).

The database is the demo recording staged and triaged, then cloned through the
public ``Database`` methods up to ``--candidates`` candidates: each clone gets
copies of its template's raw records (new native ids, the same README text) and
its first eight fields, a mix of statuses, and every tenth one a screening vote.
Requests go through the ASGI app in-process (httpx's ASGI transport), then over
real HTTP to uvicorn on 127.0.0.1 (one keep-alive connection), logged in as a
curator, so every request pays for what a real one does: the session cookie,
a fresh database connection, the service's queries and the template.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from crawler import config as config_module  # noqa: E402
from crawler import rubric as rubric_module  # noqa: E402
from crawler import runs, triage  # noqa: E402
from crawler.db import Database  # noqa: E402
from review_queue import service  # noqa: E402
from review_queue.web import create_app  # noqa: E402
from sources import replay  # noqa: E402

NOW = "2025-10-01T00:00:00Z"
STATUSES = ["queued"] * 14 + ["excluded"] * 3 + ["screening", "included", "known"]
FIELDS_PER_CANDIDATE = 8
PASSWORD = "bench-password"
TARGET_MS = 100.0


def build(path: Path, total: int, seed: int = 7) -> list[int]:
    """The benchmark database at ``path``; returns the candidate ids."""
    started = time.perf_counter()
    config = config_module.load(db=str(path), config_file=None, environ={}, home=path.parent)
    runs.stage_recording(config, replay.resolve("demo"), now=lambda: NOW)
    rng = random.Random(seed)
    rubric = rubric_module.load()
    with Database.open(path) as db:
        triage.run_triage(db, NOW)
        templates = [c for c in db.candidates() if c["status"] != "merged"]
        ids = [c["id"] for c in templates]
        records = db.candidate_records(ids)
        fields = db.candidate_fields(ids)
        raw = {(r["source"], r["native_id"]): r for r in db.raw_records()}
        clones = total - len(templates)
        with db.transaction():
            run_id = db.start_run(NOW, "bench", {}, 0)
            for i in range(clones):
                for rec in records.get(templates[i % len(templates)]["id"], [])[:3]:
                    original = raw[(rec["source"], rec["native_id"])]
                    db.stage_record(
                        {"source": rec["source"], "native_id": f"{rec['native_id']}~{i}", "url": rec["url"],
                         "payload": original["payload"], "content_hash": f"{original['content_hash']}~{i}",
                         "source_updated_at": original["source_updated_at"]},
                        run_id, NOW,
                    )
            db.finish_run(run_id, "ok", NOW)
            staged = {(r["source"], r["native_id"]): r["id"] for r in db.records_to_triage()}
            for i in range(clones):
                template = templates[i % len(templates)]
                candidate_id = db.insert_candidate(
                    {
                        "kind": template["kind"], "title": f"{template['title']} #{i}", "status": rng.choice(STATUSES),
                        "status_by": "triage", "relevance": round(rng.random(), 4),
                        "reasons": json.dumps(template["reasons"]), "match_reasons": "[]", "uncertain": "[]",
                        "first_seen": NOW, "created_at": NOW, "updated_at": NOW,
                    }
                )
                for rec in records.get(template["id"], [])[:3]:
                    db.attach_record(staged[(rec["source"], f"{rec['native_id']}~{i}")], candidate_id)
                for key, field in list(fields.get(template["id"], {}).items())[:FIELDS_PER_CANDIDATE]:
                    db.set_candidate_field(candidate_id, key, field, "machine", NOW)
        service.add_reviewer(db, "bench", PASSWORD, NOW)
        service.add_reviewer(db, "other", PASSWORD, NOW)
        with db.transaction():
            for candidate in db.candidates(status="queued")[::10]:
                service.screen(db, rubric, candidate["id"], "other", "include", NOW)
        all_ids = [c["id"] for c in db.candidates()]
    print(f"built {len(all_ids)} candidates in {time.perf_counter() - started:.1f} s at {path}")
    return all_ids


def summary(name: str, times: list[float], cpu_ms: float) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    flag = "ok" if p95 < TARGET_MS else "OVER TARGET"
    return (f"  {name:<26} n={len(times):<4} p50 {statistics.median(times):6.1f}  p95 {p95:6.1f}  "
            f"max {times[-1]:6.1f} ms  (cpu {cpu_ms:5.1f} ms/request)  {flag}")


async def time_pages(get: Callable[[str], Awaitable[httpx.Response]], pages: dict[str, Callable[[int], str]],
                     n: int) -> None:
    for name, path_of in pages.items():
        await get(path_of(0))  # warm up
        times = []
        cpu = time.process_time()
        for i in range(n):
            path = path_of(i)
            t = time.perf_counter()
            response = await get(path)
            times.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
        # CPU time of this process (client, server threads) per request: what the wall time would
        # approach on an idle machine; compare it with the wall figures when the host is busy.
        print(summary(name, times, (time.process_time() - cpu) * 1000 / n))


async def login(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text


def page_set(ids: list[int], seed: int = 11) -> dict[str, Callable[[int], str]]:
    rng = random.Random(seed)
    sample = [rng.choice(ids) for _ in range(10_000)]
    return {
        "queue (page 1)": lambda i: "/",
        "queue (page 100)": lambda i: "/?page=100",
        "queue (dataset, queued)": lambda i: "/?kind=dataset&status=queued",
        "queue (source=zenodo)": lambda i: "/?source=zenodo",
        "candidate (random)": lambda i: f"/candidates/{sample[i]}",
    }


async def in_process(path: Path, ids: list[int], n: int) -> None:
    app = create_app(path, secret_key="bench-" + "k" * 40)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await login(client)
        print("in-process (ASGI transport):")
        await time_pages(client.get, page_set(ids), n)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def over_http(path: Path, ids: list[int], n: int) -> None:
    import uvicorn

    app = create_app(path, secret_key="bench-" + "k" * 40)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await login(client)
            print(f"over HTTP (uvicorn on 127.0.0.1:{port}):")
            await time_pages(client.get, page_set(ids), n)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=10_000, help="How many candidates (default 10000).")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page (default 200).")
    parser.add_argument("--db", type=Path, help="Reuse (or build at) this database file.")
    parser.add_argument("--no-http", action="store_true", help="Skip the uvicorn run.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if path.exists():
            with Database.open(path) as db:
                ids = [c["id"] for c in db.candidates()]
            print(f"reusing {path}: {len(ids)} candidates")
        else:
            ids = build(path, args.candidates)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"host: {os.cpu_count()} CPUs, load average {load:.1f}")
        asyncio.run(in_process(path, ids, args.requests))
        if not args.no_http:
            asyncio.run(over_http(path, ids, args.requests))


if __name__ == "__main__":
    main()
