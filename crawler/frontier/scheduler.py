"""The two schedulers of the shared frontier.

`SeedingScheduler`, the archive side's: scrapy-redis's scheduler, whose requests go to the
run's shared queue (through its shared dupefilter) and never to this process's own
downloader: workers fetch them.

`WorkerScheduler`, a worker's: every tick it renews its heartbeat, follows the run the
archive side announces (building that run's job spider, whose callbacks read the
answers), and, unless too many answers wait for the archive side, takes requests from
the queue under a lease. A taken request's redirects and retries stay with the worker
that holds its lease.
"""
from __future__ import annotations

import logging
from collections import deque
from typing import Any

from redis.exceptions import RedisError
from scrapy import Request, Spider
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.archive.recording import CARRIED
from crawler.frontier.connection import redis_client, shown
from crawler.frontier.delivery import LEASE, RUN, Delivery
from crawler.frontier.run import Run, RunRecord, worker_name

logger = logging.getLogger(__name__)

SEED_BATCH = 64
TICK = 0.25  # seconds between a worker's heartbeats (and its look for work when idle)
# Meta of a request a worker takes while idle, handed to the engine to wake it.
WAKING = "frontier_waking"


class SeedingScheduler(Scheduler):
    """Requests are checked against the shared dupefilter and queued in batches, a round trip
    for each (the intake flushes the batch before it looks whether the run is complete)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: list[Request] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedingScheduler:
        from crawler.frontier.intake import IntakeMiddleware

        intake = crawler.get_spider_middleware(IntakeMiddleware)
        assert intake is not None  # the add-on sets both
        scheduler = cls(server=intake.server, persist=True, queue_key=intake.run.queue,
                        queue_cls="crawler.frontier.queue.SharedQueue",
                        dupefilter=RFPDupeFilter(intake.server, intake.run.seen))
        scheduler.stats = crawler.stats
        intake.seeding = scheduler
        return scheduler

    def enqueue_request(self, request: Request) -> bool:
        self.pending.append(request)
        if len(self.pending) >= SEED_BATCH:
            self.flush()
        return True

    def flush(self) -> None:
        """Queue what is pending and not seen in this run before."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        with self.server.pipeline(transaction=False) as pipe:
            for request in pending:
                pipe.sadd(self.df.key, self.df.request_fingerprint(request))
            added = pipe.execute()
        fresh = []
        for request, new in zip(pending, added, strict=True):
            if new or request.dont_filter:
                fresh.append(request)
            else:
                self.df.log(request, self.spider)
        self.queue.push_all(fresh)
        self.stats.inc_value("scheduler/enqueued/redis", len(fresh))

    def next_request(self) -> None:
        return None  # workers fetch; this side only applies their answers

    def has_pending_requests(self) -> bool:
        return False  # the intake says when the run is complete


class Serving:
    """The run a worker serves: its keys, its job spider, its dupefilter, its deliveries."""

    def __init__(self, scheduler: WorkerScheduler, record: RunRecord) -> None:
        crawler = scheduler.crawler
        self.record = record
        self.run = Run(scheduler.server, record.id)
        spidercls = get_spider_loader(crawler.settings).load(record.spider)
        self.job: Spider = spidercls.from_crawler(crawler, **record.args)
        self.seen = RFPDupeFilter(scheduler.server, self.run.seen)
        self.delivery = Delivery(crawler, self.run, scheduler.name, self.job, scheduler.redis_lost)

    def request(self, data: bytes) -> Request:
        request = request_from_dict(picklecompat.loads(data), spider=self.job)
        request.meta.update({LEASE: data, RUN: self.run.id})
        if self.record.warc:
            request.meta[CARRIED] = []
        self.delivery.wrap(request)
        return request


class WorkerScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        self.url = shown(crawler.settings["REDIS_URL"])
        self.name = worker_name()
        self.timeout = crawler.settings.getfloat("FRONTIER_WORKER_TIMEOUT")
        self.max_backlog = crawler.settings.getint("FRONTIER_MAX_BACKLOG")
        self.serving: Serving | None = None
        self.refused = ""   # a run this worker cannot serve (its spider is unknown here)
        self.continuing: deque[Request] = deque()
        self.full = False   # too many answers wait for the archive side: take nothing
        self.down = False   # Redis is gone: wait for it
        self.ticker = task.LoopingCall(self.tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerScheduler:
        return cls(crawler, redis_client(crawler.settings))  # checked by the add-on already

    def open(self, spider: Spider) -> None:
        logger.info("worker %s waiting for runs on %s", self.name, self.url)
        self.ticker.start(TICK, now=True)

    def close(self, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.leave()

    def has_pending_requests(self) -> bool:
        return True  # a worker serves until it is stopped

    def enqueue_request(self, request: Request) -> bool:
        serving = self.serving
        if serving is None or request.meta.get(RUN) != serving.run.id:
            return False  # of a run that ended: nobody waits for its answer
        if not request.meta.pop(WAKING, False) and not request.dont_filter:
            try:
                if serving.seen.request_seen(request):  # a redirect to a page the run has
                    serving.delivery.send(request, [])
                    return False
            except RedisError as error:
                self.redis_lost(error)
                return False
        self.continuing.append(request)
        return True

    def next_request(self) -> Request | None:
        if self.continuing:
            return self.continuing.popleft()
        serving = self.serving
        if serving is None or self.full or self.down:
            return None
        try:
            data = serving.run.take(self.name)
        except RedisError as error:
            self.redis_lost(error)
            return None
        return serving.request(data) if data else None

    def tick(self) -> None:
        try:
            record = Run.current(self.server)
            if self.down:
                logger.warning("Redis at %s is back", self.url)
                self.down = False
            announced = record.id if record else ""
            if announced != (self.serving.run.id if self.serving else "") and (not announced
                                                                               or announced != self.refused):
                self.switch(record)
            if self.serving is not None:
                self.serving.run.heartbeat(self.name, self.timeout)
                self.full = self.serving.run.backlog() >= self.max_backlog
        except RedisError as error:
            self.redis_lost(error)
            return
        engine = self.crawler.engine
        if self.serving is not None and not self.continuing and engine.running and not engine.needs_backout():
            request = self.next_request()  # the engine went quiet: wake it with work
            if request is not None:
                request.meta[WAKING] = True
                engine.crawl(request)

    def switch(self, record: RunRecord | None) -> None:
        self.leave()
        if record is None:
            return
        try:
            self.serving = Serving(self, record)
        except (KeyError, ValueError, TypeError) as error:
            self.refused = record.id
            logger.error("cannot serve run %s (%s for %s): %s", record.id, record.spider, record.archive, error)
            return
        self.serving.run.give_back(self.name)  # held before Redis went away: taken again, by anyone
        logger.info("serving run %s: %s for %s", record.id, record.spider, record.archive)

    def leave(self) -> None:
        """Give back what this worker holds of its run, and stop serving it."""
        serving, self.serving = self.serving, None
        self.continuing.clear()
        if serving is not None and not self.down:
            try:
                given = serving.run.give_back(self.name)
            except RedisError:
                return
            if given:
                logger.info("gave %d requests back to run %s", given, serving.run.id)

    def redis_lost(self, error: Exception) -> None:
        if not self.down:
            logger.error("lost Redis at %s (%s): waiting for it to come back", self.url, error)
        self.down = True
        self.serving = None
        self.continuing.clear()
