"""GitHubSource (PyGithub) against a fake GitHub on a real local HTTP server.

The fake (tests/fakes/github_server.py) serves the fixtures in
tests/fixtures/github at ``http://127.0.0.1:PORT/api/v3``, with GitHub's
paging, Link and rate-limit headers; time is a recorder that advances on sleep.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
import requests
from github.GithubException import BadCredentialsException, GithubException
from pytest_httpserver import HTTPServer

from crawler.errors import BudgetExceeded, MalformedResponse, RateLimited, SourceError, TransientError
from crawler.models import Page, Query, RawRecord
from sources import registry
from sources.base import SourceContext, SourceSettings
from sources.github import GitHubSource
from tests.fakes.github_server import FakeGitHub

QUERY = Query(text="ultrasound", kind="model")
MAIN_Q = "ultrasound in:name,description,topics,readme"
TOPIC_Q = "topic:ultrasound"
BREAST, ECHONET, THYROID = "734512901", "698221450", "812004417"


class FakeTime:
    """Monotonic clock, wall clock (2025-10-21 UTC) and a sleep that records waits and advances both."""

    START = 1000.0
    WALL_START = 1_761_004_800.0

    def __init__(self) -> None:
        self.now = self.START
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.WALL_START + (self.now - self.START)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake(server: HTTPServer) -> Iterator[FakeGitHub]:
    server.clear()
    yield FakeGitHub(server)
    server.check_handler_errors()


@pytest.fixture
def t() -> FakeTime:
    return FakeTime()


def make_source(
    fake: FakeGitHub,
    t: FakeTime,
    *,
    token: str | None = "ghp_testtoken123",
    page_size: int = 100,
    per_minute: float = 30,
    max_retries: int = 3,
    timeout: float = 5,
    deadline: float | None = None,
    known: Callable[[str], str | None] | None = None,
    base_url: str | None = None,
) -> GitHubSource:
    settings = SourceSettings(
        name="github",
        base_url=base_url or fake.base_url,
        per_minute=per_minute,
        page_size=page_size,
        timeout=timeout,
        max_retries=max_retries,
    )
    ctx = SourceContext(
        settings=settings,
        secrets={"GITHUB_TOKEN": token} if token else {},
        sleep=t.sleep,
        clock=t.clock,
        wall_clock=t.wall,
        deadline=deadline,
        known_version=known or (lambda native_id: None),
    )
    source = registry.get("github").from_context(ctx)
    assert isinstance(source, GitHubSource)
    return source


def records(pages: list[Page]) -> list[RawRecord]:
    return [r for page in pages for r in page.records]


def ids(pages: list[Page]) -> list[str]:
    return [r.native_id for r in records(pages)]


def add_three(fake: FakeGitHub) -> None:
    fake.add_fixture_repos("search_repositories")
    fake.add_fixture_repos("search_repositories_more")


def primary_limit_headers(reset: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "30",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(reset)),
        "X-RateLimit-Used": "30",
        "X-RateLimit-Resource": "search",
    }


# -- paging, enrichment, counting -------------------------------------------------------------


def test_pages_to_the_last_page_and_enriches_each_repository_once(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    source = make_source(fake, t, page_size=2)

    pages = list(source.search(QUERY, None))

    assert [(c.q, c.page, c.args["per_page"]) for c in fake.searches] == [
        (MAIN_Q, 1, "2"),
        (MAIN_Q, 2, "2"),
        (TOPIC_Q, 1, "2"),
        (TOPIC_Q, 2, "2"),
    ]
    assert [len(p.records) for p in pages] == [2, 1, 2, 1]
    assert [p.cursor is None for p in pages] == [False, False, False, True]
    assert ids(pages) == [BREAST, ECHONET, THYROID] * 2
    # README + releases once per repository (topics come with the items), then the cache
    follow_ups = [c.path for c in fake.calls if c.path.startswith("/repos/")]
    assert sorted(follow_ups) == sorted(
        f"/repos/{name}/{what}"
        for name in ("echolab-demo/breast-us-seg", "someuser/echonet-lite", "thyro-lab/us-thyroid-nodules")
        for what in ("readme", "releases")
    )
    assert source.requests == len(fake.calls) == 10

    breast = records(pages)[0]
    assert breast.source == "github"
    assert breast.url == "https://github.com/echolab-demo/breast-us-seg"
    assert breast.updated_at == "2024-10-30T19:44:03Z"  # pushed_at
    assert not breast.unchanged
    assert breast.payload["item"]["full_name"] == "echolab-demo/breast-us-seg"
    assert breast.payload["item"]["url"] == f"{fake.base_url}/repos/echolab-demo/breast-us-seg"
    assert breast.payload["readme"].startswith("# breast-us-seg\n\nU-Net for breast ultrasound")
    assert breast.payload["topics"] == ["breast-ultrasound", "medical-imaging", "segmentation", "ultrasound", "unet"]
    assert [r["tag_name"] for r in breast.payload["releases"]] == ["v1.1-rc1", "v1.0"]
    assert breast.payload["releases"][1]["assets"][0] == {
        "name": "unet_busi.pt",
        "size": 124873216,
        "browser_download_url": "https://github.com/echolab-demo/breast-us-seg/releases/download/v1.0/unet_busi.pt",
        "content_type": "application/octet-stream",
        "download_count": 341,
    }
    releases_call = fake.calls_to(r"breast-us-seg/releases$")[0]
    assert releases_call.args["per_page"] == "2"

    echonet = records(pages)[1]
    assert echonet.payload["readme"] is None  # README 404 is "no README", not an error
    assert echonet.payload["releases"] == []
    assert records(pages)[4].payload == echonet.payload  # found again by topic: no new requests


def test_empty_result(fake: FakeGitHub, t: FakeTime) -> None:
    source = make_source(fake, t)

    pages = list(source.search(QUERY, None))

    assert [(p.records, p.cursor is None) for p in pages] == [([], False), ([], True)]
    assert [c.q for c in fake.searches] == [MAIN_Q, TOPIC_Q]
    assert source.requests == 2


def test_multi_word_query_searches_the_hyphenated_topic(fake: FakeGitHub, t: FakeTime) -> None:
    source = make_source(fake, t)

    list(source.search(Query("ultrasound deep learning"), None))

    assert [c.q for c in fake.searches] == [
        "ultrasound deep learning in:name,description,topics,readme",
        "topic:ultrasound-deep-learning",
    ]


def test_incremental_run_asks_only_for_repositories_pushed_since(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    source = make_source(fake, t)

    pages = list(source.search(QUERY, date(2025, 9, 1)))

    # in:topics covers the topic variant: one search per query and window
    assert [c.q for c in fake.searches] == [f"{MAIN_Q} pushed:>=2025-09-01"]
    assert ids(pages) == [THYROID]


def test_search_requests_are_spaced_by_the_per_minute_budget(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    every_version_known = {str(r.item["id"]): r.item["pushed_at"] for r in fake.repos}
    source = make_source(fake, t, token=None, per_minute=10, page_size=1, known=every_version_known.get)

    pages = list(source.search(QUERY, None))

    assert len(fake.searches) == 6 and source.requests == 6
    assert t.sleeps == [6.0] * 5  # anonymous search bucket: 10/min
    assert all(r.unchanged for r in records(pages))


# -- the 1,000-result cap -----------------------------------------------------------------------


def add_spread(fake: FakeGitHub, count: int, first: date, step_days: float) -> dict[str, str]:
    versions = {}
    for n in range(count):
        created = first + timedelta(days=int(n * step_days))
        item = fake.synthetic_item(n, created_at=f"{created}T12:00:00Z", pushed_at=f"{created}T13:00:00Z")
        fake.add_repo(item)
        versions[str(item["id"])] = item["pushed_at"]
    return versions


def test_more_than_1000_results_are_sliced_by_created_date(fake: FakeGitHub, t: FakeTime) -> None:
    versions = add_spread(fake, 1500, date(2016, 1, 1), 2)
    source = make_source(fake, t, known=versions.get)

    pages = list(source.search(QUERY, None))

    found = ids(pages)
    assert sorted(found) == sorted(versions)  # every repository exactly once, the probe page dropped
    searches = fake.searches
    assert max(c.page for c in searches) <= 10
    assert "created:" not in searches[0].q
    assert all("created:" in c.q for c in searches[1:] if c.q.startswith(MAIN_Q))
    assert searches[1].q == f"{MAIN_Q} created:2007-10-01..2016-10-10"  # first half of 2007-10-01..2025-10-21
    assert not [c for c in fake.calls if c.path.startswith("/repos/")]
    assert source.requests == len(fake.calls)
    assert pages[-1].cursor is None


def test_resume_inside_the_date_slices(fake: FakeGitHub, t: FakeTime) -> None:
    versions = add_spread(fake, 1500, date(2016, 1, 1), 2)
    first = make_source(fake, t, known=versions.get)
    iterator = first.search(QUERY, None)
    head = [next(iterator) for _ in range(4)]
    calls_before = len(fake.calls)

    second = make_source(fake, t, known=versions.get)
    tail = list(second.search(QUERY, None, cursor=head[-1].cursor))

    assert sorted(ids(head) + ids(tail)) == sorted(versions)
    resumed = fake.searches[-len([c for c in fake.calls[calls_before:] if c.path == "/search/repositories"]):]
    assert "created:" in resumed[0].q  # continues inside the slices, no new probe of the whole range
    assert second.requests == len(fake.calls) - calls_before


def test_a_single_day_over_1000_is_paged_to_the_cap_only(
    fake: FakeGitHub, t: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    versions = add_spread(fake, 1200, date(2020, 2, 2), 0)
    source = make_source(fake, t, known=versions.get)

    with caplog.at_level(logging.WARNING, logger="sources.github"):
        pages = list(source.search(QUERY, None))

    day_pages = [c.page for c in fake.searches if c.q.endswith("created:2020-02-02..2020-02-02")]
    assert day_pages == list(range(1, 11))  # never page 11 (GitHub answers 422)
    assert len(set(ids(pages))) == len(ids(pages)) == 1000
    assert "only the first 1000" in caplog.text


# -- resume -----------------------------------------------------------------------------------


def test_resume_from_a_cursor_continues_after_the_last_page(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    pages = list(make_source(fake, t, page_size=2).search(QUERY, None))
    fake.calls.clear()

    source = make_source(fake, t, page_size=2)
    resumed = list(source.search(QUERY, None, cursor=pages[0].cursor))

    assert [(c.q, c.page) for c in fake.searches] == [(MAIN_Q, 2), (TOPIC_Q, 1), (TOPIC_Q, 2)]
    assert ids(resumed) == ids(pages[1:])
    assert resumed[-1].cursor is None


def test_a_bad_cursor_is_refused(fake: FakeGitHub, t: FakeTime) -> None:
    with pytest.raises(SourceError, match="cannot resume"):
        list(make_source(fake, t).search(QUERY, None, cursor='{"page": 2}'))


# -- unchanged short-circuit ------------------------------------------------------------------


def test_unchanged_repository_skips_readme_topics_and_releases(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    known = {BREAST: "2024-10-30T19:44:03Z", ECHONET: "2020-01-01T00:00:00Z"}  # echonet changed since
    source = make_source(fake, t, known=known.get)

    pages = list(source.search(QUERY, None))

    breast = records(pages)[0]
    assert breast.unchanged and breast.payload.keys() == {"item"}
    assert not fake.calls_to(r"^/repos/echolab-demo/")
    assert fake.calls_to(r"^/repos/someuser/echonet-lite/readme$")
    assert not records(pages)[1].unchanged


def test_topics_are_fetched_when_the_item_lacks_them(fake: FakeGitHub, t: FakeTime) -> None:
    (breast,) = [r for r in fake.add_fixture_repos() if r.item["name"] == "breast-us-seg"]
    del breast.item["topics"]
    source = make_source(fake, t)

    pages = list(source.search(QUERY, None))

    topics_calls = fake.calls_to(r"/topics$")
    assert [c.path for c in topics_calls] == ["/repos/echolab-demo/breast-us-seg/topics"]
    assert records(pages)[0].payload["topics"] == breast.topics


# -- rate limits ------------------------------------------------------------------------------


def test_primary_rate_limit_waits_until_the_reset(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    reset = t.wall() + 37
    fake.fail(r"^/search/", 403, fake.fixture("rate_limit_primary"), primary_limit_headers(reset))
    source = make_source(fake, t)

    pages = list(source.search(QUERY, None))

    assert t.sleeps[0] == 37.0
    assert fake.searches[0].args == fake.searches[1].args
    assert ids(pages)[:3] == [BREAST, ECHONET, THYROID]
    assert source.requests == len(fake.calls)


def test_primary_rate_limit_on_a_follow_up_is_waited_for_not_taken_as_absent(fake: FakeGitHub, t: FakeTime) -> None:
    fake.add_fixture_repos()
    fake.fail(r"/readme$", 403, fake.fixture("rate_limit_primary"), primary_limit_headers(t.wall() + 900))
    source = make_source(fake, t)

    pages = list(source.search(QUERY, None))

    assert 900.0 in t.sleeps
    assert records(pages)[0].payload["readme"].startswith("# breast-us-seg")


def test_secondary_rate_limit_honours_retry_after(fake: FakeGitHub, t: FakeTime) -> None:
    headers = {"Retry-After": "20", "X-RateLimit-Remaining": "25", "X-RateLimit-Limit": "30"}
    fake.fail(r"^/search/", 403, fake.fixture("rate_limit_secondary"), headers)
    source = make_source(fake, t)

    list(source.search(QUERY, None))

    assert t.sleeps[0] == 20.0
    assert source.requests == 3


def test_secondary_rate_limit_without_retry_after_waits_a_minute_then_doubles(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 403, fake.fixture("rate_limit_secondary"), {"X-RateLimit-Remaining": "25"}, times=2)
    source = make_source(fake, t)

    list(source.search(QUERY, None))

    assert t.sleeps[:2] == [60.0, 120.0]


def test_429_waits_as_retry_after_says(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 429, fake.fixture("rate_limit_429"), {"Retry-After": "7", "X-RateLimit-Remaining": "0"})
    source = make_source(fake, t, token=None)

    pages = list(source.search(QUERY, None))

    assert t.sleeps[0] == 7.0
    assert pages[-1].cursor is None


def test_rate_limited_after_the_last_retry(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 429, fake.fixture("rate_limit_429"), {"Retry-After": "5"}, times=10)
    source = make_source(fake, t, max_retries=2)

    with pytest.raises(RateLimited) as info:
        list(source.search(QUERY, None))

    assert info.value.wait == 5.0
    assert isinstance(info.value.__cause__, GithubException)
    assert source.requests == 3 == len(fake.calls)


def test_a_wait_past_the_deadline_raises_budget_exceeded(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 403, fake.fixture("rate_limit_primary"), primary_limit_headers(t.wall() + 3600))
    source = make_source(fake, t, deadline=t.now + 100)

    with pytest.raises(BudgetExceeded):
        list(source.search(QUERY, None))

    assert t.sleeps == []


# -- server and network failures ----------------------------------------------------------------


def test_5xx_is_retried_with_backoff_then_succeeds(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    fake.fail(r"^/search/", 502, fake.fixture("server_error_502"), times=2)
    fake.fail(r"/releases$", 503, "<html><body>Service unavailable</body></html>", {"Content-Type": "text/html"})
    source = make_source(fake, t)

    pages = list(source.search(QUERY, None))

    assert t.sleeps[:2] == [2.0, 4.0]
    assert 2.0 in t.sleeps[2:]  # the releases retry
    assert len(fake.searches) == 4
    assert records(pages)[0].payload["releases"][1]["tag_name"] == "v1.0"
    assert source.requests == len(fake.calls) == 4 + 7


def test_5xx_gives_up_after_max_retries(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 503, {"message": "Service Unavailable"}, times=10)
    source = make_source(fake, t, max_retries=2)

    with pytest.raises(TransientError) as info:
        list(source.search(QUERY, None))

    assert isinstance(info.value.__cause__, GithubException)
    assert t.sleeps == [2.0, 4.0]
    assert source.requests == 3


def test_timeout_is_retried(fake: FakeGitHub, t: FakeTime) -> None:
    fake.add_fixture_repos()
    fake.fail(r"^/search/", None, delay=1.5)
    source = make_source(fake, t, timeout=1)

    pages = list(source.search(QUERY, None))

    assert t.sleeps[0] == 2.0
    assert ids(pages)[:2] == [BREAST, ECHONET]
    assert source.requests == len(fake.calls)


def test_connection_refused_becomes_transient_error(fake: FakeGitHub, t: FakeTime) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    source = make_source(fake, t, base_url=f"http://127.0.0.1:{port}/api/v3", max_retries=1)

    with pytest.raises(TransientError) as info:
        list(source.search(QUERY, None))

    assert isinstance(info.value.__cause__, requests.ConnectionError)
    assert source.requests == 2


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>Unicorn!</body></html>",
        '{"total_count": 3, "incomplete_results": false, "items": [',
        '{"total_count": 1, "incomplete_results": false, "items": "x"}',
        '{"incomplete_results": false, "items": []}',
        "",
    ],
)
def test_malformed_search_body_raises(fake: FakeGitHub, t: FakeTime, body: str) -> None:
    fake.fail(r"^/search/", 200, body)
    source = make_source(fake, t)

    with pytest.raises(MalformedResponse):
        list(source.search(QUERY, None))

    assert source.requests == 1


def test_malformed_readme_raises(fake: FakeGitHub, t: FakeTime) -> None:
    fake.add_fixture_repos()
    fake.fail(r"/readme$", 200, {"name": "README.md", "encoding": "base64", "content": "%%%not base64%%%"})
    source = make_source(fake, t)

    with pytest.raises(MalformedResponse, match="README"):
        list(source.search(QUERY, None))


def test_empty_repository_readme_is_absent(fake: FakeGitHub, t: FakeTime) -> None:
    fake.add_fixture_repos()
    fake.fail(r"breast-us-seg/readme$", 404, {"message": "This repository is empty.", "status": "404"})
    fake.fail(r"breast-us-seg/releases$", 409, {"message": "Git Repository is empty.", "status": "409"})
    source = make_source(fake, t)

    pages = list(source.search(QUERY, None))

    assert records(pages)[0].payload["readme"] is None
    assert records(pages)[0].payload["releases"] == []


# -- credentials --------------------------------------------------------------------------------


def test_bad_credentials_stop_with_a_clear_message(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 401, fake.fixture("bad_credentials"), times=10)
    source = make_source(fake, t, token="ghp_revoked")

    with pytest.raises(SourceError, match="GITHUB_TOKEN") as info:
        list(source.search(QUERY, None))

    assert isinstance(info.value.__cause__, BadCredentialsException)
    assert source.requests == 1


def test_validation_failed_is_not_retried(fake: FakeGitHub, t: FakeTime) -> None:
    fake.fail(r"^/search/", 422, fake.fixture("validation_failed_422"), times=10)
    source = make_source(fake, t)

    with pytest.raises(SourceError, match="422"):
        list(source.search(QUERY, None))

    assert source.requests == 1


def test_the_token_is_sent_on_every_request(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    source = make_source(fake, t, token="ghp_testtoken123")

    list(source.search(QUERY, None))

    assert {c.headers.get("Authorization") for c in fake.calls} == {"token ghp_testtoken123"}
    assert all(c.headers["User-Agent"].startswith("sonocat/") for c in fake.calls)


def test_works_anonymously_without_an_authorization_header(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    source = make_source(fake, t, token=None)

    pages = list(source.search(QUERY, None))

    assert len(ids(pages)) == 6
    assert all("Authorization" not in c.headers for c in fake.calls)


def test_parse_of_a_fetched_record(fake: FakeGitHub, t: FakeTime) -> None:
    add_three(fake)
    source = make_source(fake, t)
    pages = list(source.search(QUERY, None))

    candidate = source.parse(records(pages)[2])

    assert candidate.title == "thyro-lab/us-thyroid-nodules"
    assert candidate.doi == "10.5281/zenodo.7654321"
    assert candidate.keywords == ["dataset", "thyroid", "ultrasound"]
    source.close()
