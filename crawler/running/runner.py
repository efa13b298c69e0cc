"""Run crawls in one Scrapy process: one after another, for one `crawl` or for months of
`schedule`.

A run may name ids, press lists, sections and walks at once; each kind is its own spider
(as with `scrapy crawl`), run in turn so that the second sees what the first recorded,
and the run stops at the first that does not finish (Ctrl-C, a crash). Ctrl-C and
SIGTERM are Scrapy's own: the running crawl stops gracefully, then the process ends.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.reactor import install_reactor

from crawler.running.outcome import article_outcome
from crawler.sources.targets import Job
from pipelines.state import StateExtension

T = TypeVar("T")
OutcomeListener = Callable[[Any, str, str], None]


@dataclass
class RunResult:
    """Stats of a run's crawlers added up, and how the run ended."""

    stats: Counter[str]
    finish_reason: str  # finished, shutdown, or what else stopped it
    health: list[str] = field(default_factory=list)  # what broke, if extraction looked broken
    error: str = ""        # why the run could not go on (the disk is full)
    unreachable: str = ""  # no request got an answer at all: why not


def run_result(crawlers: list[Crawler], jobs: list[Job]) -> RunResult:
    stats: Counter[str] = Counter()
    for crawler in crawlers:
        stats.update({key: value for key, value in crawler.stats.get_stats().items()
                      if key.startswith(("articles/", "discovery/", "downloader/"))})
    health = [line for crawler in crawlers for line in crawler.stats.get_value("health/report", [])]
    error = next((crawler.stats.get_value("run/error") for crawler in crawlers
                  if crawler.stats.get_value("run/error")), "")
    reasons = [crawler.stats.get_value("finish_reason") for crawler in crawlers]
    if len(reasons) == len(jobs) and all(reason == "finished" for reason in reasons) and not error:
        reason = "finished"
    else:
        reason = next((reason for reason in reasons if reason and reason != "finished"), "crashed")
    return RunResult(stats, reason, health, error, unreachable(stats))


def unreachable(stats: Counter[str]) -> str:
    """Why no request got any answer (`ConnectionRefusedError, 3 requests`), or '' if one did."""
    failures = {key.rsplit("/", 1)[1].rsplit(".", 1)[-1]: count for key, count in stats.items()
                if key.startswith("downloader/exception_type_count/")}
    if stats.get("downloader/response_count", 0) or not failures:
        return ""
    return f"{max(failures, key=failures.__getitem__)}, {stats.get('downloader/exception_count', 0)} requests"


class CrawlSession:
    """One Scrapy process (one reactor) in which crawls run one after another."""

    def __init__(self, settings: Settings) -> None:
        # Installed now, before anything imports the default reactor, so every crawl finds it.
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
        self.process = CrawlerProcess(settings)

    async def crawl(self, jobs: list[Job], overrides: Mapping[str, Any] | None = None,
                    on_outcome: OutcomeListener | None = None, crawlers: list[Crawler] | None = None) -> RunResult:
        """Run the jobs in turn, with `overrides` on top of the session's settings (a job's own
        settings). `crawlers`, if given, collects them, for a caller stopped before this returns."""
        crawlers = [] if crawlers is None else crawlers
        for job in jobs:
            if crawlers and crawlers[-1].stats.get_value("finish_reason") != "finished":
                break
            crawler = self.process.create_crawler(job.spider)
            crawler.settings.update(dict(overrides or {}), priority="cmdline")
            if on_outcome:
                crawler.signals.connect(on_outcome, signal=article_outcome)
            crawlers.append(crawler)
            await maybe_deferred_to_future(self.process.crawl(crawler, **job.args))
        return run_result(crawlers, jobs)

    def run(self, main: Callable[[], Awaitable[T]]) -> T | None:
        """Start the reactor, run `main` in it, stop. None when a signal stopped it first."""
        from twisted.internet import reactor
        from twisted.internet.error import ReactorNotRunning

        done: dict[str, Any] = {}

        def stop(_: Any) -> None:
            with suppress(ReactorNotRunning):  # a signal's graceful shutdown got there first
                reactor.stop()

        def begin() -> None:
            finished = deferred_from_coro(main())
            finished.addCallbacks(lambda value: done.update(value=value), lambda failure: done.update(error=failure))
            finished.addBoth(stop)

        reactor.callWhenRunning(begin)
        self.process.start(stop_after_crawl=False)
        if "error" in done:
            done["error"].raiseException()
        return done.get("value")


def run_jobs(settings: Settings, jobs: list[Job], on_outcome: OutcomeListener | None = None) -> RunResult:
    """One run, start to end, in a process of its own (the `crawl` command)."""
    session = CrawlSession(settings)
    crawlers: list[Crawler] = []
    result = session.run(lambda: session.crawl(jobs, on_outcome=on_outcome, crawlers=crawlers))
    if result is not None:
        return result
    # A second Ctrl-C stopped the reactor before the crawl could close: keep what it recorded.
    for crawler in crawlers:
        extension = crawler.get_extension(StateExtension) if crawler.extensions else None
        if extension is not None and not extension.state.closed:
            extension.guarded(extension.state.close)
    return RunResult(run_result(crawlers, jobs).stats, "shutdown")
