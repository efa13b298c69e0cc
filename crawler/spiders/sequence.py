"""The `sequence` spider: walk one office's aids upwards until a run of misses.

    scrapy crawl sequence -a oid=648 [-a start_aid=0000043000] [-a max_misses=20]

Aids are dense per office and rise over time, so walking them from the highest one
the folder knows (its frontier) finds everything new, cheaply. Without `start_aid` the
walk starts just above the frontier. It never asks for an aid more than `max_misses`
above the last one that exists, so it stops after exactly that many consecutive misses
(gone or 404); the next run starts from the new frontier.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from crawler.items import Article, UnavailableArticle
from crawler.reading.article_page import OK, UNSUPPORTED
from crawler.sources.ids import AID_DIGITS, ArticleId, parse_oid
from crawler.spiders.article import ArticlePageSpider
from pipelines.state import StateExtension


def no_frontier_message(oid: str) -> str:
    return f"no article of press {oid} is known in this folder: give a start aid (--start-aid, -a start_aid=)"


def parse_aid(value: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= AID_DIGITS and int(text)):
        raise ValueError(f"invalid aid {value!r}: expected 1 to {AID_DIGITS} digits, like 0000043000")
    return int(text)


def parse_max_misses(value: str | int) -> int:
    text = str(value).strip()
    if not (text.isdigit() and 0 < int(text) <= 10_000):
        raise ValueError(f"invalid max misses {value!r}: expected a whole number from 1 to 10000")
    return int(text)


class SequenceSpider(ArticlePageSpider):
    name = "sequence"
    distributable = False  # each aid asked for depends on the answer before it
    # Oldest request first: the walk is issued in aid order and should be fetched so.
    custom_settings = {"SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
                       "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue"}

    def __init__(self, oid: str = "", start_aid: str = "", max_misses: str | int = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.oid = parse_oid(oid)
        self.start_aid = parse_aid(start_aid) if start_aid else None
        self.max_misses = parse_max_misses(max_misses) if max_misses else 0
        self.source = f"follow {self.oid}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Not `self.state`: Scrapy's SpiderState keeps that attribute for JOBDIR.
        self.article_state = self.crawler.get_extension(StateExtension).state
        self.max_misses = self.max_misses or parse_max_misses(self.settings.getint("SEQUENCE_MAX_MISSES"))
        self.frontier = self.article_state.frontier(self.oid) or 0
        if self.start_aid is None and not self.frontier:
            self.logger.error(no_frontier_message(self.oid))
            raise CloseSpider("no_start_aid")
        first = self.start_aid if self.start_aid is not None else self.frontier + 1
        self.last_hit = first - 1   # the walk may go max_misses above this
        self.issued = first - 1     # the highest aid requested (or settled from the state)
        for request in self.extend():
            yield request

    def extend(self) -> Iterator[scrapy.Request]:
        """Requests for every aid up to max_misses above the last hit, in order."""
        stats = self.crawler.stats
        while self.issued < self.last_hit + self.max_misses and self.issued < 10 ** AID_DIGITS - 1:
            self.issued += 1
            article = ArticleId(self.oid, f"{self.issued:0{AID_DIGITS}d}")
            stats.inc_value(f"discovery/{self.source}/links")
            known = self.article_state.known(article.key)
            if self.issued <= self.frontier and known and not self.force and not self.article_state.is_due(article.key):
                # Settled below the frontier: the state answers, without a request.
                stats.inc_value(f"discovery/{self.source}/skipped")
                if known.status in (OK, UNSUPPORTED):
                    self.last_hit = self.issued
                continue
            # Above the frontier a gone aid is asked again every run: it is where new articles appear.
            yield self.article_request(article, article.url, force=self.issued > self.frontier,
                                       source=self.source)

    def parse_article(self, response: Response, article: ArticleId,
                      given_url: str) -> Iterable[Article | UnavailableArticle | scrapy.Request]:
        items = list(super().parse_article(response, article, given_url))
        yield from items
        if any(isinstance(item, Article) or item.get("status") == UNSUPPORTED for item in items):
            self.last_hit = max(self.last_hit, int(article.aid))
            yield from self.extend()
