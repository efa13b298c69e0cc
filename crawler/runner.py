"""Run crawls: one or more spiders one after another in one Scrapy process, on one folder.

A `naver-news crawl` may name ids, press lists, sections and walks at once; each kind
is its own spider (as with `scrapy crawl`), run in turn so that the second sees what the
first recorded, and the run stops at the first that does not finish (Ctrl-C, a crash).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from crawler.outcome import article_outcome


@dataclass
class Job:
    spider: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    """Stats of all the run's crawlers added up, and how the run ended."""

    stats: Counter[str]
    finish_reason: str  # finished, shutdown, or what stopped it


def run_jobs(settings: Settings, jobs: list[Job],
             on_outcome: Callable[[Any, str, str], None] | None = None) -> RunResult:
    process = CrawlerProcess(settings)
    crawlers: list[Crawler] = []

    def start(index: int) -> Any:
        if index == len(jobs) or (crawlers and crawlers[-1].stats.get_value("finish_reason") != "finished"):
            return None
        crawler = process.create_crawler(jobs[index].spider)
        if on_outcome:
            crawler.signals.connect(on_outcome, signal=article_outcome)
        crawlers.append(crawler)
        # The next crawl is added before this one leaves the process's active set, so
        # process.start() keeps the reactor running until the last one is done.
        return process.crawl(crawler, **jobs[index].args).addCallback(lambda _: start(index + 1))

    start(0)
    process.start()
    stats: Counter[str] = Counter()
    for crawler in crawlers:
        stats.update({key: value for key, value in crawler.stats.get_stats().items()
                      if key.startswith(("articles/", "discovery/"))})
    reasons = [crawler.stats.get_value("finish_reason") for crawler in crawlers]
    finished = len(reasons) == len(jobs) and all(reason == "finished" for reason in reasons)
    failed = next((reason for reason in reasons if reason != "finished"), None)
    return RunResult(stats, "finished" if finished else failed or "crashed")
