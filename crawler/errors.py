"""The one error hierarchy of sonocat.

Library exceptions (httpx, PyGithub, scholarly, sqlite3) are translated into
these at the boundary where they happen and chained with ``from``, so the CLI
and the web app only ever handle ``SonocatError``::

    SonocatError
    ├── ConfigError              bad or unreadable configuration
    ├── InputError               bad user input: a file, a key, a value of the wrong type
    ├── NotFoundError            no such entry / run / candidate
    ├── DatabaseError            the database cannot be used
    │   └── NotASonocatDatabase  the file is not SQLite, or SQLite of another application
    ├── BusyError                another run holds the discovery lock
    └── SourceError              a source failed (carries the source name)
        ├── NotConfigured        credentials or settings missing: skip, don't crash
        ├── RateLimited          the API said "slow down" and the wait is not allowed
        ├── TransientError       5xx, timeout, connection reset: retried, then raised
        ├── MalformedResponse    the body is not what the API documents
        └── BudgetExceeded       the source's wall-clock budget ran out
"""

from __future__ import annotations


class SonocatError(Exception):
    """Base of every error sonocat raises on purpose."""


class ConfigError(SonocatError):
    pass


class InputError(SonocatError):
    pass


class NotFoundError(SonocatError):
    pass


class DatabaseError(SonocatError):
    pass


class NotASonocatDatabase(DatabaseError):
    pass


class BusyError(SonocatError):
    pass


class SourceError(SonocatError):
    def __init__(self, message: str, *, source: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.status = status  # the HTTP status that caused it, when there was one


class NotConfigured(SourceError):
    pass


class RateLimited(SourceError):
    def __init__(self, message: str, *, source: str = "", wait: float | None = None) -> None:
        super().__init__(message, source=source)
        self.wait = wait


class TransientError(SourceError):
    pass


class MalformedResponse(SourceError):
    pass


class BudgetExceeded(SourceError):
    pass
