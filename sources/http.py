"""The one place HTTP clients are built: timeouts, User-Agent, rate limit, retries.

Every httpx-based source talks through an ``HttpClient``. It

* spaces requests so a source never exceeds its documented per-minute budget;
* retries 429, rate-limit 403s, 5xx, timeouts and connection errors with
  exponential backoff, taking the wait from ``Retry-After``,
  ``X-RateLimit-Reset`` or Hugging Face's ``RateLimit`` header when present;
* never sleeps past the source's wall-clock deadline (``BudgetExceeded``);
* translates httpx exceptions into ``crawler.errors`` at this boundary.

Sleep and clock are injected so tests can prove which wait was taken.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from crawler import __version__
from crawler.errors import BudgetExceeded, MalformedResponse, RateLimited, SourceError, TransientError

log = logging.getLogger(__name__)

USER_AGENT = f"sonocat/{__version__} (+https://github.com/sonocat/sonocat)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 120.0
# A host we cannot connect to at all (no route, no DNS) rarely comes back within
# seconds: give up sooner than for timeouts and 5xx.
MAX_CONNECT_RETRIES = 2

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass
class RateLimiter:
    """Spaces calls evenly so that at most ``per_minute`` happen in any minute."""

    per_minute: float
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    _next_at: float = field(default=0.0, init=False)

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute if self.per_minute > 0 else 0.0

    def wait_time(self) -> float:
        return max(0.0, self._next_at - self.clock())

    def acquire(self) -> None:
        wait = self.wait_time()
        if wait > 0:
            self.sleep(wait)
        self._next_at = max(self.clock(), self._next_at) + self.interval

    def defer(self, seconds: float) -> None:
        """Push the next allowed call at least ``seconds`` into the future."""
        self._next_at = max(self._next_at, self.clock() + seconds)


_HF_RATELIMIT = re.compile(r"\bt=(\d+(?:\.\d+)?)")


def wait_from_headers(headers: Mapping[str, str], now_epoch: float) -> float | None:
    """Seconds the server asks us to wait, or None when it does not say.

    ``Retry-After`` (seconds or HTTP date) wins; then Hugging Face's
    ``RateLimit: "api";r=0;t=SECONDS``; then ``X-RateLimit-Reset``, which is an
    epoch timestamp on GitHub and Zenodo and a delta in seconds on OpenAlex
    (a value below 10^9 cannot be an epoch of this century, so it is a delta).
    """
    retry_after = headers.get("retry-after")
    if retry_after:
        retry_after = retry_after.strip()
        if re.fullmatch(r"\d+(\.\d+)?", retry_after):
            return float(retry_after)
        parsed = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
        if parsed is not None:
            return max(0.0, parsed.timestamp() - now_epoch)
    ratelimit = headers.get("ratelimit")
    if ratelimit:
        match = _HF_RATELIMIT.search(ratelimit)
        if match:
            return float(match.group(1))
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            value = float(reset)
        except ValueError:
            return None
        if value > 1e9:
            return max(0.0, value - now_epoch)
        return value
    return None


def is_rate_limited(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    if response.headers.get("x-ratelimit-remaining") == "0" or "retry-after" in response.headers:
        return True
    return "rate limit" in response.text[:500].lower()


class HttpClient:
    """An httpx client with the project's politeness and error rules."""

    def __init__(
        self,
        *,
        source: str,
        base_url: str = "",
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        per_minute: float = 60.0,
        max_retries: int = 4,
        backoff: float = 2.0,
        deadline: float | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.source = source
        self.max_retries = max_retries
        self.backoff = backoff
        self.deadline = deadline  # in ``clock`` time; None = no budget
        self.sleep = sleep
        self.clock = clock
        self.wall_clock = wall_clock
        self.limiter = RateLimiter(per_minute, clock=clock, sleep=self._sleep)
        self.requests = 0
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        all_headers.update(headers or {})
        self._client = httpx.Client(
            base_url=base_url,
            headers=all_headers,
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock()

    def _sleep(self, seconds: float) -> None:
        remaining = self.remaining()
        if remaining is not None and seconds > remaining:
            raise BudgetExceeded(
                f"{self.source}: waiting {seconds:.0f}s would pass the time budget", source=self.source
            )
        if seconds > 0:
            self.sleep(seconds)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def get_json(self, url: str, **kwargs: Any) -> Any:
        return self.json(self.get(url, **kwargs))

    def json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise MalformedResponse(
                f"{self.source}: {response.request.url} did not return JSON", source=self.source
            ) from exc

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request, retrying what is worth retrying; raise on failure."""
        attempt = 0
        while True:
            remaining = self.remaining()
            if remaining is not None and remaining <= 0:
                raise BudgetExceeded(f"{self.source}: time budget used up", source=self.source)
            self.limiter.acquire()
            self.requests += 1
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                error: SourceError = TransientError(f"{self.source}: timed out ({exc})", source=self.source)
                cause: BaseException = exc
                wait = None
            except httpx.TransportError as exc:
                error = TransientError(f"{self.source}: connection failed ({exc})", source=self.source)
                cause = exc
                wait = None
                if isinstance(exc, httpx.ConnectError) and attempt >= MAX_CONNECT_RETRIES:
                    raise error from cause
            else:
                if response.is_success or response.status_code == 304:
                    return response
                wait = wait_from_headers(response.headers, self.wall_clock())
                if is_rate_limited(response):
                    error = RateLimited(
                        f"{self.source}: rate limited (HTTP {response.status_code})",
                        source=self.source,
                        wait=wait,
                    )
                elif response.status_code in RETRY_STATUSES:
                    error = TransientError(
                        f"{self.source}: HTTP {response.status_code} from {response.request.url}",
                        source=self.source,
                    )
                else:
                    raise SourceError(
                        f"{self.source}: HTTP {response.status_code} from {response.request.url}: "
                        f"{response.text[:200]}",
                        source=self.source,
                        status=response.status_code,
                    )
                cause = httpx.HTTPStatusError(str(error), request=response.request, response=response)
            attempt += 1
            if attempt > self.max_retries:
                raise error from cause
            delay = wait if wait is not None else min(MAX_BACKOFF, self.backoff * 2 ** (attempt - 1))
            log.info("%s: %s; retry %d/%d in %.1fs", self.source, error, attempt, self.max_retries, delay)
            self._sleep(delay)
