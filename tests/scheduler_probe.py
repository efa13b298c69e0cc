"""A test's window on a real crawl: the most requests its scheduler held at once, written at
the end to the file the SCHEDULER_PROBE environment variable names. Loaded into the real
command with `-s EXTENSIONS=…` (the repository root on PYTHONPATH)."""
from __future__ import annotations

import os
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler


class SchedulerPeak:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler, self.peak = crawler, 0
        crawler.signals.connect(self.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchedulerPeak:
        return cls(crawler)

    def scheduled(self) -> None:
        self.peak = max(self.peak, len(self.crawler.engine.scheduler))

    def closed(self) -> None:
        Path(os.environ["SCHEDULER_PROBE"]).write_text(str(self.peak))
