"""Skip before fetching: article requests the state says are not due never reach the scheduler.

A spider middleware, like scrapy-deltafetch: every spider's article requests (those
with an `article` in cb_kwargs) pass through it, from `start()` and from callbacks
alike. Within one run an article is requested once, whatever URL form names it.
`meta["force"]` (the recrawl) fetches regardless of the state. A request with
`meta[CONTINUES_ARTICLE]` goes on with an article already let through (the API answer of
a page that redirected to the entertainment or sports site), so it passes.

The requests let through are marked `dont_filter`: this check, by article key, is already
stronger than the scheduler's by URL fingerprint, which would only keep a second record
of every article of a long run (~200 bytes each).
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.running.outcome import report_outcome
from pipelines.state import StateExtension

CONTINUES_ARTICLE = "continues_article"


class KnownArticlesMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state = crawler.get_extension(StateExtension).state
        self.seen: set[str] = set()  # article keys: a short string each, all a long run keeps

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticlesMiddleware:
        return cls(crawler)

    def wanted(self, request: Any) -> bool:
        article = request.cb_kwargs.get("article") if isinstance(request, Request) else None
        if article is None or request.meta.get(CONTINUES_ARTICLE):
            return True
        key = article.key
        if key in self.seen:
            return False
        self.seen.add(key)
        wanted = request.meta.get("force") or self.state.is_due(key)
        if request.meta.get("source"):  # found by a list or a walk: counted per source
            self.crawler.stats.inc_value(f"discovery/{request.meta['source']}/{'fetched' if wanted else 'skipped'}")
        if not wanted:
            report_outcome(self.crawler, key, "skipped")
            return False
        request.dont_filter = True
        return True

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            if self.wanted(item_or_request):
                yield item_or_request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return (item_or_request for item_or_request in result if self.wanted(item_or_request))

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in result:
            if self.wanted(item_or_request):
                yield item_or_request
