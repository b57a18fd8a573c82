"""The fake Google Scholar, under ``/scholar``, and the transport that sends Scholar's traffic there.

``/scholar?q=&as_ylo=&as_yhi=&start=`` answers with the HTML scholarly 1.7.11
parses, ten rows a page and a next-page link while more remain; ``gsrank``,
``url_scholarbib`` and ``url_add_sclib`` depend on the page a row lands on.
Past the limit, 429 with Google's "unusual traffic" page.

scholarly hard-codes ``https://scholar.google.com``, so ``ReplayTransport``
(``ReplayServer.scholar_transport()``) is an httpx transport that sends that
host's requests here and passes every other request through unchanged (the
orchestrator hands one transport to every httpx-based source).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from typing import Any
from urllib.parse import quote, quote_plus, urlencode, urlsplit

import httpx

from .api import _API, Quota, Reply, Request, _int, _stable_id, text_reply
from .corpus import has_all, terms, words

SCHOLAR_HOST = "scholar.google.com"
SCHOLAR_PAGE = 10
_CLUSTER = re.compile(r"info:([\w-]+):")
_SORRY = """<!doctype html><html><head><title>Sorry...</title></head><body>
<div style="max-width:400px"><h1>Our systems have detected unusual traffic from your computer network.</h1>
<p>This page checks to see if it's really you sending the requests, and not a robot.</p>
<form id="captcha-form" action="index" method="post"><div class="g-recaptcha"></div></form></div>
</body></html>"""


def _cluster_id(item: dict[str, Any]) -> str:
    match = _CLUSTER.search(str(item.get("url_scholarbib") or ""))
    if match:
        return match.group(1)
    digest = hashlib.sha1(str(item["bib"].get("title")).encode()).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def _host(url: Any) -> str:
    host = urlsplit(str(url or "")).hostname or ""
    return host.removeprefix("www.")


def _scholar_text(item: dict[str, Any]) -> set[str]:
    bib = item["bib"]
    return words(bib.get("title"), bib.get("abstract"), bib.get("venue"), bib.get("author"))


def _year_of(item: dict[str, Any]) -> int | None:
    year = str(item["bib"].get("pub_year") or "")
    return int(year) if year.isdigit() else None


def _scholar_row(item: dict[str, Any], rank: int) -> str:
    """One result row in the markup scholarly 1.7.11 parses back into ``item``."""
    e = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    bib = item["bib"]
    cid = _cluster_id(item)
    pub_url, eprint = item.get("pub_url"), item.get("eprint_url")
    host = _host(pub_url or eprint) or "scholar.google.com"
    authors = bib.get("author") or []
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.split(" and ")]
    ids = list(item.get("author_id") or [])
    names = []
    for index, name in enumerate(authors):
        user = ids[index] if index < len(ids) else ""
        names.append(f'<a href="/citations?user={e(user)}&amp;hl=en&amp;oi=sra">{e(name)}</a>' if user else e(name))
    venue, year = bib.get("venue"), bib.get("pub_year")
    middle = ", ".join(str(v) for v in (venue, year) if v not in (None, "", "NA"))
    byline = " - ".join(part for part in (", ".join(names), e(middle) if middle else "", e(host)) if part)
    pdf = ""
    marker = ""
    if eprint:
        pdf = (f'<div class="gs_ggs gs_fl"><div class="gs_ggsd"><div class="gs_or_ggsm"><a href="{e(eprint)}" '
               f'data-clk="hl=en"><span class="gs_ctg2">[PDF]</span> {e(_host(eprint))}</a></div></div></div>')
        marker = '<span class="gs_ctc"><span class="gs_ct1">[PDF]</span><span class="gs_ct2">[PDF]</span></span> '
    title = e(bib["title"])
    if pub_url:
        title = f'<a id="{e(cid)}" href="{e(pub_url)}" data-clk="hl=en">{title}</a>'
    abstract = bib.get("abstract")
    snippet = f'<div class="gs_rs">{e(abstract)} \u2026</div>' if abstract else ""
    lower = ['<a href="javascript:void(0)" class="gs_or_sav gs_or_btn" role="button"><span class="gs_or_btn_lbl">'
             "Save</span></a>",
             '<a href="javascript:void(0)" class="gs_or_cit gs_or_btn" role="button">Cite</a>']
    citations = item.get("num_citations") or 0
    if citations:
        cited = item.get("citedby_url") or f"/scholar?cites={_stable_id(cid)}&as_sdt=2005&sciodt=0,5&hl=en"
        lower.append(f'<a href="{e(cited)}">Cited by {int(citations)}</a>')
    related = item.get("url_related_articles") or f"/scholar?q=related:{cid}:scholar.google.com/&hl=en&as_sdt=0,33"
    lower.append(f'<a href="{e(related)}">Related articles</a>')
    return (
        f'<div class="gs_r gs_or gs_scl" data-cid="{e(cid)}" data-did="{e(cid)}" data-lid="" data-aid="{e(cid)}" '
        f'data-rp="{rank}">{pdf}<div class="gs_ri"><h3 class="gs_rt">{marker}{title}</h3>'
        f'<div class="gs_a">{byline}</div>{snippet}<div class="gs_fl gs_flb">{" ".join(lower)}</div></div></div>'
    )


def scholar_page(items: list[dict[str, Any]], *, q: str, start: int, total: int, next_href: str | None) -> str:
    """A Google Scholar result page for ``items`` (ranks from ``start``)."""
    continue_to = quote(f"/scholar?q={quote_plus(q)}&hl=en&as_sdt=0,33", safe="/,")
    sva = (f"/citations?hl=en&amp;xsrf=&amp;continue={continue_to}&amp;citilm=1&amp;update_op=library_add"
           "&amp;info={id}&amp;ei=replay")
    rows = "\n".join(_scholar_row(item, start + i) for i, item in enumerate(items))
    if total:
        about = f'<div id="gs_ab_md"><div class="gs_ab_mdw">About {total:,} results (<b>0.04</b> sec)</div></div>'
    else:
        about = (f'<div class="gs_med"><p>Your search - <b>{html.escape(q)}</b> - did not match any articles.</p>'
                 "</div>")
    navigation = ""
    if next_href:
        navigation = (f'<div id="gs_n" role="navigation"><center><table><tr><td align="left" nowrap>'
                      f'<a href="{html.escape(next_href, quote=True)}"><span class="gs_ico gs_ico_nav_next"></span>'
                      '<b style="display:block;margin-left:53px">Next</b></a></td></tr></table></center></div>')
    return (
        "<!doctype html>\n<html><head><title>Google Scholar</title></head><body>\n"
        f'<div id="gs_res_glb" role="main" data-sva="{sva}"></div>\n{about}\n'
        f'<div id="gs_res_ccl_mid">\n{rows}\n</div>\n{navigation}\n</body></html>\n'
    )


class _Scholar(_API):
    name = "scholar"

    def limited(self, req: Request, quota: Quota) -> Reply:
        return text_reply(429, _SORRY, "text/html; charset=UTF-8", {"Retry-After": str(quota.reset_seconds)})

    def answer(self, req: Request) -> Reply:
        if req.path.rstrip("/") != "/scholar" or req.method not in ("GET", "HEAD"):
            return text_reply(404, "<html><body><h1>Not Found</h1></body></html>", "text/html; charset=UTF-8")
        if req.arg("output") == "cite" or (req.arg("q") or "").startswith(("info:", "related:")):
            return text_reply(404, "<html><body><h1>Not Found</h1></body></html>", "text/html; charset=UTF-8")
        q = req.arg("q") or ""
        wanted = terms(q)
        low, high = _int(req.arg("as_ylo"), 0), _int(req.arg("as_yhi"), 0)
        hits = []
        for payload in self.records:
            item = payload["item"]
            year = _year_of(item)
            if (low or high) and year is None:
                continue  # a year range hides undated results
            if (low and year < low) or (high and year > high):  # type: ignore[operator]
                continue
            if has_all(wanted, _scholar_text(item)):
                hits.append(item)
        if req.arg("scisbd"):
            hits.sort(key=lambda item: _year_of(item) or 0, reverse=True)
        start = max(0, _int(req.arg("start"), 0))
        chunk = hits[start : start + SCHOLAR_PAGE]
        next_href = None
        if start + SCHOLAR_PAGE < len(hits):
            params = [(k, v) for k, v in req.params if k != "start"]
            next_href = "/scholar?" + urlencode([("start", str(start + SCHOLAR_PAGE)), *params], safe=",:")
        page = scholar_page(chunk, q=q, start=start, total=len(hits), next_href=next_href)
        return text_reply(200, page, "text/html; charset=UTF-8")


class ReplayTransport(httpx.BaseTransport):
    """Sends ``scholar.google.com`` to the replay server; passes every other request through.

    The orchestrator gives one transport to every httpx-based source, so only
    Scholar's traffic may change. Clients close their transport when they are
    done; this one is shared, so only the server's ``stop`` closes it.
    """

    def __init__(self, scholar_base: str) -> None:
        target = httpx.URL(scholar_base)
        self._scheme, self._host, self._port = target.scheme, target.host, target.port
        self._prefix = target.raw_path.rstrip(b"/")
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == SCHOLAR_HOST:
            url = httpx.URL(scheme=self._scheme, host=self._host, port=self._port,
                            raw_path=self._prefix + request.url.raw_path)
            headers = request.headers.copy()
            headers["Host"] = url.netloc.decode("ascii")
            request = httpx.Request(request.method, url, headers=headers, stream=request.stream,
                                    extensions=request.extensions)
        return self._inner.handle_request(request)

    def close(self) -> None:
        pass

    def shutdown(self) -> None:
        self._inner.close()
