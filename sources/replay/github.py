"""The fake GitHub REST API (v3), under ``/github/api/v3``: the Enterprise layout PyGithub needs.

Repository search: ``in:``, ``topic:``, ``created:``/``pushed:`` ranges,
``language:``, ``user:``/``org:``, ``fork:``, ``archived:``, ``stars:``;
``per_page`` (max 100), ``Link`` next/last/prev/first on the server's own host,
``total_count``, 422 past the first 1,000 results. ``/repos/{o}/{r}`` (+
``/readme`` base64 wrapped at 60, ``/topics``, ``/releases``), 404 when absent,
ETag/304; ``/rate_limit``. Search and the other endpoints count against two
buckets (``limits["github"]`` and ``limits["github:core"]``); past either, 403
"API rate limit exceeded" with ``X-RateLimit-Remaining: 0``. Recorded bodies
name ``https://api.github.com``; answers point those links at this server.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .api import _API, Quota, Reply, Request, _int, _stable_id, json_reply
from .corpus import Span, _instant, _is_obj, _number_test, has_all, terms, words

GITHUB_CORE = "github:core"  # the ``limits`` key of GitHub's non-search endpoints
REAL_GITHUB = "https://api.github.com"
GITHUB_PREFIX = "/api/v3"
SEARCH_CAP = 1000
_GH_DOCS = "https://docs.github.com/rest"
_GH_QUALIFIER = re.compile(r"^(-?)([a-z_]+):(.+)$")
_GH_REPO = re.compile(r"^/repos/([^/]+)/([^/]+)(?:/(readme|topics|releases))?/?$")
_GH_QUALIFIERS = {"in", "topic", "created", "pushed", "language", "user", "org", "fork", "archived", "stars", "is"}


@dataclass
class _GitHubQuery:
    """A repository search ``q``: free words and the qualifiers the fake understands."""

    words: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)  # in:
    tests: list[Callable[[dict[str, Any]], bool]] = field(default_factory=list)
    forks: str = "false"  # "false" (GitHub's default) | "true" | "only"

    @classmethod
    def parse(cls, q: str) -> _GitHubQuery:
        query = cls()
        for token in re.findall(r'"[^"]*"|\S+', q):
            if token in ("AND", "OR", "NOT"):
                continue  # GitHub's boolean words: the fake reads every term as AND
            match = _GH_QUALIFIER.match(token)
            if not match or match.group(2) not in _GH_QUALIFIERS:
                query.words += terms(token)
                continue
            negate, key, value = match.group(1) == "-", match.group(2), match.group(3).strip('"')
            if key == "in":
                query.fields |= {part.strip().lower() for part in value.split(",") if part.strip()}
            elif key == "fork":
                query.forks = value.lower()
            else:
                test = cls._qualifier(key, value)
                query.tests.append((lambda p, t=test: not t(p)) if negate else test)
        return query

    @staticmethod
    def _qualifier(key: str, value: str) -> Callable[[dict[str, Any]], bool]:
        lowered = value.lower()
        if key in ("created", "pushed"):
            span = Span.github(value)
            return lambda p: _instant(p["item"].get(f"{key}_at")) in span
        if key == "topic":
            return lambda p: lowered in {t.lower() for t in _gh_topics(p)}
        if key == "language":
            return lambda p: str(p["item"].get("language") or "").lower() == lowered
        if key in ("user", "org"):
            return lambda p: str((p["item"].get("owner") or {}).get("login") or "").lower() == lowered
        if key == "archived":
            return lambda p: bool(p["item"].get("archived")) == (lowered == "true")
        if key == "stars":
            test = _number_test(value)
            return lambda p: test(float(p["item"].get("stargazers_count") or 0))
        if key == "is":  # is:public, is:private, is:archived, is:template ...
            flag = {"public": "private", "template": "is_template"}.get(lowered, lowered)
            return lambda p: bool(p["item"].get(flag)) != (lowered == "public")
        raise ValueError(key)

    def match(self, payload: dict[str, Any]) -> bool:
        item = payload["item"]
        is_fork = bool(item.get("fork"))
        if (self.forks == "false" and is_fork) or (self.forks == "only" and not is_fork):
            return False
        if not all(test(payload) for test in self.tests):
            return False
        if not self.words:
            return True
        fields = self.fields or {"name", "description", "topics"}
        text: set[str] = set()
        if "name" in fields:
            text |= words(item.get("name"))
        if "description" in fields:
            text |= words(item.get("description"))
        if "topics" in fields:
            text |= words(_gh_topics(payload))
        if "readme" in fields:
            text |= words(payload.get("readme"))
        return has_all(self.words, text)


def _gh_topics(payload: dict[str, Any]) -> list[str]:
    topics = payload["item"].get("topics")
    if not isinstance(topics, list):
        topics = payload.get("topics")
    return [str(t) for t in topics or []]


def _link_header(req: Request, path: str, page: int, last: int) -> str | None:
    """GitHub's ``Link``: next/last after this page, first/prev before it."""
    rels = []
    if page < last:
        rels += [("next", page + 1), ("last", last)]
    if page > 1:
        rels += [("first", 1), ("prev", min(page - 1, last))]
    if not rels:
        return None
    return ", ".join(f'<{req.url(path, req.with_param("page", str(n)))}>; rel="{rel}"' for rel, n in rels)


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _http_date(value: Any) -> str | None:
    when = _instant(value)
    return email.utils.format_datetime(when, usegmt=True) if when else None


class _GitHub(_API):
    name = "github"

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__(records)
        self.by_name = {str(p["item"]["full_name"]).lower(): p for p in records}

    def bucket(self, req: Request) -> str | None:
        path = req.path.removeprefix(GITHUB_PREFIX)
        if path.startswith("/rate_limit"):
            return None  # GET /rate_limit does not count against any limit
        return "github" if path.startswith("/search/") else GITHUB_CORE

    def nominal(self, bucket: str, req: Request) -> tuple[int, float]:
        if bucket == "github":
            return (30 if req.authenticated else 10), 60.0
        return (5000 if req.authenticated else 60), 3600.0

    def quota_headers(self, req: Request, quota: Quota) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(quota.limit),
            "X-RateLimit-Remaining": str(quota.remaining),
            "X-RateLimit-Reset": str(quota.reset_epoch),
            "X-RateLimit-Used": str(quota.used),
            "X-RateLimit-Resource": "search" if self.bucket(req) == "github" else "core",
        }

    def limited(self, req: Request, quota: Quota) -> Reply:
        who = "user ID 1" if req.authenticated else "127.0.0.1"
        message = (
            f"API rate limit exceeded for {who}. (But here's the good news: Authenticated requests get a "
            "higher rate limit. Check out the documentation for more details.)"
            if not req.authenticated
            else f"API rate limit exceeded for {who}."
        )
        body = {"message": message, "documentation_url": f"{_GH_DOCS}/overview/rate-limits-for-the-rest-api"}
        return json_reply(403, body, self._headers(self.quota_headers(req, quota)))

    @staticmethod
    def _headers(extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            **(extra or {}),
        }

    def _error(self, status: int, message: str, doc: str, **extra: Any) -> Reply:
        return json_reply(status, {"message": message, **extra, "documentation_url": f"{_GH_DOCS}/{doc}",
                                   "status": str(status)}, self._headers())

    def _rewrite(self, req: Request, value: Any) -> Any:
        """A recorded body with ``https://api.github.com`` pointing at this server (PyGithub insists)."""
        return json.loads(json.dumps(value).replace(REAL_GITHUB, req.base + GITHUB_PREFIX))

    def answer(self, req: Request) -> Reply:
        if not req.path.startswith(GITHUB_PREFIX + "/"):
            return self._error(404, "Not Found", "overview")
        path = req.path[len(GITHUB_PREFIX):]
        if req.method not in ("GET", "HEAD"):
            return self._error(404, "Not Found", "overview")
        if path.rstrip("/") == "/search/repositories":
            return self._search(req)
        if path.rstrip("/") == "/rate_limit":
            return self._rate_limit(req)
        match = _GH_REPO.match(path)
        if not match:
            return self._error(404, "Not Found", "overview")
        payload = self.by_name.get(f"{match.group(1)}/{match.group(2)}".lower())
        if payload is None:
            return self._error(404, "Not Found", "repos/repos#get-a-repository")
        what = match.group(3)
        if what == "readme":
            return self._readme(req, payload)
        if what == "topics":
            return self._cached(req, {"names": _gh_topics(payload)}, payload)
        if what == "releases":
            return self._releases(req, payload)
        item = self._rewrite(req, payload["item"])
        item.pop("score", None)
        return self._cached(req, item, payload)

    def _search(self, req: Request) -> Reply:
        q = (req.arg("q") or "").strip()
        if not q:
            return self._error(422, "Validation Failed", "search/search#search-repositories",
                               errors=[{"resource": "Search", "field": "q", "code": "missing"}])
        per_page = min(100, max(1, _int(req.arg("per_page"), 30)))
        page = max(1, _int(req.arg("page"), 1))
        if (page - 1) * per_page >= SEARCH_CAP:
            return self._error(422, "Only the first 1000 search results are available", "search/search")
        try:
            query = _GitHubQuery.parse(q)
        except ValueError:
            return self._error(422, "Validation Failed", "search/search#search-repositories",
                               errors=[{"resource": "Search", "field": "q", "code": "invalid"}])
        hits = [p for p in self.records if query.match(p)]
        sort, order = req.arg("sort"), (req.arg("order") or "desc")
        keys = {"stars": "stargazers_count", "forks": "forks_count", "updated": "updated_at"}
        if sort in keys:
            hits.sort(key=lambda p: p["item"].get(keys[sort]) or 0, reverse=order != "asc")
        served = hits[:SEARCH_CAP]
        items = []
        for payload in served[(page - 1) * per_page : page * per_page]:
            item = self._rewrite(req, payload["item"])
            item.setdefault("score", 1.0)
            items.append(item)
        body = {"total_count": len(hits), "incomplete_results": False, "items": items}
        headers = self._headers({"Cache-Control": "no-cache"})
        last = max(1, math.ceil(len(served) / per_page))
        link = _link_header(req, GITHUB_PREFIX + "/search/repositories", page, last)
        if link:
            headers["Link"] = link
        return json_reply(200, body, headers)

    def _cached(self, req: Request, body: Any, payload: dict[str, Any]) -> Reply:
        """A repository endpoint: ETag and Last-Modified, 304 on a matching If-None-Match."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        etag = f'W/"{hashlib.sha256(data).hexdigest()[:40]}"'
        headers = self._headers({"ETag": etag, "Cache-Control": "private, max-age=60, s-maxage=60"})
        modified = _http_date(payload["item"].get("pushed_at") or payload["item"].get("updated_at"))
        if modified:
            headers["Last-Modified"] = modified
        if req.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers)
        return Reply(200, data, {"Content-Type": "application/json; charset=utf-8", **headers})

    def _readme(self, req: Request, payload: dict[str, Any]) -> Reply:
        text = payload.get("readme")
        if not isinstance(text, str):
            return self._error(404, "Not Found", "repos/contents#get-a-repository-readme")
        item = payload["item"]
        full, branch = item["full_name"], item.get("default_branch") or "main"
        raw = text.encode("utf-8")
        encoded = base64.b64encode(raw).decode("ascii")
        sha = _blob_sha(raw)
        api = f"{req.base}{GITHUB_PREFIX}/repos/{full}"
        links = {
            "self": f"{api}/contents/README.md?ref={branch}",
            "git": f"{api}/git/blobs/{sha}",
            "html": f"https://github.com/{full}/blob/{branch}/README.md",
        }
        body = {
            "name": "README.md",
            "path": "README.md",
            "sha": sha,
            "size": len(raw),
            "url": links["self"],
            "html_url": links["html"],
            "git_url": links["git"],
            "download_url": f"https://raw.githubusercontent.com/{full}/{branch}/README.md",
            "type": "file",
            "content": "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60)),
            "encoding": "base64",
            "_links": links,
        }
        return self._cached(req, body, payload)

    def _releases(self, req: Request, payload: dict[str, Any]) -> Reply:
        per_page = min(100, max(1, _int(req.arg("per_page"), 30)))
        page = max(1, _int(req.arg("page"), 1))
        releases = [self._release(req, payload, r) for r in payload.get("releases") or [] if _is_obj(r)]
        releases.sort(key=lambda r: r.get("published_at") or r.get("created_at") or "", reverse=True)
        reply = self._cached(req, releases[(page - 1) * per_page : page * per_page], payload)
        path = f"{GITHUB_PREFIX}/repos/{payload['item']['full_name']}/releases"
        link = _link_header(req, path, page, max(1, math.ceil(len(releases) / per_page)))
        if link:
            reply.headers["Link"] = link
        return reply

    def _release(self, req: Request, payload: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
        """A full release object from the fields github.py keeps."""
        item = payload["item"]
        full = item["full_name"]
        owner = item.get("owner") or {}
        author = {k: owner.get(k) for k in ("login", "id", "node_id", "avatar_url", "url", "html_url", "type")}
        tag = str(kept.get("tag_name") or "")
        release_id = _stable_id(full, "release", tag)
        api = f"{REAL_GITHUB}/repos/{full}"
        published = kept.get("published_at") or kept.get("created_at")
        assets = []
        for asset in kept.get("assets") or []:
            if not _is_obj(asset):
                continue
            asset_id = _stable_id(full, tag, str(asset.get("name")))
            assets.append({
                "url": f"{api}/releases/assets/{asset_id}",
                "id": asset_id,
                "node_id": "RA_" + base64.b64encode(str(asset_id).encode()).decode().rstrip("="),
                "name": asset.get("name"),
                "label": "",
                "uploader": author,
                "content_type": asset.get("content_type") or "application/octet-stream",
                "state": "uploaded",
                "size": asset.get("size") or 0,
                "download_count": asset.get("download_count") or 0,
                "created_at": published,
                "updated_at": published,
                "browser_download_url": asset.get("browser_download_url"),
            })
        release = {
            "url": f"{api}/releases/{release_id}",
            "assets_url": f"{api}/releases/{release_id}/assets",
            "upload_url": f"https://uploads.github.com/repos/{full}/releases/{release_id}/assets{{?name,label}}",
            "html_url": kept.get("html_url") or f"https://github.com/{full}/releases/tag/{tag}",
            "id": release_id,
            "node_id": "RE_" + base64.b64encode(str(release_id).encode()).decode().rstrip("="),
            "tag_name": tag,
            "target_commitish": item.get("default_branch") or "main",
            "name": kept.get("name"),
            "draft": bool(kept.get("draft")),
            "prerelease": bool(kept.get("prerelease")),
            "created_at": kept.get("created_at") or published,
            "published_at": published,
            "author": author,
            "assets": assets,
            "tarball_url": f"{api}/tarball/{tag}",
            "zipball_url": f"{api}/zipball/{tag}",
            "body": kept.get("body"),
        }
        return self._rewrite(req, release)

    def _rate_limit(self, req: Request) -> Reply:
        now = int(time.time())
        search = {"limit": self.nominal("github", req)[0], "used": 0, "remaining": self.nominal("github", req)[0],
                  "reset": now + 60}
        core = {"limit": self.nominal(GITHUB_CORE, req)[0], "used": 0, "remaining": self.nominal(GITHUB_CORE, req)[0],
                "reset": now + 3600}
        return json_reply(200, {"resources": {"core": core, "search": search}, "rate": core}, self._headers())
