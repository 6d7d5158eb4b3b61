"""Downloads that cannot hurt: bounded in time and size, paged with a loop guard.

This is an I/O edge used by :mod:`planner.geodata`. Every request has a
connect time-out and a read time-out; the whole download has an overall time
limit (enforced by a watchdog that shuts the socket, so a server that sends one
byte a second cannot stretch it) and a byte limit (the body is read in chunks
and never beyond the limit, so an endless answer cannot fill the memory). A
WFS that ignores paging (the same page again, or more features than it says it
has) is stopped with a clear error instead of being asked forever.

Every failure is an :class:`~planner.errors.InputError` that says what
happened and that the cached layer is unchanged: nothing here writes files.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from .errors import InputError, Problem

#: What a failed download leaves behind; every error message ends with it.
UNCHANGED = "the cached layer is unchanged"
MAX_REDIRECTS = 3
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """Bounds of one download (all requests of it together).

    Attributes
    ----------
    connect_timeout
        Seconds to open a connection.
    read_timeout
        Seconds to wait for the next bytes of an answer.
    total_timeout
        Seconds for the whole download, all pages together.
    max_bytes
        Bytes for the whole download, all pages together.
    max_pages
        Requests at most (a guard against paging that never ends).
    """

    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    total_timeout: float = 600.0
    max_bytes: int = 256 * 1024 * 1024
    max_pages: int = 500


class _Budget:
    """What is left of a download's time and bytes."""

    def __init__(self, limits: FetchLimits):
        self.limits = limits
        self.start = time.monotonic()
        self.bytes = 0

    def remaining(self) -> float:
        return self.limits.total_timeout - (time.monotonic() - self.start)

    def check_time(self, url: str) -> None:
        if self.remaining() <= 0:
            raise _error(f"the download took longer than the limit of {self.limits.total_timeout:g} s", url,
                         "try again later or raise the time limit (--timeout)")

    def add(self, size: int, url: str) -> None:
        self.bytes += size
        if self.bytes > self.limits.max_bytes:
            raise _error(f"the answer is larger than the limit of {_mb(self.limits.max_bytes)}", url,
                         "check the URL (a municipal layer is a few MB); raise the limit (--max-mb) if it is right")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.4g} MB"


def _error(message: str, url: str, fix: str) -> InputError:
    return InputError(Problem(message, fix=f"{fix}; {UNCHANGED}"), source=_safe_url(url))


def _safe_url(url: str) -> str:
    """The URL without user name or password, for messages."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def check_url(url: str) -> None:
    """Refuse anything but an http(s) address with a host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(Problem(f"'{url}' is not an http(s) address", fix="give a WFS URL (https://...)"))


def fetch_bytes(url: str, limits: FetchLimits, budget: _Budget | None = None) -> bytes:
    """The body of one GET request, within the limits.

    Raises
    ------
    InputError
        On a connection failure, a time-out, a body over the byte limit, an
        HTTP status other than 200, or too many redirects.
    """
    budget = budget or _Budget(limits)
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url)
        status, location, body = _get(url, limits, budget)
        if status in (301, 302, 303, 307, 308) and location:
            url = urllib.parse.urljoin(url, location)
            continue
        if status != 200:
            raise _error(f"the service answered HTTP {status}", url, "check the URL and the year, or try again later")
        return body
    raise _error(f"more than {MAX_REDIRECTS} redirects", url, "give the final address of the service")


def _get(url: str, limits: FetchLimits, budget: _Budget) -> tuple[int, str | None, bytes]:  # noqa: C901
    budget.check_time(url)
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "", parts.port,
                      timeout=max(0.01, min(limits.connect_timeout, budget.remaining())))
    watchdog: threading.Timer | None = None
    try:
        try:
            connection.connect()
        except TimeoutError:
            raise _error(f"no connection within {limits.connect_timeout:g} s (connect time-out)", url,
                         "check the internet connection or the URL") from None
        except OSError as exc:
            raise _error(f"download failed: {exc}", url,
                         "check the internet connection or the URL (or import a file with 'planner geodata "
                         "import')") from None
        sock = connection.sock

        def stop() -> None:  # the overall limit: unblock any read in progress
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(max(0.0, budget.remaining()), stop)
        watchdog.daemon = True
        watchdog.start()
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            sock.settimeout(max(0.01, min(limits.read_timeout, budget.remaining())))
            connection.request("GET", path, headers={"Accept": "application/json, application/geo+json",
                                                     "User-Agent": "planner"})
            answer = connection.getresponse()
            length = answer.getheader("Content-Length")
            if length and length.isdigit() and budget.bytes + int(length) > limits.max_bytes:
                raise _error(f"the answer announces {_mb(int(length))}, more than the limit of "
                             f"{_mb(limits.max_bytes)}", url,
                             "check the URL; raise the limit (--max-mb) if it is right")
            if answer.status != 200:
                return answer.status, answer.getheader("Location"), b""
            chunks = []
            while True:
                budget.check_time(url)
                sock.settimeout(max(0.01, min(limits.read_timeout, budget.remaining())))
                chunk = answer.read1(CHUNK)
                if not chunk:
                    break
                budget.add(len(chunk), url)
                chunks.append(chunk)
            budget.check_time(url)  # a watchdog shutdown looks like the end of the body
            if length and length.isdigit() and sum(map(len, chunks)) < int(length):
                raise _error(f"the answer was cut short ({sum(map(len, chunks))} of {length} bytes)", url,
                             "try again later")
            return answer.status, None, b"".join(chunks)
        except TimeoutError:
            budget.check_time(url)
            raise _error(f"no data for {limits.read_timeout:g} s (read time-out)", url, "try again later") from None
        except (http.client.HTTPException, OSError) as exc:
            budget.check_time(url)
            raise _error(f"download failed: {exc}", url, "try again later") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()


def crs_of(page: dict) -> str | None:
    """The CRS a GeoJSON page names (GeoJSON 2008 "crs" member), else None (RFC 7946: longitude/latitude)."""
    crs = page.get("crs")
    name = crs.get("properties", {}).get("name", "") if isinstance(crs, dict) else ""
    match = re.search(r"EPSG:+(?:[\d.]*:)?(\d+)", str(name))
    if match:
        return f"EPSG:{match.group(1)}"
    if "CRS84" in str(name):
        return "EPSG:4326"
    return None


def _page_url(url: str, page_size: int, start: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in ("count", "startindex", "maxfeatures")]
    query += [("count", str(page_size)), ("startIndex", str(start))]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, urllib.parse.urlencode(query), ""))


def fetch_pages(url: str, page_size: int = 1000, limits: FetchLimits | None = None,
                progress: Callable[[int, int | None], None] | None = None) -> tuple[list[dict], str | None]:
    """All features of a WFS GetFeature request (GeoJSON), page by page with ``count``/``startIndex``.

    Parameters
    ----------
    url
        The GetFeature URL; ``count`` and ``startIndex`` are set here.
    page_size
        Features per request.
    limits
        Time-outs and size limits for the whole download.
    progress
        Called after every page with the features so far and the total the
        service announced (``numberMatched``), or None.

    Returns
    -------
    The features and the CRS the first page named (None when it named none).

    Raises
    ------
    InputError
        Besides the errors of :func:`fetch_bytes`: an answer that is not
        GeoJSON, a page seen before (the service ignores ``startIndex``),
        more features than announced, or more pages than the limit.
    """
    limits = limits or FetchLimits()
    budget = _Budget(limits)
    features: list[dict] = []
    crs: str | None = None
    seen: set[str] = set()
    for number in range(limits.max_pages):
        page_url = _page_url(url, page_size, len(features))
        body = fetch_bytes(page_url, limits, budget)
        try:
            page = json.loads(body)
            batch = page["features"]
            if not isinstance(batch, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise _error(f"the answer for features {len(features)}+ is not complete GeoJSON ({len(body)} bytes)",
                         url, "try again later") from None
        if number == 0:
            crs = crs_of(page)
        fingerprint = hashlib.sha256(json.dumps(batch, sort_keys=True).encode()).hexdigest()
        if batch and fingerprint in seen:
            raise _error(f"the service sent the same {len(batch)} features again for startIndex={len(features)}: "
                         "it ignores paging", url, "try a larger --page-size (all features in one page) or "
                                                   "another URL")
        seen.add(fingerprint)
        features.extend(batch)
        matched = page.get("numberMatched")
        total = int(matched) if isinstance(matched, int | str) and str(matched).isdigit() else None
        if total is not None and len(features) > total:
            raise _error(f"the service sent {len(features)} features but announced {total}: it ignores paging",
                         url, "try a larger --page-size or another URL")
        if progress:
            progress(len(features), total)
        # The last page: fewer features than asked, all announced features, or a service that ignored
        # "count" and sent more than asked (everything at once).
        if len(batch) != page_size or (total is not None and len(features) >= total):
            return features, crs
    raise _error(f"more than {limits.max_pages} pages", url, "try a larger --page-size or another URL")


__all__ = ["UNCHANGED", "FetchLimits", "check_url", "crs_of", "fetch_bytes", "fetch_pages"]
