"""Crawled text made safe to show: markdown to sanitised HTML, evidence marked inside it.

Everything a source returns (READMEs, cards, abstracts) is untrusted. It is
rendered with markdown-it-py (raw HTML allowed through, since READMEs use it)
and the result always passes through nh3 (ammonia) with a small allow-list:
no script, style, iframe, form or image, no event handler or style attribute,
only ``http``/``https``/``mailto`` URLs (relative ones are dropped: they would
point at this server), and every link gets ``rel="noopener noreferrer
nofollow"``. Images become plain links, so a page never fetches from a
crawled host.

Evidence highlighting never puts crawled text into markup. Before rendering,
each evidence span of the raw text is bracketed with private-use characters
(any already in the text are removed first); after sanitising, those
characters, now inside escaped text, become ``<mark>`` elements that open and
close within one text run, so the result stays well formed whatever the spans
cross. If the sanitiser dropped a bracket (a span ending inside a tag), the
record is shown without highlights rather than wrongly highlighted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

LINK_REL = "noopener noreferrer nofollow"
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "kbd", "li", "ol", "p", "pre", "q", "s", "samp", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "td": {"align"}, "th": {"align"}}
# Removed together with everything inside them.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "textarea", "select",
    "title", "head", "frameset", "noembed", "xmp",
})
HEADING_SHIFT = 3  # a README's h1 sits under the page h1, the section h2 and the record h3

# Span brackets: one close character, and one open character per span (its index),
# so a span keeps its label even when another span's brackets are lost.
CLOSE = "\ue001"
OPEN_BASE = 0xF0000  # Supplementary Private Use Area-A
MAX_SPANS = 0xFFFD
_BRACKETS = re.compile("[\ue001\U000f0000-\U000ffffd]")
_TAG = re.compile(r"""<(?:[^"'>]|"[^"]*"|'[^']*')*>""")
# Markdown block markers a span must not start before (they would stop being markers).
_BLOCK_MARKERS = re.compile(r"[ \t]*(?:(?:#{1,6}|[*+-]|\d{1,9}[.)]|>|\|)[ \t]+)*")


def _safe_url(value: str) -> str | None:
    scheme, sep, _ = value.strip().partition(":")
    if not sep or scheme.lower() not in SAFE_SCHEMES:
        return None  # relative, protocol-relative or another scheme
    return value


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return _safe_url(value)
    return value


def sanitise(fragment: str) -> str:
    """Clean an HTML fragment with the allow-list above."""
    return nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Keep every link as a link: the sanitiser, not the parser, decides which URLs survive, so a
    # ``javascript:`` link loses its href instead of staying behind as literal text.
    md.validateLink = lambda url: True

    def heading(renderer, tokens, idx, options, env):  # noqa: ANN001 - markdown-it's rule signature
        token = tokens[idx]
        level = min(6, int(token.tag[1]) + HEADING_SHIFT)
        return f"<h{level}>" if token.nesting == 1 else f"</h{level}>\n"

    def image(renderer, tokens, idx, options, env):  # noqa: ANN001
        token = tokens[idx]
        label = f"[image: {html.escape(renderer.renderInlineAsText(token.children or [], options, env) or 'image')}]"
        depth = sum(t.nesting for t in tokens[:idx] if t.type in ("link_open", "link_close"))
        if depth > 0:  # already inside a link (a badge): no link in a link
            return label
        return f'<a href="{html.escape(str(token.attrGet("src") or ""), quote=True)}">{label}</a>'

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
    md.add_render_rule("image", image)
    return md


_MD = _markdown()


def render_markdown(text: str) -> Markup:
    """Untrusted markdown (or HTML) as sanitised HTML, safe to put in a template."""
    return Markup(sanitise(_MD.render(_BRACKETS.sub("", text or ""))))


# -- evidence ------------------------------------------------------------------------------------


def evidence_spans(text: str, snippets: Iterable[tuple[str, str]]) -> list[tuple[int, int, list[str]]]:
    """Where each (snippet, label) occurs in ``text``, merged: ``[(start, end, labels)]``.

    Spans widen to whitespace so a bracket never lands inside a word or URL,
    and start after a line's block markers (``#``, ``*``, ``1.``, ``>``, ``|``).
    """
    found: list[tuple[int, int, str]] = []
    for snippet, label in snippets:
        snippet = (snippet or "").strip()
        if len(snippet) < 3:
            continue
        at = text.find(snippet)
        if at < 0:
            continue
        start, end = at, at + len(snippet)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if start == 0 or text[start - 1] == "\n":
            marker = _BLOCK_MARKERS.match(text, start)
            start = marker.end() if marker and marker.end() < end else start
        while end > start and text[end - 1] in " \t|":
            end -= 1
        if end > start:
            found.append((start, end, label))
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, label in sorted(found):
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            labels = last[2] if label in last[2] else [*last[2], label]
            merged[-1] = (last[0], max(last[1], end), labels)
        else:
            merged.append((start, end, [label]))
    return merged[:MAX_SPANS]


def render_with_evidence(text: str, snippets: Iterable[tuple[str, str]]) -> tuple[Markup, list[str]]:
    """``render_markdown`` with each evidence snippet wrapped in ``<mark title="keys">``.

    Returns the HTML and the labels of the snippets marked in it.
    """
    text = _BRACKETS.sub("", text or "")
    spans = evidence_spans(text, snippets)
    if not spans:
        return render_markdown(text), []
    pieces, cursor = [], 0
    for i, (start, end, _) in enumerate(spans):
        pieces += [text[cursor:start], chr(OPEN_BASE + i), text[start:end], CLOSE]
        cursor = end
    pieces.append(text[cursor:])
    cleaned = sanitise(_MD.render("".join(pieces)))
    marked = _marks(cleaned, [labels for _, _, labels in spans])
    if marked is None:
        return Markup(_BRACKETS.sub("", cleaned)), []
    return Markup(marked), sorted({label for _, _, labels in spans for label in labels})


class _Unbalanced(Exception):
    """The sanitiser dropped or moved a bracket: show the record without highlights."""


def _marks(cleaned: str, labels: list[list[str]]) -> str | None:
    """Turn brackets in sanitised HTML into ``<mark>`` runs; None when they are unbalanced."""
    out: list[str] = []
    current: int | None = None
    pos = 0
    try:
        for tag in _TAG.finditer(cleaned):
            if _BRACKETS.search(tag.group(0)):
                return None  # a bracket inside a tag: its span is not text
            current = _mark_run(cleaned[pos : tag.start()], current, labels, out)
            out.append(tag.group(0))
            pos = tag.end()
        current = _mark_run(cleaned[pos:], current, labels, out)
    except _Unbalanced:
        return None
    return "".join(out) if current is None else None


def _mark_run(text: str, current: int | None, labels: list[list[str]], out: list[str]) -> int | None:
    """Emit one text run (between two tags); returns the span still open after it."""
    start = 0
    for bracket in _BRACKETS.finditer(text):
        _emit(text[start : bracket.start()], current, labels, out)
        char = bracket.group(0)
        if char == CLOSE:
            if current is None:
                raise _Unbalanced
            current = None
        else:
            if current is not None or ord(char) - OPEN_BASE >= len(labels):
                raise _Unbalanced
            current = ord(char) - OPEN_BASE
        start = bracket.end()
    _emit(text[start:], current, labels, out)
    return current


def _emit(segment: str, current: int | None, labels: list[list[str]], out: list[str]) -> None:
    if current is None or not segment.strip():
        out.append(segment)
        return
    title = html.escape(", ".join(labels[current]), quote=True)
    out.append(f'<mark title="{title}">{segment}</mark>')


def external_link(url: str | None) -> str | None:
    """A URL a template may put in ``href`` (http, https or mailto), else None."""
    return _safe_url(url) if url else None
