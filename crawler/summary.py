"""The run summary: what a run requested and what became of it, from Scrapy's stats."""
from __future__ import annotations

import logging
from typing import Any, Mapping

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

OUTCOMES = ("requested", "written", "gone", "unsupported", "failed")


def format_summary(stats: Mapping[str, Any], out_dir: str) -> str:
    """One line: `requested 9, written 7, gone 1, unsupported 1, failed 0 → output`."""
    counts = ", ".join(f"{name} {stats.get(f'articles/{name}', 0)}" for name in OUTCOMES)
    return f"{counts} → {out_dir}"


class RunSummary:
    """Counts articles whose pipelines raised as failed, and logs the summary when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RunSummary":
        return cls(crawler)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        self.crawler.stats.inc_value("articles/failed")

    def spider_closed(self, spider: Any, reason: str) -> None:
        summary = format_summary(self.crawler.stats.get_stats(), self.crawler.settings.get("OUTPUT_DIR"))
        logger.info("run summary (%s): %s", reason, summary)
