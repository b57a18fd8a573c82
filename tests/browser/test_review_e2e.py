"""End to end in a real browser (the system Chromium through Playwright): two reviewers take a
candidate from the queue into the catalogue, and a hostile README stays inert."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser.conftest import ARTIFACTS, CHROMIUM, LiveServer, log_in  # noqa: E402

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium or set SONOCAT_CHROMIUM)",
                allow_module_level=True)

TIERS = re.compile(r"^(diamond|platinum|gold|silver|bronze|steel|unrated)$")


def flash(page):  # noqa: ANN001, ANN201
    return page.locator("p.flash")


def test_two_reviewers_screen_correct_verify_and_promote(live_server: LiveServer, new_page) -> None:  # noqa: ANN001
    alice, bob = new_page(), new_page()
    log_in(alice, live_server, "alice")
    log_in(bob, live_server, "bob")
    candidate = f"{live_server.url}/candidates/{live_server.db.dataset_id}"

    ARTIFACTS.mkdir(exist_ok=True)
    alice.goto(live_server.url + "/")
    expect(alice.get_by_role("heading", name="Review queue")).to_be_visible()
    alice.screenshot(path=str(ARTIFACTS / "queue.png"), full_page=True)

    alice.goto(candidate)
    expect(alice.locator("mark").first).to_be_visible()  # evidence highlighted in the record text
    alice.get_by_role("button", name="Include", exact=True).click()
    expect(flash(alice)).to_contain_text("your include vote is in")
    expect(alice.get_by_role("button", name="Include", exact=True)).to_have_count(0)  # one vote each

    bob.goto(candidate)
    expect(bob.locator("dd", has_text="hidden until both votes are in")).to_be_visible()  # alice's vote is blind
    bob.get_by_role("button", name="Include", exact=True).click()
    expect(flash(bob)).to_contain_text("is included")

    alice.goto(candidate)
    alice.get_by_role("combobox", name="Field", exact=True).select_option("name")
    alice.get_by_role("textbox", name="Value", exact=True).fill("BUS-Seg v2")
    alice.get_by_role("textbox", name="Evidence", exact=True).fill("the Zenodo record's title")
    alice.get_by_role("button", name="Set value").click()
    expect(flash(alice)).to_contain_text("name set")
    expect(alice.locator("#field-name")).to_contain_text("BUS-Seg v2")
    alice.get_by_role("button", name="Verify values").click()
    expect(flash(alice)).to_contain_text("values verified")
    expect(alice.get_by_role("button", name="Verify values")).to_have_count(0)  # nothing of hers left to verify

    bob.goto(candidate)
    bob.get_by_role("button", name="Verify values").click()
    expect(flash(bob)).to_contain_text("now catalogue entry")
    expect(bob.locator(".status")).to_have_text("promoted")

    bob.get_by_role("link", name="Catalogue", exact=True).click()
    bob.get_by_label("Kind").select_option("dataset")
    bob.get_by_role("button", name="Filter").click()
    row = bob.locator("tbody tr", has=bob.get_by_role("link", name="BUS-Seg v2", exact=True))
    expect(row).to_have_count(1)
    expect(row.locator(".tier")).to_have_text(TIERS)
    expect(row).to_contain_text("review")
    row.get_by_role("link", name="BUS-Seg v2", exact=True).click()
    expect(bob.get_by_role("heading", name="BUS-Seg v2")).to_be_visible()
    expect(bob.locator("td", has_text="alice + bob").first).to_be_visible()


def test_hostile_readme_renders_inert(live_server: LiveServer, new_page) -> None:  # noqa: ANN001
    # The page's own CSP would stop inline scripts anyway; bypass it so this test sees what the
    # sanitiser alone lets through.
    page = new_page(bypass_csp=True)
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "alice")

    page.goto(f"{live_server.url}/candidates/{live_server.db.xss_id}")
    record = page.locator("article.record")
    expect(record).to_have_count(1)
    expect(record).to_contain_text("1,000 breast ultrasound images")
    expect(record.locator("mark").first).to_be_visible()
    record.get_by_text("styled").hover()
    record.get_by_text("click here").click()  # its javascript: href is gone (no longer a link): nothing happens
    record.get_by_text("another").click()
    expect(record.get_by_role("link", name="click here")).to_have_count(0)
    page.wait_for_timeout(300)

    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('script, iframe, svg, img, form[action^=http], object, embed').length") == 0
    assert page.evaluate(
        "[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
    ) == 0
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if not h.startswith(("/", "http://", "https://", "mailto:", "#"))]
    external = page.locator("a[href^='http']")
    assert external.count() > 0
    for i in range(external.count()):
        assert external.nth(i).get_attribute("rel") == "noopener noreferrer nofollow"
    assert page.url.endswith(f"/candidates/{live_server.db.xss_id}")
    assert errors == []
