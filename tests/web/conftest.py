"""A review database for the web tests: the paper's catalogue, the demo recording staged and
triaged, four reviewers, and one candidate whose README tries every trick in the book.

Built once per session (staging and triage take a few seconds) and copied per test.
``build_review_db`` is imported by the browser tests too.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from crawler import catalogue, runs, triage
from crawler import config as config_module
from crawler import rubric as rubric_module
from crawler.db import Database
from review_queue import service
from review_queue.web import create_app
from sources import replay

NOW = "2025-10-01T00:00:00Z"
PASSWORDS = {"alice": "alice-password", "bob": "bob-password", "carol": "carol-password", "ada": "ada-password"}
SECRET = "test-secret-" + "x" * 40

XSS_README = """# Breast ultrasound lesion images

1,000 breast ultrasound images with lesion masks, <b>free</b> to download.

<script>window.__xss = 1; alert(1)</script>

<img src=x onerror="window.__xss = 2; alert(2)">

[click here](javascript:window.__xss=3;alert(3))

<a href="javascript:alert(4)">another</a> <a href="JaVaScRiPt&colon;alert(5)">encoded</a>

<svg onload="alert(6)"><circle r="1"></circle></svg> <iframe src="https://evil.example/"></iframe>

<p style="position:fixed" onmouseover="alert(7)">styled</p> <form action="https://evil.example/"><input name="q"></form>

[homepage](https://example.org/breast-us) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)
"""
XSS_EVIDENCE = "1,000 breast ultrasound images with lesion masks, <b>free</b> to download."


@dataclass(frozen=True)
class ReviewDb:
    path: Path
    dataset_id: int  # a queued dataset candidate with a name, ready to be reviewed
    other_ids: tuple[int, ...]  # more queued candidates, for tests that need fresh ones
    xss_id: int


def build_review_db(path: Path) -> ReviewDb:
    """Build the database described in the module docstring at ``path``."""
    rubric = rubric_module.load()
    with Database.open(path, create=True) as db:
        catalogue.init_catalogue(db, rubric, NOW)
    config = config_module.load(db=str(path), config_file=None, environ={}, home=path.parent)
    runs.stage_recording(config, replay.resolve("demo"), now=lambda: NOW)
    with Database.open(path) as db:
        triage.run_triage(db, NOW)
        for name, password in PASSWORDS.items():
            service.add_reviewer(db, name, password, NOW, admin=name == "ada")
        queued = [c for c in db.candidates(status="queued", kind="dataset")]
        fields = db.candidate_fields([c["id"] for c in queued])
        named = [c["id"] for c in queued if "name" in fields.get(c["id"], {})]
        xss_id = _add_xss_candidate(db)
    return ReviewDb(path=path, dataset_id=named[0], other_ids=tuple(named[1:]), xss_id=xss_id)


def _add_xss_candidate(db: Database) -> int:
    payload = {
        "item": {
            "id": 999000111, "name": "breast-us-xss", "full_name": "mallory/breast-us-xss",
            "description": "Breast ultrasound dataset <script>alert('title')</script>",
            "html_url": "https://github.com/mallory/breast-us-xss", "owner": {"login": "mallory"},
            "pushed_at": "2025-09-01T00:00:00Z", "topics": ["ultrasound"],
        },
        "readme": XSS_README,
    }
    text = json.dumps(payload, sort_keys=True)
    with db.transaction():
        run_id = db.start_run(NOW, "test", {}, 0)
        db.stage_record(
            {
                "source": "github", "native_id": "999000111", "url": "https://github.com/mallory/breast-us-xss",
                "payload": text, "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                "source_updated_at": "2025-09-01T00:00:00Z",
            },
            run_id, NOW,
        )
        db.finish_run(run_id, "ok", NOW)
        raw_id = next(r["id"] for r in db.raw_records(source="github") if r["native_id"] == "999000111")
        candidate_id = db.insert_candidate(
            {
                "kind": "dataset", "title": "mallory/breast-us-xss <i>bold claims</i>", "status": "queued",
                "status_by": "triage", "relevance": 0.5, "reasons": json.dumps(["<script>alert(10)</script>"]),
                "match_reasons": "[]", "uncertain": "[]", "first_seen": NOW, "created_at": NOW, "updated_at": NOW,
            }
        )
        db.attach_record(raw_id, candidate_id)
        for key, value in (("name", "breast-us-xss"), ("total_size", 1000)):
            db.set_candidate_field(
                candidate_id, key,
                {"value": value, "evidence": XSS_EVIDENCE, "source": "github:999000111",
                 "unit": "images" if key == "total_size" else None},
                "machine", NOW,
            )
    return candidate_id


@pytest.fixture(scope="session")
def review_db_template(tmp_path_factory: pytest.TempPathFactory) -> ReviewDb:
    return build_review_db(tmp_path_factory.mktemp("review") / "catalogue.db")


@pytest.fixture
def review_db(review_db_template: ReviewDb, tmp_path: Path) -> ReviewDb:
    """A private copy of the review database."""
    path = tmp_path / "catalogue.db"
    shutil.copyfile(review_db_template.path, path)
    return ReviewDb(path, review_db_template.dataset_id, review_db_template.other_ids, review_db_template.xss_id)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(review_db: ReviewDb):
    return create_app(review_db.path, secret_key=SECRET, now=lambda: NOW)


class Browser:
    """One person's cookie jar on the in-process app (httpx's ASGI transport)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    async def get(self, path: str, **kwargs) -> httpx.Response:  # noqa: ANN003
        return await self.client.get(path, **kwargs)

    async def post(self, path: str, data: dict | None = None, *, csrf: bool | str = True) -> httpx.Response:
        """POST a form; ``csrf=True`` adds this session's token, a string sends that token, False none."""
        form = dict(data or {})
        if csrf is True:
            form["csrf_token"] = await self.csrf()
        elif isinstance(csrf, str):
            form["csrf_token"] = csrf
        return await self.client.post(path, data=form)

    async def csrf(self, path: str = "/login") -> str:
        page = await self.client.get(path, follow_redirects=True)
        return csrf_in(page.text)

    async def login(self, name: str, password: str | None = None) -> httpx.Response:
        token = csrf_in((await self.client.get("/login")).text)
        response = await self.client.post(
            "/login", data={"name": name, "password": password or PASSWORDS[name], "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        return response

    async def aclose(self) -> None:
        await self.client.aclose()


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
async def browser(app):
    """A logged-out browser; ``await browser.login("alice")``."""
    b = Browser(app)
    yield b
    await b.aclose()


@pytest.fixture
async def browsers(app):
    """A factory of independent browsers (one per reviewer)."""
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(app))
        return made[-1]

    yield make
    for b in made:
        await b.aclose()
