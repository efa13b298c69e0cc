"""Honour `Retry-After` on 429 and 503: slow the whole host down before Scrapy's retry.

RetryMiddleware re-sends the request; this middleware makes the host's download slot
wait at least the time the server asked for, so no request to it goes out sooner.
AutoThrottle later eases the delay back down as healthy answers come in.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

logger = logging.getLogger(__name__)

BACKOFF_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in BACKOFF_STATUSES or not header:
            return response
        wait = retry_after_seconds(header.decode("latin-1"))
        if wait is None:
            return response
        if wait > self.max_wait:
            self.crawler.stats.inc_value("retry_after/too_long")
            raise IgnoreRequest(f"{request.url}: Retry-After {wait:.0f}s is longer than RETRY_AFTER_MAX")
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        # The slot's delay varies by ±jitter; scale it so even the shortest draw waits long enough.
        delay = wait / max(1.0 - slot.jitter, 0.1) if slot is not None else 0.0
        if slot is not None and slot.delay < delay:
            logger.info("%s asked us to wait %.0fs (Retry-After); slowing down", response.url, wait)
            slot.delay = delay
        self.crawler.stats.inc_value("retry_after/honoured")
        return response
