"""The archive side of the shared frontier: announce the run, seed it, then apply the
workers' answers until it is complete.

A spider middleware around the job spider's start: the spider's own start requests pass
first (through the known-article skip, to the shared queue); then every answer's items
go on to the pipelines, its WARC records into the folder's archive, and its requests
(links a list gave) back through the same skip, as if this process had read the page.
So the state, the files and the summary are those of a local crawl.
"""
from __future__ import annotations

import logging
import os
import pickle
import socket
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.request import request_from_dict
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler.archive.recording import PENDING, WarcMiddleware
from crawler.frontier.connection import redis_client, shown
from crawler.frontier.delivery import Answer, merge_stats
from crawler.frontier.run import Run, RunRecord, busy, new_run_id

logger = logging.getLogger(__name__)

ANSWERS_AT_ONCE = 64
IDLE_WAIT = 0.02          # seconds between looks at an empty answer list
UPKEEP_EVERY = 1.0        # seconds between renewing the run and requeueing silent workers
ANNOUNCEMENT_TTL = 30.0   # a run whose archive side died is forgotten after this long
NO_WORKER_WARNING = 10.0  # seconds of queued work and no worker before saying so


class IntakeMiddleware:
    def __init__(self, crawler: Crawler, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        self.url = shown(crawler.settings["REDIS_URL"])
        self.run = Run(server, new_run_id())  # its keys are the seeding scheduler's from the start
        self.upkept = 0.0
        self.unserved_since: float | None = None
        self.in_pipelines = 0  # items handed on and not through the pipelines yet
        self.seeding: Any = None  # the SeedingScheduler, which registers itself here
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        for done in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=done)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IntakeMiddleware:
        if not crawler.settings.get("REDIS_URL") or crawler.settings.getbool("NAVER_NEWS_WORKER"):
            raise NotConfigured
        return cls(crawler, redis_client(crawler.settings))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            async for thing in self.serve(start):
                yield thing
        except CloseSpider:
            # Scrapy's scraper, once closing, looks again only when a response is done, and
            # this side gets none: items still in the pipelines would hold the close forever.
            while self.in_pipelines:
                await self.idle()
            raise

    async def serve(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The seeds, then every answer, in a run announced on Redis."""
        spider = self.crawler.spider
        archive = self.crawler.get_downloader_middleware(WarcMiddleware)
        self.warc = archive if archive is not None and archive.archive is not None else None
        folder = os.path.abspath(self.crawler.settings["OUTPUT_DIR"])
        record = RunRecord(self.run.id, spider.name, spider.arguments, warc=self.warc is not None,
                           archive=f"{socket.gethostname()}:{folder}")
        try:
            other = self.run.announce(record, ANNOUNCEMENT_TTL)
            if other is not None:
                self.stop("frontier_busy", busy(self.url, other))
            logger.info("run %s announced on %s: %s", self.run.id, self.url, spider.name)
            async for seed in start:
                yield seed
                self.upkeep()
            self.seeding.flush()
            async for thing in self.answers():
                yield thing
        except RedisError as error:
            self.stop("redis_lost", f"lost Redis at {self.url} ({error}): the run stopped; what was written "
                                    "stays, the rest is fetched next run")

    async def answers(self) -> AsyncIterator[Any]:
        """Every answer's items and requests, until nothing is queued, held or delivered."""
        while True:
            self.upkeep()
            batch = self.run.take_answers(ANSWERS_AT_ONCE)
            for data in batch:
                for thing in self.apply(pickle.loads(data)):
                    yield thing
            self.seeding.flush()  # what the answers' links added
            if batch:
                continue
            if self.run.outstanding() == 0 and not self.in_pipelines:
                return  # (with the pipelines done, the engine sees at once that the run is over)
            await self.idle()

    async def idle(self) -> None:
        await maybe_deferred_to_future(deferLater(reactor, IDLE_WAIT, lambda: None))

    def apply(self, answer: Answer) -> Iterator[Any]:
        merge_stats(self.crawler.stats, answer.stats)
        locations = [self.warc.append(pair) for pair in answer.pairs] if self.warc else []
        for item in answer.items:
            archived = item.get("archived", "") if "archived" in item.fields else ""
            if archived.startswith(PENDING):
                index = int(archived[len(PENDING):])
                item["archived"] = locations[index] if index < len(locations) else ""
            self.in_pipelines += 1
            yield item
        for data in answer.requests:
            yield request_from_dict(data, spider=self.crawler.spider)

    def item_done(self) -> None:
        self.in_pipelines -= 1

    def upkeep(self) -> None:
        """Now and then: keep the announcement, put back what silent workers held, and say so
        when work waits and no worker serves it."""
        if time.monotonic() - self.upkept < UPKEEP_EVERY:
            return
        self.upkept = time.monotonic()
        if not self.run.renew(ANNOUNCEMENT_TTL):
            self.stop("frontier_lost", f"the run's announcement on {self.url} is gone (was Redis restarted?): "
                                       "the run stopped; what was written stays")
        for worker, count in self.run.requeue_silent():
            logger.warning("worker %s stopped answering: %d requests it held go back to the queue", worker, count)
        if self.server.scard(self.run.workers):
            self.unserved_since = None
        elif self.unserved_since is None:
            self.unserved_since = self.upkept
        elif self.upkept - self.unserved_since > NO_WORKER_WARNING:
            logger.warning("no worker serves this run: start one with naver-news worker --redis %s", self.url)
            self.unserved_since = self.upkept

    def stop(self, reason: str, message: str) -> None:
        logger.error(message)
        self.crawler.stats.set_value("run/error", message)
        raise CloseSpider(reason)

    def spider_closed(self) -> None:
        try:
            self.run.end()
        except RedisError:
            pass  # gone with the server
