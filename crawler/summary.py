"""The run summary: what a run requested and what became of it, from Scrapy's stats."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.outcome import OUTCOMES, WRITTEN

logger = logging.getLogger(__name__)


def format_summary(stats: Mapping[str, Any], out_dir: str) -> str:
    """`requested 9, written 6 (new 6, updated 0), unchanged 0, …, failed 0 → output`."""
    count = {name: stats.get(f"articles/{name}", 0) for name in OUTCOMES}
    written = ", ".join(f"{name} {count[name]}" for name in WRITTEN)
    rest = ", ".join(f"{name} {count[name]}" for name in OUTCOMES if name not in WRITTEN)
    return (f"requested {stats.get('articles/requested', 0)}, "
            f"written {sum(count[name] for name in WRITTEN)} ({written}), {rest} → {out_dir}")


class RunSummary:
    """Logs the summary when the spider closes (the `naver-news` command prints it too)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        return cls(crawler)

    def spider_closed(self, spider: Any, reason: str) -> None:
        summary = format_summary(self.crawler.stats.get_stats(), self.crawler.settings.get("OUTPUT_DIR"))
        logger.info("run summary (%s): %s", reason, summary)
