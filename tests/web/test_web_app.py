"""The review web app in-process (httpx's ASGI transport): login everywhere, CSRF on every form,
the session's reviewer is the only one who acts, the service's refusals arrive as clear errors
that change nothing, and crawled text renders inert."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from crawler.db import Database
from review_queue.web import create_app
from review_queue.web.cli import serve
from tests.web.conftest import NOW, PASSWORDS, Browser

pytestmark = pytest.mark.anyio

PAGES = ["/", "/?kind=dataset", "/next", "/candidates/{id}", "/candidates/{id}/history", "/conflicts", "/catalogue",
         "/catalogue/1", "/stats", "/runs", "/admin/reviewers"]


def action_count(review_db) -> int:  # noqa: ANN001
    with Database.open(review_db.path) as db:
        return len(db.actions())


def actions(review_db, candidate_id: int) -> list[dict]:  # noqa: ANN001
    with Database.open(review_db.path) as db:
        return db.actions(candidate_id)


def status_of(review_db, candidate_id: int) -> str:  # noqa: ANN001
    with Database.open(review_db.path) as db:
        return db.get_candidate(candidate_id)["status"]


def flash_text(html: str) -> str:
    return " ".join(re.findall(r'<p class="flash [a-z]+" role="[a-z]+">(.*?)</p>', html, re.S))


# -- logged out ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_redirects_to_login_when_logged_out(browser: Browser, review_db, path: str) -> None:
    response = await browser.get(path.format(id=review_db.dataset_id))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("action", ["screen", "resolve", "edit", "clear", "verify", "duplicate", "split"])
async def test_posts_redirect_to_login_when_logged_out_and_change_nothing(browser: Browser, review_db, action: str) -> None:
    before = action_count(review_db)
    token = await browser.csrf()  # a valid pre-login token does not make anyone a reviewer
    response = await browser.post(
        f"/candidates/{review_db.dataset_id}/{action}",
        {"decision": "include", "key": "name", "value": "x", "reviewer": "alice", "as": "alice"}, csrf=token,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fcandidates%2F{review_db.dataset_id}"
    assert action_count(review_db) == before


async def test_login_page_and_static_files_need_no_login(browser: Browser) -> None:
    assert (await browser.get("/login")).status_code == 200
    css = await browser.get("/static/site.css")
    assert css.status_code == 200 and "mark" in css.text


async def test_login_keeps_the_page_asked_for_but_only_on_this_site(browser: Browser, review_db) -> None:
    response = await browser.get(f"/candidates/{review_db.dataset_id}")
    assert response.headers["location"] == f"/login?next=%2Fcandidates%2F{review_db.dataset_id}"
    token = await browser.csrf()
    ok = await browser.post("/login", {"name": "alice", "password": PASSWORDS["alice"], "next": "//evil.example/x"},
                            csrf=token)
    assert ok.status_code == 303 and ok.headers["location"] == "/"


# -- login ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,password", [("alice", "wrong-password"), ("mallory", "alice-password"), ("alice", "")])
async def test_wrong_password_is_refused(browser: Browser, name: str, password: str) -> None:
    token = await browser.csrf()
    response = await browser.post("/login", {"name": name, "password": password}, csrf=token)
    assert response.status_code == 401
    assert "wrong name or password" in response.text
    assert (await browser.get("/")).status_code == 303  # still logged out


async def test_login_form_needs_its_csrf_token(browser: Browser) -> None:
    await browser.get("/login")
    response = await browser.post("/login", {"name": "alice", "password": PASSWORDS["alice"]}, csrf=False)
    assert response.status_code == 403
    assert (await browser.get("/")).status_code == 303


async def test_login_starts_a_fresh_session_with_a_new_token(browser: Browser) -> None:
    before = await browser.csrf()
    await browser.login("alice")
    page = await browser.get("/")
    assert page.status_code == 200 and "Signed in as <strong>alice</strong>" in page.text
    assert await browser.csrf("/") != before
    cookie = browser.client.cookies.jar
    assert any(c.name == "sonocat_session" for c in cookie)


async def test_logout_needs_csrf_then_ends_the_session(browser: Browser) -> None:
    await browser.login("alice")
    assert (await browser.post("/logout", csrf=False)).status_code == 403
    assert (await browser.get("/")).status_code == 200
    response = await browser.post("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert (await browser.get("/")).status_code == 303


async def test_a_forged_session_cookie_is_ignored(app, review_db) -> None:  # noqa: ANN001
    import base64
    import json

    forged = Browser(app)
    value = base64.b64encode(json.dumps({"user": "ada"}).encode()).decode() + ".fake.signature"
    forged.client.cookies.set("sonocat_session", value)
    assert (await forged.get("/admin/reviewers")).status_code == 303
    await forged.aclose()


# -- CSRF ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [False, "", "wrong-token"])
@pytest.mark.parametrize("action,form", [
    ("screen", {"decision": "include"}),
    ("verify", {}),
    ("edit", {"key": "total_size", "value": "7"}),
])
async def test_csrf_missing_or_wrong_is_403_and_changes_nothing(
    browser: Browser, review_db, token: bool | str, action: str, form: dict
) -> None:
    await browser.login("alice")
    before = action_count(review_db)
    response = await browser.post(f"/candidates/{review_db.dataset_id}/{action}", form, csrf=token)
    assert response.status_code == 403
    assert "did not come from this site" in flash_text(response.text)
    assert action_count(review_db) == before


async def test_another_sessions_token_is_refused(browsers, review_db) -> None:  # noqa: ANN001
    alice, bob = browsers(), browsers()
    await alice.login("alice")
    await bob.login("bob")
    bobs_token = await bob.csrf("/")
    before = action_count(review_db)
    response = await alice.post(f"/candidates/{review_db.dataset_id}/screen", {"decision": "include"}, csrf=bobs_token)
    assert response.status_code == 403
    assert action_count(review_db) == before


# -- who acts --------------------------------------------------------------------------------------------


async def test_a_reviewer_cannot_act_as_another(browser: Browser, review_db) -> None:
    await browser.login("alice")
    cid = review_db.dataset_id
    response = await browser.post(
        f"/candidates/{cid}/screen?as=bob&reviewer=bob",
        {"decision": "include", "as": "bob", "reviewer": "bob", "name": "bob", "user": "bob"},
    )
    assert response.status_code == 303
    votes = [a for a in actions(review_db, cid) if a["action"] == "screen"]
    assert [(v["reviewer"], v["decision"]) for v in votes] == [("alice", "include")]
    response = await browser.post(f"/candidates/{cid}/edit", {"key": "version", "value": "9", "as": "bob"})
    assert response.status_code == 303
    assert [a["reviewer"] for a in actions(review_db, cid) if a["action"] == "edit"] == ["alice"]


async def test_acting_follows_the_session_not_the_form(browsers, review_db) -> None:  # noqa: ANN001
    alice, bob = browsers(), browsers()
    await alice.login("alice")
    await bob.login("bob")
    cid = review_db.dataset_id
    await alice.post(f"/candidates/{cid}/screen", {"decision": "include", "reviewer": "bob"})
    await bob.post(f"/candidates/{cid}/screen", {"decision": "exclude", "reason": "not_public", "reviewer": "alice"})
    votes = {a["reviewer"]: a["decision"] for a in actions(review_db, cid) if a["action"] == "screen"}
    assert votes == {"alice": "include", "bob": "exclude"}
    assert status_of(review_db, cid) == "conflict"


# -- what the service forbids ------------------------------------------------------------------------------


async def test_voting_twice_is_refused_and_changes_nothing(browser: Browser, review_db) -> None:
    await browser.login("alice")
    cid = review_db.dataset_id
    assert (await browser.post(f"/candidates/{cid}/screen", {"decision": "include"})).status_code == 303
    page = await browser.get(f"/candidates/{cid}")
    assert f'action="/candidates/{cid}/screen"' not in page.text  # no form for what is not allowed
    before = action_count(review_db)
    response = await browser.post(f"/candidates/{cid}/screen", {"decision": "exclude"})
    assert response.status_code == 403
    assert "alice has already voted" in flash_text(response.text)
    assert f'href="/candidates/{cid}"' in response.text  # a way back
    assert action_count(review_db) == before


async def test_verifying_only_your_own_values_is_refused(browser: Browser, review_db) -> None:
    await browser.login("alice")
    cid = review_db.dataset_id
    assert (await browser.post(f"/candidates/{cid}/verify")).status_code == 303
    assert (await browser.post(f"/candidates/{cid}/edit", {"key": "version", "value": "3.1"})).status_code == 303
    page = await browser.get(f"/candidates/{cid}")
    assert f'action="/candidates/{cid}/verify"' not in page.text
    before = action_count(review_db)
    response = await browser.post(f"/candidates/{cid}/verify")
    assert response.status_code == 403
    assert "someone else must verify" in flash_text(response.text)
    assert action_count(review_db) == before


async def test_resolving_your_own_conflict_is_refused_a_third_reviewer_resolves(browsers, review_db) -> None:  # noqa: ANN001
    alice, bob, carol = browsers(), browsers(), browsers()
    for b, name in ((alice, "alice"), (bob, "bob"), (carol, "carol")):
        await b.login(name)
    cid = review_db.dataset_id
    await alice.post(f"/candidates/{cid}/screen", {"decision": "include"})
    await bob.post(f"/candidates/{cid}/screen", {"decision": "exclude", "reason": "not_public"})
    assert status_of(review_db, cid) == "conflict"
    assert f'action="/candidates/{cid}/resolve"' not in (await alice.get(f"/candidates/{cid}")).text
    before = action_count(review_db)
    response = await alice.post(f"/candidates/{cid}/resolve", {"decision": "include"})
    assert response.status_code == 403
    assert "a third reviewer or an admin resolves it" in flash_text(response.text)
    assert action_count(review_db) == before
    conflicts = await carol.get("/conflicts")
    assert f'href="/candidates/{cid}"' in conflicts.text
    assert f'action="/candidates/{cid}/resolve"' in (await carol.get(f"/candidates/{cid}")).text
    response = await carol.post(f"/candidates/{cid}/resolve", {"decision": "include"})
    assert response.status_code == 303
    assert status_of(review_db, cid) == "included"


async def test_a_bad_value_is_a_400_with_the_services_message(browser: Browser, review_db) -> None:
    await browser.login("alice")
    before = action_count(review_db)
    response = await browser.post(f"/candidates/{review_db.dataset_id}/edit", {"key": "total_size", "value": "lots"})
    assert response.status_code == 400
    assert "total_size takes a whole number" in flash_text(response.text)
    response = await browser.post(f"/candidates/{review_db.dataset_id}/edit", {"key": "colour", "value": "red"})
    assert response.status_code == 400 and "unknown dataset characteristic" in flash_text(response.text)
    assert action_count(review_db) == before


async def test_unknown_things_are_404(browser: Browser) -> None:
    await browser.login("alice")
    assert (await browser.get("/candidates/987654")).status_code == 404
    assert (await browser.get("/catalogue/987654")).status_code == 404
    response = await browser.post("/candidates/987654/verify")
    assert response.status_code == 404 and "no candidate with id 987654" in flash_text(response.text)
    assert (await browser.get("/no-such-page")).status_code == 404
    assert (await browser.get("/candidates/not-a-number")).status_code == 400


# -- votes stay blind -----------------------------------------------------------------------------------------


async def test_votes_are_blind_until_both_are_in(browsers, review_db) -> None:  # noqa: ANN001
    alice, bob = browsers(), browsers()
    await alice.login("alice")
    await bob.login("bob")
    cid = review_db.dataset_id
    await alice.post(f"/candidates/{cid}/screen", {"decision": "exclude", "reason": "not_public", "note": "gated"})
    mine = (await alice.get(f"/candidates/{cid}")).text
    assert "alice: <strong>exclude</strong>" in mine and "gated" in mine
    theirs = (await bob.get(f"/candidates/{cid}")).text
    assert "alice:" not in theirs and "gated" not in theirs
    assert "1 hidden until both votes are in" in theirs
    await bob.post(f"/candidates/{cid}/screen", {"decision": "exclude", "reason": "not_public"})
    both = (await bob.get(f"/candidates/{cid}")).text
    assert "alice: <strong>exclude</strong>" in both and "bob: <strong>exclude</strong>" in both
    assert status_of(review_db, cid) == "rejected"


# -- the whole review, through the forms -------------------------------------------------------------------------


async def test_two_reviewers_screen_correct_verify_and_promote(browsers, review_db) -> None:  # noqa: ANN001
    alice, bob = browsers(), browsers()
    await alice.login("alice")
    await bob.login("bob")
    cid = review_db.dataset_id
    page = (await alice.get(f"/candidates/{cid}")).text
    for action in ("screen", "edit", "verify"):
        assert f'action="/candidates/{cid}/{action}"' in page
    assert f'action="/candidates/{cid}/resolve"' not in page
    await alice.post(f"/candidates/{cid}/screen", {"decision": "include"})
    response = await bob.post(f"/candidates/{cid}/screen", {"decision": "include"})
    assert response.headers["location"] == f"/candidates/{cid}"
    assert "is included" in flash_text((await bob.get(f"/candidates/{cid}")).text)
    await alice.post(f"/candidates/{cid}/edit", {"key": "name", "value": "BUS-Seg v2 (web test)", "evidence": "title"})
    await alice.post(f"/candidates/{cid}/verify")
    assert status_of(review_db, cid) == "included"
    response = await bob.post(f"/candidates/{cid}/verify")
    assert response.status_code == 303
    page = (await bob.get(f"/candidates/{cid}")).text
    assert "now catalogue entry" in flash_text(page)
    assert status_of(review_db, cid) == "promoted"
    entry_id = int(re.search(r'href="/catalogue/(\d+)"', page).group(1))
    listing = (await bob.get("/catalogue?kind=dataset")).text
    row = re.search(rf'<a href="/catalogue/{entry_id}">BUS-Seg v2 \(web test\)</a>.*?</tr>', listing, re.S)
    assert row, "the promoted entry is listed"
    assert re.search(r'class="tier (diamond|platinum|gold|silver|bronze|steel|unrated)"', row.group(0))
    entry = (await bob.get(f"/catalogue/{entry_id}")).text
    assert "alice + bob" in entry or "bob + alice" in entry
    stats = (await bob.get("/stats")).text
    assert "Double-screened</dt><dd>1" in stats


# -- admin ---------------------------------------------------------------------------------------------------------


async def test_admin_page_is_403_for_curators(browser: Browser) -> None:
    await browser.login("alice")
    assert (await browser.get("/admin/reviewers")).status_code == 403
    response = await browser.post("/admin/reviewers", {"name": "eve", "password": "eve-password", "role": "admin"})
    assert response.status_code == 403
    assert "Reviewers</a>" not in (await browser.get("/")).text


async def test_an_admin_adds_a_reviewer_who_can_then_log_in(browsers, review_db) -> None:  # noqa: ANN001
    ada, dan = browsers(), browsers()
    await ada.login("ada")
    page = await ada.get("/admin/reviewers")
    assert page.status_code == 200 and "alice" in page.text
    assert (await ada.post("/admin/reviewers", {"name": "dan", "password": "short"})).status_code == 400
    response = await ada.post("/admin/reviewers", {"name": "dan", "password": "dan-password", "role": "curator"})
    assert response.status_code == 303
    assert (await ada.post("/admin/reviewers", {"name": "dan", "password": "dan-password"})).status_code == 400
    await dan.login("dan", "dan-password")
    assert (await dan.get("/admin/reviewers")).status_code == 403


# -- crawled text is inert ------------------------------------------------------------------------------------------


async def test_hostile_record_text_renders_inert(browser: Browser, review_db) -> None:
    await browser.login("alice")
    response = await browser.get(f"/candidates/{review_db.xss_id}")
    assert response.status_code == 200
    html = response.text
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "onload", "onmouseover", "<iframe", "<svg", "<form action=\"https",
                "data:text", "style=", "<img"):
        assert bad not in lowered, bad
    links = re.findall(r"<a [^>]*>", html)
    external = [a for a in links if 'href="http' in a]
    assert any("https://example.org/breast-us" in a for a in external)
    assert external and all('rel="noopener noreferrer nofollow"' in a for a in external)
    assert "&lt;script&gt;alert(10)&lt;/script&gt;" in html  # triage's reasons are text, escaped
    assert "breast-us-xss &lt;i&gt;bold claims&lt;/i&gt;</h1>" in html  # so is the title
    assert '<mark title="name, total_size">1,000 breast ultrasound images' in html  # evidence highlighted
    assert '<b><mark title="name, total_size">free</mark></b>' in html  # the snippet's own markup, sanitised


async def test_pages_send_a_script_free_content_security_policy(browser: Browser) -> None:
    response = await browser.get("/login")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


# -- lists -----------------------------------------------------------------------------------------------------------


async def test_queue_filters_counts_and_pages(browser: Browser, review_db) -> None:
    await browser.login("alice")
    page = (await browser.get("/")).text
    assert f'href="/candidates/{review_db.dataset_id}"' in page
    assert 'href="/?status=queued">queued <strong>' in page
    datasets = (await browser.get("/?kind=dataset&status=queued")).text
    assert "<td>model</td>" not in datasets and "<td>dataset</td>" in datasets
    zenodo = (await browser.get("/?source=zenodo")).text
    sources = re.findall(r"<td>([a-z, ]+)</td>\s*<td><time", zenodo)
    assert sources and all("zenodo" in s for s in sources)
    relevances = [float(x) for x in re.findall(r'<td class="num">([\d.]+)</td>', page)]
    assert relevances == sorted(relevances, reverse=True)
    assert (await browser.get("/?source=myspace")).status_code == 400
    assert (await browser.get("/?page=0")).status_code == 400
    last = await browser.get("/?page=999")
    assert last.status_code == 200


async def test_next_for_me_skips_what_i_have_done(browser: Browser, review_db) -> None:
    await browser.login("alice")
    first = await browser.get("/next")
    assert first.status_code == 303
    cid = int(first.headers["location"].rsplit("/", 1)[1])
    await browser.post(f"/candidates/{cid}/screen", {"decision": "include"})
    second = await browser.get("/next")
    assert second.headers["location"] != f"/candidates/{cid}"


async def test_catalogue_runs_and_entry_pages(browser: Browser) -> None:
    await browser.login("alice")
    catalogue = await browser.get("/catalogue?tier=gold")
    assert catalogue.status_code == 200 and 'class="tier gold"' in catalogue.text
    assert (await browser.get("/catalogue?tier=mithril")).status_code == 400
    entry_id = re.search(r'href="/catalogue/(\d+)"', catalogue.text).group(1)
    assert "Characteristics" in (await browser.get(f"/catalogue/{entry_id}")).text
    runs = (await browser.get("/runs")).text
    assert "Run 1" in runs and "<td>zenodo</td>" in runs


async def test_split_and_duplicate_forms_work(browser: Browser, review_db) -> None:
    await browser.login("alice")
    cid = review_db.dataset_id
    page = (await browser.get(f"/candidates/{cid}")).text
    refs = re.findall(r'name="records" value="([^"]+)"', page)
    assert len(refs) > 1
    response = await browser.post(f"/candidates/{cid}/split", {"records": refs[-1]})
    assert response.status_code == 303
    with Database.open(review_db.path) as db:
        split_to = [c for c in db.candidates() if c["title"].endswith("(split)")]
    assert len(split_to) == 1
    new_id = split_to[0]["id"]
    response = await browser.post(f"/candidates/{new_id}/duplicate", {"of_candidate": str(cid)})
    assert response.status_code == 303
    assert status_of(review_db, new_id) == "merged"
    bad = await browser.post(f"/candidates/{cid}/duplicate", {"of_candidate": "abc"})
    assert bad.status_code == 403


# -- wiring -------------------------------------------------------------------------------------------------------------


async def test_without_a_key_the_app_keeps_one_in_the_database(review_db) -> None:
    first = create_app(review_db.path, now=lambda: NOW)
    with Database.open(review_db.path) as db:
        stored = db.meta("web_secret")
    assert stored and len(stored) >= 40
    a = Browser(first)
    await a.login("alice")
    second = Browser(create_app(review_db.path, now=lambda: NOW))  # a restart: same key, same sessions
    second.client.cookies = a.client.cookies
    assert (await second.get("/")).status_code == 200
    with Database.open(review_db.path) as db:
        assert db.meta("web_secret") == stored
    await a.aclose()
    await second.aclose()


def test_serve_command_defaults_to_localhost() -> None:
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "127.0.0.1" in result.output
    assert "--port" in result.output and "8000" in result.output
    assert "--db" in result.output
    assert serve.help


def test_serve_hands_uvicorn_the_app_on_localhost_with_the_secret_from_the_environment(
    review_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    result = CliRunner().invoke(serve, ["--db", str(review_db.path), "--port", "8123"],
                                env={"SONOCAT_SECRET_KEY": "from-the-environment-" + "k" * 30})
    assert result.exit_code == 0, result.output
    (app, options), = calls
    assert options["host"] == "127.0.0.1" and options["port"] == 8123
    assert "http://127.0.0.1:8123/" in result.output
    with Database.open(review_db.path) as db:
        assert db.meta("web_secret") is None  # the environment's key was used, none was generated


# -- rendering, directly ------------------------------------------------------------------------------------------------


def test_evidence_marks_stay_balanced_across_markup() -> None:
    from review_queue.web import render

    text = "# Title\n\nSome *text* with 1,240 images from three hospitals.\n\n- one\n- two\n"
    html, marked = render.render_with_evidence(
        text, [("text* with 1,240 images", "total_size"), ("Title", "name"), ("one\n- two", "items")]
    )
    assert marked == ["items", "name", "total_size"]
    assert html.count("<mark") == html.count("</mark>") == 5
    assert '<h4><mark title="name">Title</mark></h4>' in html
    assert '<em><mark title="total_size">text</mark></em><mark title="total_size"> with 1,240 images</mark>' in html
    assert '<li><mark title="items">one</mark></li>' in html


def test_private_brackets_in_crawled_text_are_dropped_and_lost_brackets_mean_no_marks() -> None:
    from review_queue.web import render

    html, marked = render.render_with_evidence("a \ue001 b \U000f0000 c", [])
    assert "\ue001" not in html and "\U000f0000" not in html and marked == []
    # a snippet ending inside a tag's attribute cannot be marked safely: shown without marks
    text = 'intro <a href="https://x.org" title="a long title">link</a> outro'
    html, marked = render.render_with_evidence(text, [('intro <a href="https://x.org" title="a', "k")])
    assert marked == [] and "<mark" not in html and "\ue001" not in html


def test_images_become_links_and_badges_do_not_nest_links() -> None:
    from review_queue.web import render

    html = render.render_markdown("![logo](https://x.org/l.png) [![badge](https://b.org/b.svg)](https://b.org)")
    assert "<img" not in html
    assert '<a href="https://x.org/l.png" rel="noopener noreferrer nofollow">[image: logo]</a>' in html
    assert '<a href="https://b.org" rel="noopener noreferrer nofollow">[image: badge]</a>' in html


def test_relative_and_unsafe_urls_lose_their_href() -> None:
    from review_queue.web import render

    html = render.render_markdown(
        "[a](docs/x.md) [b](//evil.example/x) [c](vbscript:x) [d](mailto:a@b.org) [e](https://ok.org)"
    )
    assert html.count("href=") == 2
    assert 'href="mailto:a@b.org"' in html and 'href="https://ok.org"' in html
