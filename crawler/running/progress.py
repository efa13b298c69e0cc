"""Progress of a long run: on a terminal one live line, redrawn every second; without one
(cron, systemd, a pipe) a plain line every PROGRESS_INTERVAL seconds. Enabled by the
`naver-news` command (PROGRESS_ENABLED), not by `scrapy crawl`, which has LogStats."""
from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.running.outcome import OUTCOMES, WRITTEN

CLEAR_LINE = "\r\033[K"


def progress_line(stats: dict[str, Any], elapsed: float) -> str:
    """`pages 120 · written 95 · skipped 3 · 38.2 articles/s · errors 0`"""
    written = sum(stats.get(f"articles/{name}", 0) for name in WRITTEN)
    done = sum(stats.get(f"articles/{name}", 0) for name in OUTCOMES if name != "skipped")
    errors = stats.get("articles/failed", 0)
    return (f"pages {stats.get('downloader/response_count', 0)} · written {written} · "
            f"skipped {stats.get('articles/skipped', 0)} · {done / max(elapsed, 1e-9):.1f} articles/s · "
            f"errors {errors}")


class Progress:
    def __init__(self, crawler: Crawler, stream: TextIO) -> None:
        self.crawler = crawler
        self.stream = stream
        self.live = stream.isatty()
        self.interval = 1.0 if self.live else crawler.settings.getfloat("PROGRESS_INTERVAL")
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        return cls(crawler, sys.stderr)

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def show(self) -> None:
        line = f"{self.crawler.spider.name}: " + progress_line(self.crawler.stats.get_stats(),
                                                              time.monotonic() - self.started)
        self.stream.write(f"{CLEAR_LINE}{line}" if self.live else f"{line}\n")
        self.stream.flush()

    def spider_closed(self, spider: Any) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.live:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
