"""A worker's side of a request: read its answer with the job spider's own callback, and
deliver everything it gave as one answer, while the request's lease is held.

A taken request's callback and errback are wrapped (`Delivery.wrap`): the job's callback
runs to its end at once, and what it yielded (items, and requests for the archive side
to check and queue), the WARC record pairs its responses left in the meta, and the stats
counted since the worker's last answer go to Redis together. The archive side applies an
answer once: a worker killed before delivering leaves its lease, which goes back to the
queue; a worker that delivers after losing its lease is refused.
"""
from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from redis.exceptions import RedisError
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from crawler.archive.recording import CARRIED
from crawler.frontier.queue import request_dict
from crawler.frontier.run import Run
from crawler.running.health import add_example

logger = logging.getLogger(__name__)

# Meta of a taken request: the queue entry it came from (what its delivery frees) and its run.
LEASE, RUN = "frontier_lease", "frontier_run"
# The stats an answer carries: what the archive side's summary, health check and state read.
CARRIED_STATS = ("articles/", "discovery/", "health/", "downloader/")


@dataclass
class Answer:
    """Everything one request gave on a worker."""

    items: list[Any]
    requests: list[dict[str, Any]]  # Request.to_dict() of what the callback yielded
    pairs: list[bytes]              # WARC record pairs; an item's `pending:N` is the Nth
    stats: dict[str, Any]           # counted since the worker's previous answer


def counted(stats: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in stats.items() if key.startswith(CARRIED_STATS)}


def stats_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed: numbers as differences, example lists as what was added."""
    delta: dict[str, Any] = {}
    for key, value in after.items():
        old = before.get(key)
        if isinstance(value, list):
            if value[len(old or []):]:
                delta[key] = value[len(old or []):]
        elif isinstance(value, (int, float)) and value != (old or 0):
            delta[key] = value - (old or 0)
    return delta


def merge_stats(stats: StatsCollector, delta: dict[str, Any]) -> None:
    """Add a worker's counts to the archive side's, as if counted there."""
    for key, value in delta.items():
        if isinstance(value, list):
            for example in value:
                add_example(stats, key, example)
        else:
            stats.inc_value(key, value)


class Delivery:
    """A worker's answers for one run."""

    def __init__(self, crawler: Crawler, run: Run, worker: str, job: Spider,
                 lost: Callable[[Exception], None]) -> None:
        self.crawler = crawler
        self.lost = lost  # Redis went away: the worker waits for it
        self.run = run
        self.worker = worker
        self.job = job
        self.reported = counted(crawler.stats.get_stats())

    def wrap(self, request: Request) -> None:
        """Make a taken request deliver its answer, whatever becomes of it."""
        request.callback = partial(self.answered, request.callback or self.job.parse)
        request.errback = partial(self.failed, request.errback)

    def answered(self, callback: Callable[..., Any], response: Any, **kwargs: Any) -> tuple[()]:
        self.deliver(response.request, lambda: callback(response, **kwargs))
        return ()

    def failed(self, errback: Callable[[Failure], Any] | None, failure: Failure) -> Any:
        if not self.crawler.engine.running:
            return None  # stopping: the lease goes back to the queue, for another worker
        if errback is None:
            self.deliver(failure.request, lambda: ())
            return failure  # logged by Scrapy, as without a frontier
        self.deliver(failure.request, lambda: errback(failure))
        return ()

    def deliver(self, request: Request, produce: Callable[[], Iterable[Any] | None]) -> None:
        """Run the job's callback to its end, then deliver what it gave (also when it raised
        part way: what it gave before stays delivered, and Scrapy reports the error)."""
        produced: list[Any] = []
        try:
            produced.extend(produce() or ())
        finally:
            self.send(request, produced)

    def send(self, request: Request, produced: list[Any]) -> None:
        now = counted(self.crawler.stats.get_stats())
        answer = Answer(items=[thing for thing in produced if not isinstance(thing, Request)],
                        requests=[request_dict(thing) for thing in produced if isinstance(thing, Request)],
                        pairs=request.meta.get(CARRIED) or [], stats=stats_delta(self.reported, now))
        self.reported = now
        try:
            delivered = self.run.deliver(self.worker, request.meta[LEASE], pickle.dumps(answer, protocol=5))
        except RedisError as error:
            self.lost(error)
            return
        if not delivered:
            logger.info("answer for %s dropped: its lease had gone back to the queue", request.url)
