"""Start requests are taken only as fast as the crawl can send them.

Scrapy reads a spider's `start()` as fast as it yields while the downloader is busy, so a
run of 20,000 ids held 15,000 requests in the scheduler at once, and its memory grew with
the size of the run. This is Scrapy's own remedy (its docs, "Delaying start request
iteration"), as a spider middleware so every spider has it, and after the known-article
skip (50): a skipped article makes no one wait.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler


class LazyStartMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LazyStartMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            if isinstance(item_or_request, Request) and self.crawler.engine.needs_backout():
                await self.crawler.signals.wait_for(signals.scheduler_empty)
            yield item_or_request
