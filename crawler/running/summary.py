"""The run summary: what a run requested and what became of it, from Scrapy's stats."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.running.health import health_report
from crawler.running.outcome import OUTCOMES, WRITTEN

logger = logging.getLogger(__name__)


def format_summary(stats: Mapping[str, Any], out_dir: str) -> str:
    """`requested 9, written 6 (new 6, updated 0), unchanged 0, …, failed 0 → output`."""
    count = {name: stats.get(f"articles/{name}", 0) for name in OUTCOMES}
    written = ", ".join(f"{name} {count[name]}" for name in WRITTEN)
    rest = ", ".join(f"{name} {count[name]}" for name in OUTCOMES if name not in WRITTEN)
    return (f"requested {stats.get('articles/requested', 0)}, "
            f"written {sum(count[name] for name in WRITTEN)} ({written}), {rest} → {out_dir}")


def format_sources(stats: Mapping[str, Any]) -> list[str]:
    """One line per discovery source: `press 648: 3 pages listed, 52 links, 50 known skipped, 2 fetched`."""
    sources = sorted({key[len("discovery/"):key.rindex("/")] for key in stats if key.startswith("discovery/")})
    lines = []
    for source in sources:
        count = {name: stats.get(f"discovery/{source}/{name}", 0) for name in ("pages", "links", "skipped", "fetched")}
        listed = f"{count['pages']} pages listed, " if not source.startswith("follow") else ""
        lines.append(f"{source}: {listed}{count['links']} links, {count['skipped']} known skipped, "
                     f"{count['fetched']} fetched")
    return lines


class RunSummary:
    """At the end of a run: the health report into the stats (before the state records the
    run), and the summary, per-source counts and any health report into the log (the
    `naver-news` command prints them too)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        return cls(crawler)

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        report = health_report(stats, self.crawler.settings)
        if report:
            self.crawler.stats.set_value("health/report", report)
        for line in format_sources(stats):
            logger.info("discovery: %s", line)
        logger.info("run summary (%s): %s", reason, format_summary(stats, self.crawler.settings.get("OUTPUT_DIR")))
        for line in report:
            logger.error(line)
