"""Log records below LOG_LEVEL are never built.

Scrapy sets the root logger to NOTSET (at each crawler's creation and again as it starts)
and its own `scrapy` logger to DEBUG, and filters at its handler: the debug lines of every
response and item ("Crawled", "Scraped from") and each article's outcome line were built
and then dropped, three records per article. Once the engine runs, both loggers are set
to LOG_LEVEL, which drops the same records before they are built."""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler


class RootLogLevel:
    def __init__(self, crawler: Crawler) -> None:
        self.level = crawler.settings["LOG_LEVEL"]
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RootLogLevel:
        return cls(crawler)

    def engine_started(self) -> None:
        for logger in (logging.root, logging.getLogger("scrapy")):
            logger.setLevel(self.level)
