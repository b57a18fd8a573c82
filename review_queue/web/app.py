"""The browser front end of the review service: FastAPI routes, sessions, CSRF.

Thin on purpose: each route parses its input, calls one function (of
``review_queue.service``, ``crawler.catalogue`` or the page read-models in
``queries``) and renders a template. The rules live in the service.

Who acts is always the session's reviewer; no form field or query parameter
names an actor. Sessions are Starlette's signed cookie (itsdangerous), holding
the reviewer's name, a per-session CSRF token and pending flash messages.
Every POST checks the token, the login form's included (bound to the
pre-login session; a successful login starts a fresh session with a fresh
token). Every page but ``/login`` and ``/static`` needs a login.

Errors are handled in one place (``_domain_error``): a ``SonocatError`` from
the service becomes its message on an error page with 404 (not found), 403
(a forbidden review action) or 400 (anything else the input got wrong).

Each request opens its own ``Database`` (SQLite connections are per thread)
and closes it when the response is done.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crawler import catalogue as catalogue_service
from crawler import rubric as rubric_module
from crawler.db import Database
from crawler.errors import NotFoundError, SonocatError
from crawler.rubric import Rubric
from review_queue import service
from review_queue.service import ReviewError
from review_queue.web import queries, render
from sources import registry

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
SESSION_COOKIE = "sonocat_session"
SESSION_MAX_AGE = 12 * 3600
SECRET_META_KEY = "web_secret"
# No script of ours, none of theirs: the pages need no JavaScript at all.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
     b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LoginRequired(Exception):
    """No reviewer in this session: go to the login page."""


class CsrfRejected(Exception):
    """A POST without this session's CSRF token."""


class AdminOnly(Exception):
    """A curator asked for an admin page."""


@dataclass(frozen=True)
class Settings:
    db_path: Path
    rubric: Rubric
    now: Callable[[], str]


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def create_app(
    db_path: str | Path,
    *,
    secret_key: str | None = None,
    rubric: Rubric | None = None,
    now: Callable[[], str] = utcnow,
    session_max_age: int = SESSION_MAX_AGE,
    https_only: bool = False,
) -> FastAPI:
    """The web app over the database at ``db_path``.

    ``secret_key`` signs session cookies; without one, a key generated on first
    use and kept in the database (``sonocat_meta``) is used, so sessions
    survive a restart.
    """
    settings = Settings(Path(db_path), rubric or rubric_module.load(), now)
    _warm_sources()
    app = FastAPI(title="sonocat review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key or _stored_secret(settings.db_path),
        session_cookie=SESSION_COOKIE,
        max_age=session_max_age,
        same_site="lax",
        https_only=https_only,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _add_error_handlers(app)
    app.include_router(_routes())
    return app


def _warm_sources() -> None:
    """Import every source now, so the first candidate page does not pay for it."""
    for name in registry.NAMES:
        try:
            registry.get(name)
        except (ImportError, SonocatError) as exc:  # that source's records show a parse problem instead
            log.warning("source %s unavailable: %s", name, exc)


def _stored_secret(db_path: Path) -> str:
    with Database.open(db_path) as db:
        secret = db.meta(SECRET_META_KEY)
        if secret is None:
            secret = secrets.token_urlsafe(48)
            with db.transaction():
                db.set_meta(SECRET_META_KEY, secret)
    return secret


class SecurityHeaders:
    """Adds the CSP and friends to every response (a plain ASGI middleware: no per-request overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- templates, flashes, tokens --------------------------------------------------------------

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
_env.filters["value"] = lambda v: ", ".join(map(str, v)) if isinstance(v, list) else ("yes" if v is True else "no" if v is False else ("" if v is None else str(v)))
_env.filters["pct"] = lambda v: "n/a" if v is None else f"{v * 100:.1f}%"
_env.filters["num"] = lambda v, digits=2: "" if v is None else f"{v:.{digits}f}"
_env.globals["external_link"] = render.external_link
_env.globals["qs"] = lambda **params: urlencode({k: v for k, v in params.items() if v not in (None, "")})
_env.globals["LINK_REL"] = render.LINK_REL
templates = Jinja2Templates(env=_env)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [*request.session.get("flash", []), [kind, message]]


def page(request: Request, template: str, user: User | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    flashes = request.session.pop("flash", [])
    return templates.TemplateResponse(
        request, template,
        {"user": user, "csrf": csrf_token(request), "flashes": flashes, "path": request.url.path, **context},
        status_code=status_code,
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _local(target: str | None) -> str:
    """Only a path on this site may be a post-login destination."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# -- dependencies: database, reviewer, CSRF -----------------------------------------------------


def get_db(request: Request) -> Iterator[Database]:
    db = Database.open(request.app.state.settings.db_path)
    try:
        yield db
    finally:
        db.close()


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


DB = Annotated[Database, Depends(get_db)]
Config = Annotated[Settings, Depends(get_settings)]


async def current_user(request: Request, db: DB) -> User:
    # async: one indexed read (WAL readers never wait for writers), not worth a thread hop
    name = request.session.get("user")
    row = db.reviewer(name) if isinstance(name, str) else None
    if row is None:
        request.session.pop("user", None)
        raise LoginRequired
    return User(row["name"], row["role"])


async def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    expected = request.session.get("csrf")
    if not expected or not csrf_token or not secrets.compare_digest(str(expected), csrf_token):
        raise CsrfRejected


async def acting_user(user: Annotated[User, Depends(current_user)], _csrf: Annotated[None, Depends(check_csrf)]) -> User:
    """The reviewer behind a POST: logged in first, then the form's CSRF token."""
    return user


async def admin_user(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise AdminOnly
    return user


async def acting_admin(user: Annotated[User, Depends(acting_user)]) -> User:
    if not user.is_admin:
        raise AdminOnly
    return user


Text = Annotated[str, Form()]  # a form field; module level so postponed annotations resolve
Viewer = Annotated[User, Depends(current_user)]
Actor = Annotated[User, Depends(acting_user)]
Admin = Annotated[User, Depends(admin_user)]
ActingAdmin = Annotated[User, Depends(acting_admin)]


# -- errors: one place -----------------------------------------------------------------------------


def _status_of(exc: SonocatError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ReviewError):
        return 403
    return 400


def _session_user(request: Request) -> User | None:
    name = request.session.get("user")
    return User(name, "") if isinstance(name, str) else None


def _back_link(request: Request) -> str:
    candidate_id = request.path_params.get("candidate_id")
    if candidate_id is not None:
        return f"/candidates/{candidate_id}"
    return request.url.path if request.method == "GET" else "/"


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    flash(request, message, "error")
    return page(request, "error.html", _session_user(request), status_code=status, status=status,
                back=_back_link(request) if status != 404 or request.method != "GET" else "/")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SonocatError)
    async def _domain_error(request: Request, exc: SonocatError) -> Response:
        return _error_page(request, _status_of(exc), str(exc))

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:  # after logging in, come back to the page the form was on, not to the form's target
            target = _back_link(request)
        return redirect("/login" + ("" if target == "/" else f"?next={quote(target, safe='')}"))

    @app.exception_handler(CsrfRejected)
    async def _csrf_rejected(request: Request, exc: CsrfRejected) -> Response:
        return _error_page(request, 403, "the form expired or did not come from this site; reload the page and try again")

    @app.exception_handler(AdminOnly)
    async def _admin_only(request: Request, exc: AdminOnly) -> Response:
        return _error_page(request, 403, "only an admin may do this")

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'input'}: {e['msg']}" for e in exc.errors())
        return _error_page(request, 400, f"bad input: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error_page(request, 404, "no such page")
        return _error_page(request, exc.status_code, str(exc.detail))


# -- messages after an action ---------------------------------------------------------------------


def _outcome(data: dict[str, Any], what: str) -> str:
    line = f"{what}; candidate {data['id']} is {data['status']}"
    if data.get("promoted_entry_id"):
        line += f" and is now catalogue entry {data['promoted_entry_id']}"
    elif data["unverified"] and data["status"] not in service.DECIDED:
        line += f"; {len(data['unverified'])} value(s) still need a second person"
    return line


def _optional(text: str) -> str | None:
    text = text.strip()
    return text or None


# -- routes -----------------------------------------------------------------------------------------


def _routes() -> APIRouter:  # noqa: C901 - one flat list of thin routes reads best
    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/login")
    def login_form(request: Request, next: str = "/") -> Response:
        if isinstance(request.session.get("user"), str):
            return redirect(_local(next))
        return page(request, "login.html", None, next=_local(next))

    @router.post("/login")
    def login(
        request: Request, db: DB, _csrf: Annotated[None, Depends(check_csrf)],
        name: Text = "", password: Text = "", next: Text = "/",
    ) -> Response:
        found = service.authenticate(db, name.strip(), password)
        if found is None:
            flash(request, "wrong name or password", "error")
            return page(request, "login.html", None, status_code=401, next=_local(next), name=name, password_failed=True)
        request.session.clear()
        request.session.update(user=found["name"], csrf=secrets.token_urlsafe(32))
        flash(request, f"logged in as {found['name']}")
        return redirect(_local(next))

    @router.post("/logout")
    def logout(request: Request, user: Actor) -> Response:
        request.session.clear()
        flash(request, f"{user.name} logged out")
        return redirect("/login")

    @router.get("/")
    def queue(
        request: Request, db: DB, user: Viewer,
        kind: str = "", status: str = "", source: str = "", page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> Response:
        data = queries.queue_page(db, status=status or None, kind=kind or None, source=source or None, page=page_no)
        return page(request, "queue.html", user, filters={"kind": kind, "status": status, "source": source},
                    statuses=queries.STATUSES, source_names=registry.NAMES, **data)

    @router.get("/next")
    def next_candidate(request: Request, db: DB, user: Viewer) -> Response:
        candidate_id = service.next_for(db, user.name)
        if candidate_id is None:
            flash(request, f"nothing is waiting for {user.name}")
            return redirect("/")
        return redirect(f"/candidates/{candidate_id}")

    @router.get("/candidates/{candidate_id}")
    def candidate(request: Request, candidate_id: int, db: DB, user: Viewer, settings: Config) -> Response:
        data = queries.candidate_page(db, settings.rubric, candidate_id, user.name)
        return page(request, "candidate.html", user, **data)

    @router.get("/candidates/{candidate_id}/history")
    def candidate_history(request: Request, candidate_id: int, db: DB, user: Viewer) -> Response:
        return page(request, "history.html", user, candidate_id=candidate_id, rows=service.history(db, candidate_id))

    @router.post("/candidates/{candidate_id}/screen")
    def screen(
        request: Request, candidate_id: int, db: DB, user: Actor, settings: Config,
        decision: Text = "", reason: Text = "", note: Text = "",
    ) -> Response:
        data = service.screen(
            db, settings.rubric, candidate_id, user.name, decision, settings.now(),
            reason=_optional(reason) if decision == "exclude" else None, note=_optional(note),
        )
        flash(request, _outcome(data, f"your {decision} vote is in"))
        return redirect(f"/candidates/{candidate_id}")

    @router.post("/candidates/{candidate_id}/resolve")
    def resolve(request: Request, candidate_id: int, db: DB, user: Actor, settings: Config, decision: Text = "") -> Response:
        data = service.resolve(db, settings.rubric, candidate_id, user.name, decision, settings.now())
        flash(request, _outcome(data, f"conflict resolved: {decision}"))
        return redirect(f"/candidates/{candidate_id}")

    @router.post("/candidates/{candidate_id}/edit")
    def edit(
        request: Request, candidate_id: int, db: DB, user: Actor, settings: Config,
        key: Text = "", value: Text = "", evidence: Text = "",
    ) -> Response:
        data = service.edit(
            db, settings.rubric, candidate_id, user.name, settings.now(),
            set_values=[(key.strip(), value)] if key.strip() else [], evidence=_optional(evidence),
        )
        flash(request, _outcome(data, f"{key.strip()} set"))
        return redirect(f"/candidates/{candidate_id}")

    @router.post("/candidates/{candidate_id}/clear")
    def clear(request: Request, candidate_id: int, db: DB, user: Actor, settings: Config, key: Text = "") -> Response:
        data = service.edit(
            db, settings.rubric, candidate_id, user.name, settings.now(), clear=[key.strip()] if key.strip() else [],
        )
        flash(request, _outcome(data, f"{key.strip()} cleared"))
        return redirect(f"/candidates/{candidate_id}")

    @router.post("/candidates/{candidate_id}/verify")
    def verify(request: Request, candidate_id: int, db: DB, user: Actor, settings: Config) -> Response:
        data = service.verify(db, settings.rubric, candidate_id, user.name, settings.now())
        flash(request, _outcome(data, "values verified"))
        return redirect(f"/candidates/{candidate_id}")

    @router.post("/candidates/{candidate_id}/duplicate")
    def duplicate(
        request: Request, candidate_id: int, db: DB, user: Actor, settings: Config,
        of_candidate: Text = "", of_entry: Text = "",
    ) -> Response:
        data = service.mark_duplicate(
            db, settings.rubric, candidate_id, user.name, settings.now(),
            of_candidate=_int_or_none(of_candidate, "candidate"), of_entry=_int_or_none(of_entry, "entry"),
        )
        flash(request, _outcome(data, "marked as a duplicate"))
        return redirect(f"/candidates/{candidate_id}")

    @router.post("/candidates/{candidate_id}/split")
    def split(
        request: Request, candidate_id: int, db: DB, user: Actor, settings: Config,
        records: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    ) -> Response:
        result = service.split(db, candidate_id, user.name, records, settings.now())
        flash(request, f"{len(records)} record(s) moved to new candidate {result['to']['id']}")
        return redirect(f"/candidates/{candidate_id}")

    @router.get("/conflicts")
    def conflicts(request: Request, db: DB, user: Viewer) -> Response:
        return page(request, "conflicts.html", user, rows=service.queue(db, status="conflict"))

    @router.get("/catalogue")
    def catalogue(request: Request, db: DB, user: Viewer, kind: str = "", tier: str = "", anatomy: str = "") -> Response:
        data = queries.catalogue_page(db, kind=kind or None, tier=tier or None, anatomy=anatomy.strip() or None)
        return page(request, "catalogue.html", user, filters={"kind": kind, "tier": tier, "anatomy": anatomy}, **data)

    @router.get("/catalogue/{entry_id}")
    def entry(request: Request, entry_id: int, db: DB, user: Viewer, settings: Config) -> Response:
        return page(request, "entry.html", user, entry=catalogue_service.show_entry(db, str(entry_id), settings.rubric))

    @router.get("/stats")
    def stats(request: Request, db: DB, user: Viewer) -> Response:
        return page(request, "stats.html", user, stats=service.stats(db))

    @router.get("/runs")
    def runs(request: Request, db: DB, user: Viewer) -> Response:
        return page(request, "runs.html", user, runs=queries.runs_page(db))

    @router.get("/admin/reviewers")
    def reviewers(request: Request, db: DB, user: Admin) -> Response:
        return page(request, "reviewers.html", user, reviewers=db.reviewers())

    @router.post("/admin/reviewers")
    def add_reviewer(
        request: Request, db: DB, user: ActingAdmin, settings: Config,
        name: Text = "", password: Text = "", role: Text = "curator",
    ) -> Response:
        added = service.add_reviewer(db, name, password, settings.now(), admin=role == "admin")
        flash(request, f"reviewer {added['name']} added ({added['role']})")
        return redirect("/admin/reviewers")

    return router


def _int_or_none(text: str, what: str) -> int | None:
    text = text.strip().lstrip("#")
    if not text:
        return None
    if not text.isdigit():
        raise ReviewError(f"a {what} is named by its number, not {text!r}")
    return int(text)
