"""A fake GitHub REST API on a real local HTTP server, for PyGithub-based code.

PyGithub speaks ``requests``, so GitHub is faked at the socket: a
pytest-httpserver instance answers ``{base_url}/search/repositories`` and the
per-repository endpoints (``/repos/{owner}/{repo}``, ``/readme``, ``/topics``,
``/releases``) plus ``/rate_limit``, from an in-memory list of repositories in
the real API's shapes (``tests/fixtures/github``). Point
``Github(base_url=fake.base_url)`` (``http://127.0.0.1:PORT/api/v3``, the
GitHub Enterprise layout) at it.

What it does like GitHub:

* search filters on the ``created:``, ``pushed:`` (``A..B``, ``>=A``, ``>A``,
  ``<=B``, ``<B``, ``A``) and ``topic:`` qualifiers; free text and ``in:`` are
  ignored (every repository matches); results keep insertion order;
* ``total_count`` is the full match count, pages are ``per_page`` (max 100)
  items, and a page past the first 1,000 results is a 422;
* ``Link`` headers (next/last/prev/first) carry the server's own host:port and
  base prefix, ``https://api.github.com`` inside fixture bodies is rewritten
  to ``base_url`` (PyGithub refuses URLs of another host);
* ``X-RateLimit-*`` headers per resource (``search``: 30/10, ``core``:
  5,000/60 with/without ``Authorization``), ``ETag`` on repository endpoints,
  404 ``{"message": "Not Found"}`` for a missing README / repository;
* scripted failures: ``fail(path_regex, status, body, headers, times, delay)``
  answers the next ``times`` matching requests that way (``status=None`` with
  ``delay`` only delays them, to provoke client timeouts).

Every request is recorded in ``calls``. Use it as a context manager outside
pytest (``with FakeGitHub.running() as fake: ...``) for end-to-end runs.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import math
import re
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

API_PREFIX = "/api/v3"
REAL_API = "https://api.github.com"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"
SEARCH_CAP = 1000

_QUALIFIER = re.compile(r"^(created|pushed|topic):(.+)$")
_REPO_PATH = re.compile(r"^/repos/([^/]+)/([^/]+)(?:/(readme|topics|releases))?/?$")


@dataclass
class Call:
    method: str
    path: str  # without the /api/v3 prefix
    args: dict[str, str]
    headers: dict[str, str]

    @property
    def q(self) -> str:
        return self.args.get("q", "")

    @property
    def page(self) -> int:
        return int(self.args.get("page", "1"))


@dataclass
class Scripted:
    path: re.Pattern[str]
    status: int | None
    body: str
    headers: dict[str, str]
    times: int
    delay: float = 0.0


@dataclass
class Repo:
    item: dict[str, Any]
    readme: str | None = None
    topics: list[str] | None = None
    releases: list[dict[str, Any]] = field(default_factory=list)


class FakeGitHub:
    """See the module docstring."""

    def __init__(self, server: HTTPServer, *, now: Callable[[], float] = time.time) -> None:
        self.server = server
        self.now = now
        self.repos: list[Repo] = []
        self.calls: list[Call] = []
        self._script: list[Scripted] = []
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()
        server.expect_request(re.compile(r"^/.*")).respond_with_handler(self._handle)

    @classmethod
    @contextmanager
    def running(cls, host: str = "127.0.0.1", port: int = 0) -> Iterator[FakeGitHub]:
        """A fake on its own threaded server (slow answers do not block the others)."""
        server = HTTPServer(host=host, port=port, threaded=True)
        server.start()
        try:
            yield cls(server)
        finally:
            server.clear()
            server.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}{API_PREFIX}"

    # -- data -------------------------------------------------------------------------------

    def fixture(self, name: str) -> Any:
        """A fixture body with https://api.github.com rewritten to this server."""
        text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
        return json.loads(text.replace(REAL_API, self.base_url))

    def add_repo(
        self,
        item: dict[str, Any],
        *,
        readme: str | None = None,
        topics: list[str] | None = None,
        releases: list[dict[str, Any]] | None = None,
    ) -> Repo:
        """Add a repository: its search item, README text (None: 404), topics and releases."""
        repo = Repo(item=item, readme=readme, topics=topics, releases=list(releases or []))
        self.repos.append(repo)
        return repo

    def add_fixture_repos(self, search_fixture: str = "search_repositories") -> list[Repo]:
        """Add the items of a search fixture, each with its readme_/releases_/topics_ fixtures if any."""
        added = []
        for item in self.fixture(search_fixture)["items"]:
            short = item["name"]
            readme = None
            if (FIXTURES / f"readme_{short}.json").exists():
                readme = base64.b64decode(self.fixture(f"readme_{short}")["content"]).decode("utf-8")
            releases = self.fixture(f"releases_{short}") if (FIXTURES / f"releases_{short}.json").exists() else []
            topics = self.fixture(f"topics_{short}")["names"] if (FIXTURES / f"topics_{short}.json").exists() else None
            added.append(self.add_repo(item, readme=readme, topics=topics, releases=releases))
        return added

    def synthetic_item(
        self, n: int, *, created_at: str, pushed_at: str, topics: list[str] | None = None
    ) -> dict[str, Any]:
        """A search item shaped like the fixture's first one, for volume tests."""
        item = copy.deepcopy(self.fixture("search_repositories")["items"][0])
        old = item["full_name"]
        new = f"{item['owner']['login']}/us-repo-{n}"
        item = json.loads(json.dumps(item).replace(old, new))
        item.update(
            id=10_000_000 + n,
            name=f"us-repo-{n}",
            created_at=created_at,
            updated_at=pushed_at,
            pushed_at=pushed_at,
            topics=list(topics or []),
        )
        return item

    def fail(
        self,
        path: str,
        status: int | None,
        body: Mapping[str, Any] | str | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Answer the next ``times`` requests whose path (after /api/v3) matches ``path`` so."""
        text = body if isinstance(body, str) else json.dumps(body if body is not None else {"message": "error"})
        self._script.append(Scripted(re.compile(path), status, text, dict(headers or {}), times, delay))

    def calls_to(self, pattern: str) -> list[Call]:
        return [c for c in self.calls if re.search(pattern, c.path)]

    @property
    def searches(self) -> list[Call]:
        return self.calls_to(r"^/search/repositories$")

    # -- dispatch ---------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        path = request.path[len(API_PREFIX):] if request.path.startswith(API_PREFIX) else request.path
        call = Call(request.method, path, dict(request.args), dict(request.headers))
        with self._lock:
            self.calls.append(call)
            scripted = next((s for s in self._script if s.times > 0 and s.path.search(path)), None)
            if scripted is not None:
                scripted.times -= 1
        if scripted is not None:
            if scripted.delay:
                time.sleep(scripted.delay)
            if scripted.status is not None:
                headers = {"Content-Type": "application/json; charset=utf-8", **scripted.headers}
                return Response(scripted.body, status=scripted.status, headers=headers)
        if not request.path.startswith(API_PREFIX):
            return self._not_found(call)
        if path == "/search/repositories":
            return self._search(call)
        if path == "/rate_limit":
            return self._json(call, "core", {"resources": {}, "rate": {}})
        match = _REPO_PATH.match(path)
        repo = self._repo(f"{match.group(1)}/{match.group(2)}") if match else None
        if repo is None:
            return self._not_found(call)
        endpoint = match.group(3)
        if endpoint is None:
            return self._json(call, "core", repo.item, etag=True)
        if endpoint == "readme":
            return self._readme(call, repo)
        if endpoint == "topics":
            topics = repo.topics if repo.topics is not None else repo.item.get("topics", [])
            return self._json(call, "core", {"names": topics}, etag=True)
        return self._paged(call, "core", repo.releases, None)

    def _repo(self, full_name: str) -> Repo | None:
        return next((r for r in self.repos if r.item.get("full_name", "").lower() == full_name.lower()), None)

    def _search(self, call: Call) -> Response:
        terms = call.q.split()
        matches = [r.item for r in self.repos if all(_matches(r.item, t) for t in terms)]
        return self._paged(call, "search", matches, lambda page: {
            "total_count": len(matches),
            "incomplete_results": False,
            "items": [dict(item, score=1.0) for item in page],
        })

    def _paged(
        self,
        call: Call,
        resource: str,
        items: list[dict[str, Any]],
        wrap: Callable[[list[dict[str, Any]]], Any] | None,
    ) -> Response:
        per_page = min(100, int(call.args.get("per_page", "30")))
        page = call.page
        if resource == "search" and (page - 1) * per_page >= SEARCH_CAP:
            return self._json(call, resource, self.fixture("search_cap_422"), status=422)
        shown = min(len(items), SEARCH_CAP) if resource == "search" else len(items)
        last = max(1, math.ceil(shown / per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        body = wrap(chunk) if wrap else chunk
        links = []
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links += [(page - 1, "prev"), (1, "first")]
        link = ", ".join(f"<{self._page_url(call, n)}>; rel=\"{rel}\"" for n, rel in links)
        return self._json(call, resource, body, link=link or None, etag=resource == "core")

    def _page_url(self, call: Call, page: int) -> str:
        args = dict(call.args, page=str(page))
        return f"{self.base_url}{call.path}?{urlencode(args, quote_via=quote_plus)}"

    def _readme(self, call: Call, repo: Repo) -> Response:
        if repo.readme is None:
            return self._not_found(call)
        name = repo.item["full_name"]
        branch = repo.item.get("default_branch", "main")
        raw = repo.readme.encode("utf-8")
        sha = hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()
        encoded = base64.b64encode(raw).decode("ascii")
        api = f"{self.base_url}/repos/{name}"
        body = {
            "name": "README.md",
            "path": "README.md",
            "sha": sha,
            "size": len(raw),
            "url": f"{api}/contents/README.md?ref={branch}",
            "html_url": f"https://github.com/{name}/blob/{branch}/README.md",
            "git_url": f"{api}/git/blobs/{sha}",
            "download_url": f"https://raw.githubusercontent.com/{name}/{branch}/README.md",
            "type": "file",
            "content": "\n".join(textwrap.wrap(encoded, 60)) + "\n",
            "encoding": "base64",
            "_links": {
                "self": f"{api}/contents/README.md?ref={branch}",
                "git": f"{api}/git/blobs/{sha}",
                "html": f"https://github.com/{name}/blob/{branch}/README.md",
            },
        }
        return self._json(call, "core", body, etag=True)

    def _not_found(self, call: Call) -> Response:
        return self._json(call, "core", self.fixture("not_found"), status=404)

    def _json(
        self,
        call: Call,
        resource: str,
        body: Any,
        *,
        status: int = 200,
        link: str | None = None,
        etag: bool = False,
    ) -> Response:
        text = json.dumps(body)
        authenticated = "Authorization" in call.headers
        limit = {"search": 30 if authenticated else 10, "core": 5000 if authenticated else 60}[resource]
        with self._lock:
            self._used[resource] = used = self._used.get(resource, 0) + 1
        window = 60 if resource == "search" else 3600
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Cache-Control": "no-cache" if resource == "search" else "private, max-age=60, s-maxage=60",
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
            "X-RateLimit-Reset": str(int(self.now()) + window),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Resource": resource,
        }
        if link:
            headers["Link"] = link
        if etag and status == 200:
            headers["ETag"] = 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:40] + '"'
        return Response(text, status=status, headers=headers)


def _matches(item: dict[str, Any], term: str) -> bool:
    match = _QUALIFIER.match(term)
    if not match:
        return True  # free text and in: are not emulated
    key, value = match.groups()
    if key == "topic":
        return value.lower() in [t.lower() for t in item.get("topics") or []]
    day = (item.get(f"{key}_at") or "")[:10]
    if not day:
        return False
    if ".." in value:
        lo, hi = value.split("..", 1)
        return (lo == "*" or day >= lo) and (hi == "*" or day <= hi)
    for op, test in ((">=", day.__ge__), ("<=", day.__le__), (">", day.__gt__), ("<", day.__lt__)):
        if value.startswith(op):
            return test(value[len(op):][:10])
    return day == value[:10]
