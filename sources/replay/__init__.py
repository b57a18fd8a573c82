"""Replay: one local fake of all six APIs, serving a recorded corpus.

``sonocat discover --replay DIR`` runs discovery without a network: this package
serves a recording on ``127.0.0.1`` and the real source clients talk to it as
they would to the real hosts. The benchmark uses it with ``latency`` and the
real per-minute ``limits``; the crash/resume test kills a replayed run mid-way.

Each fake answers in the real envelope, applies the request's own parameters
and pages the real way. One module per part:

* ``corpus``: the recording's format, ``resolve`` and ``load_corpus``, and the
  word, date and number matching every fake shares;
* ``api``: ``Request``/``Reply``/``Quota``, the fake-API base class and the
  paging and id helpers the fakes share;
* ``github``, ``zenodo``, ``kaggle``, ``huggingface``, ``openalex``,
  ``scholar``: one fake each, with what it understands in its docstring
  (``scholar`` also owns ``ReplayTransport``, since scholarly's host is fixed);
* ``server``: ``ReplayServer`` (mounts, routing, latency, rate limits, the
  request log), ``serve`` and the stand-in ``SECRETS``.

Everything callers use is importable from ``sources.replay`` itself.
"""

from .api import Quota, Reply, Request, json_reply, text_reply
from .corpus import DEMO, SOURCES, Span, has_all, load_corpus, resolve, terms, words
from .github import GITHUB_CORE, GITHUB_PREFIX, REAL_GITHUB, SEARCH_CAP
from .huggingface import HF_MAX_LIMIT
from .kaggle import KAGGLE_MAX_RESULTS
from .openalex import OPENALEX_DAILY_CREDITS, OPENALEX_LIST_CREDITS, OPENALEX_MAX_PAGED, OPENALEX_MAX_PER_PAGE
from .scholar import SCHOLAR_HOST, SCHOLAR_PAGE, ReplayTransport, _cluster_id, scholar_page
from .server import HISTORY, SECRETS, WINDOW, Logged, ReplayServer, serve
from .zenodo import ZENODO_ANONYMOUS_SIZE, ZENODO_AUTHENTICATED_SIZE, ZENODO_MAX_RESULTS, Predicate

__all__ = [
    "DEMO",
    "GITHUB_CORE",
    "GITHUB_PREFIX",
    "HF_MAX_LIMIT",
    "HISTORY",
    "KAGGLE_MAX_RESULTS",
    "OPENALEX_DAILY_CREDITS",
    "OPENALEX_LIST_CREDITS",
    "OPENALEX_MAX_PAGED",
    "OPENALEX_MAX_PER_PAGE",
    "REAL_GITHUB",
    "SCHOLAR_HOST",
    "SCHOLAR_PAGE",
    "SEARCH_CAP",
    "SECRETS",
    "SOURCES",
    "WINDOW",
    "ZENODO_ANONYMOUS_SIZE",
    "ZENODO_AUTHENTICATED_SIZE",
    "ZENODO_MAX_RESULTS",
    "Logged",
    "Predicate",
    "Quota",
    "ReplayServer",
    "ReplayTransport",
    "Reply",
    "Request",
    "Span",
    "_cluster_id",  # the tests name Scholar rows by it
    "has_all",
    "json_reply",
    "load_corpus",
    "resolve",
    "scholar_page",
    "serve",
    "terms",
    "text_reply",
    "words",
]
