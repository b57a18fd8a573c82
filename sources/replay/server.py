"""The replay server: one local port, every fake mounted under its own prefix.

Each API is mounted under its own prefix (``ReplayServer.base_urls()``):
``/github/api/v3``, ``/zenodo``, ``/kaggle``, ``/huggingface``, ``/openalex``;
Scholar under ``/scholar`` (reached through ``scholar_transport()``). This
module owns what is the same for every fake: the ``ThreadingHTTPServer``,
routing a request to its fake, latency and rate limiting, counts and the log.

``latency`` is slept before every answer. ``limits`` maps a source to requests
per minute (for GitHub the search bucket; ``"github:core"`` the others); past
it, within a sliding 60 s window, the fake answers as its real API does.
Successful answers carry each API's usual rate-limit headers. ``requests``
counts requests per source; ``log`` keeps every one. Authentication is never
checked (``SECRETS`` are stand-ins), but a token still changes what the real
API would change (GitHub's nominal limits, Zenodo's page-size cap).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from crawler.errors import InputError

from .api import _API, Quota, Reply, Request, _int, json_reply
from .corpus import SOURCES, load_corpus, resolve
from .github import GITHUB_CORE, GITHUB_PREFIX, _GitHub
from .huggingface import _HuggingFace
from .kaggle import _Kaggle
from .openalex import _OpenAlex
from .scholar import ReplayTransport, _Scholar
from .zenodo import _Zenodo

log = logging.getLogger(__name__)

WINDOW = 60.0  # seconds: ``limits`` are per minute, counted over a sliding window
HISTORY = 86_400.0  # seconds of request times kept for the nominal rate-limit headers

# Stand-in credentials: Kaggle is the one source that will not run without any.
# They are not real and the server never checks them; real tokens are not sent here.
SECRETS: dict[str, str] = {"KAGGLE_USERNAME": "replay", "KAGGLE_KEY": "replay-stand-in-not-a-real-key"}


@dataclass(frozen=True)
class Logged:
    """One request in ``ReplayServer.log``."""

    at: float  # wall-clock epoch of arrival
    source: str
    method: str
    path: str  # as received, query string included
    status: int
    seconds: float  # until the answer was ready, latency included


_APIS: tuple[type[_API], ...] = (_GitHub, _Zenodo, _Kaggle, _HuggingFace, _OpenAlex, _Scholar)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], replay: ReplayServer) -> None:
        self.replay = replay
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connections as with the real hosts
    server_version = "sonocat-replay"
    timeout = 30  # an idle kept-alive connection is dropped after this many seconds
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server: _HTTPServer

    def _answer(self) -> None:
        length = _int(self.headers.get("Content-Length"), 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.replay.handle(self.command, self.path, headers, body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0" if reply.status == 304 else str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD" and reply.status != 304:
            self.wfile.write(reply.body)

    do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        log.debug("replay: " + format, *args)


class ReplayServer:
    """The fake APIs on one local port; see the module docstring."""

    def __init__(
        self,
        corpus: Mapping[str, list[dict[str, Any]]],
        *,
        latency: float = 0.0,
        limits: Mapping[str, float] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        limits = dict(limits or {})
        unknown = sorted(set(limits) - set(SOURCES) - {GITHUB_CORE})
        if unknown:
            raise InputError(f"replay: no limits for {', '.join(unknown)}; known: {', '.join(SOURCES)}, {GITHUB_CORE}")
        if latency < 0 or any(not value > 0 for value in limits.values()):
            raise InputError("replay: latency must be >= 0 and every limit > 0")
        self.latency = latency
        self.limits = limits
        self.apis: dict[str, _API] = {cls.name: cls(list(corpus.get(cls.name, []))) for cls in _APIS}
        self.requests: dict[str, int] = dict.fromkeys(SOURCES, 0)
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}
        self._httpd = _HTTPServer((host, port), self)
        self.host, self.port = str(self._httpd.server_address[0]), int(self._httpd.server_address[1])
        self.root = f"http://{self.host}:{self.port}"
        self._thread: threading.Thread | None = None
        self._transport: ReplayTransport | None = None

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replay-server", daemon=True
        )
        self._thread.start()
        log.info("replay: serving on %s", self.root)
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for serve_forever, which must be running
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()
        if self._transport is not None:
            self._transport.shutdown()

    # -- what clients need ------------------------------------------------------------------

    def base_urls(self) -> dict[str, str]:
        """``settings.base_url`` per source (Scholar's host cannot move: see ``scholar_transport``)."""
        return {
            "github": f"{self.root}/github{GITHUB_PREFIX}",
            "zenodo": f"{self.root}/zenodo",
            "kaggle": f"{self.root}/kaggle",
            "huggingface": f"{self.root}/huggingface",
            "openalex": f"{self.root}/openalex",
        }

    def scholar_transport(self) -> ReplayTransport:
        """The transport that sends scholar.google.com here; shared, closed with the server."""
        if self._transport is None:
            self._transport = ReplayTransport(f"{self.root}/scholar")
        return self._transport

    def reset(self) -> None:
        """Forget counts, the log and every rate-limit window."""
        with self._lock:
            self.requests = dict.fromkeys(SOURCES, 0)
            self.log.clear()
            self._seen.clear()

    # -- answering --------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        arrived, started = time.time(), time.monotonic()
        parts = urlsplit(raw_path)
        match = re.match(r"^/([^/]+)(/.*)?$", parts.path)
        source = match.group(1) if match else ""
        api = self.apis.get(source)
        if api is None:
            reply = json_reply(404, {"message": f"replay: nothing is mounted at /{source}",
                                     "mounts": [f"/{name}" for name in SOURCES]})
            if self.latency:
                time.sleep(self.latency)
        else:
            request = Request(
                method=method,
                path=(match.group(2) if match else None) or "/",
                params=parse_qsl(parts.query, keep_blank_values=True),
                headers=headers,
                body=body,
                base=f"{self.root}/{source}",
            )
            with self._lock:
                self.requests[source] += 1
            bucket = api.bucket(request)
            quota = self._take(api, bucket, request) if bucket else None
            if self.latency:
                time.sleep(self.latency)
            if quota is not None and not quota.allowed:
                reply = api.limited(request, quota)
            else:
                try:
                    reply = api.answer(request)
                except Exception:  # noqa: BLE001 - a fake's bug must reach the client as a 500, not hang it
                    log.exception("replay: %s failed on %s %s", source, method, raw_path)
                    reply = json_reply(500, {"message": "replay server error"})
                if quota is not None and reply.status < 500:
                    reply.headers = {**api.quota_headers(request, quota), **reply.headers}
        with self._lock:
            self.log.append(Logged(arrived, source, method, raw_path, reply.status, time.monotonic() - started))
        return reply

    def _take(self, api: _API, bucket: str, req: Request) -> Quota:
        """Count the request in its bucket, unless ``limits`` says the bucket is full."""
        per_minute = self.limits.get(bucket)
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(bucket, deque())
            while seen and seen[0] <= now - HISTORY:
                seen.popleft()
            if per_minute is not None:
                limit, window, enforced = max(1, int(per_minute)), WINDOW, True
            else:
                nominal = api.nominal(bucket, req) or (0, WINDOW)
                limit, window, enforced = nominal[0], nominal[1], False
            recent = [t for t in seen if t > now - window]
            if enforced and len(recent) >= limit:
                return Quota(False, limit, 0, len(recent), recent[0] + window - now, window, True)
            seen.append(now)
            recent.append(now)
            used = len(recent)
            return Quota(True, limit, max(0, limit - used), used, recent[0] + window - now, window, enforced)


@contextmanager
def serve(
    directory: str | Path,
    *,
    latency: float = 0.0,
    limits: Mapping[str, float] | None = None,
    port: int = 0,
) -> Iterator[ReplayServer]:
    """Serve the recording in ``directory`` (or ``"demo"``) on 127.0.0.1 until the block ends."""
    server = ReplayServer(load_corpus(resolve(directory)), latency=latency, limits=limits, port=port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
