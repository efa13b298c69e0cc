"""The `reparse` spider: read archived pages again with today's rules, fetching nothing.

    scrapy crawl reparse [-a ids=648/0000043044,…] [-a press=001,…] [-a since=2026-11-01 -a until=…]

Each selected article's page is read from the folder's web archive at the record the
state names, and goes through the very same reading and pipelines as a crawled page, so
a file is rewritten only where today's rules give other text (outcome `reparsed`), and a
page that failed before and reads well now gets its file. Items come straight from the
archive: no request is made, none is scheduled.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import date
from typing import Any

import scrapy

from crawler.archive.replay import archived_response
from crawler.archive.warc_files import LOCATION, archive_files, warc_dir
from crawler.items import Article, PageEvidence, UnavailableArticle
from crawler.sources.dates import parse_day
from crawler.sources.ids import parse_article_ref, parse_oid
from crawler.spiders.article import ArticlePageSpider
from crawler.spiders.day_list import comma_list
from pipelines.state import StateExtension


class ReparseSpider(ArticlePageSpider):
    name = "reparse"
    distributable = False  # it reads this folder's own archive
    custom_settings = {"NAVER_NEWS_REPARSE": True}  # files written here are `reparsed`

    def __init__(self, ids: str | Iterable[str] = "", press: str | Iterable[str] = "", since: str | date = "",
                 until: str | date = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids = [parse_article_ref(value).key for value in comma_list(ids)]
        self.press = [parse_oid(oid) for oid in comma_list(press)]
        self.since = parse_day(since).isoformat() if isinstance(since, str) and since else str(since or "")
        self.until = parse_day(until).isoformat() if isinstance(until, str) and until else str(until or "")

    async def start(self) -> AsyncIterator[Article | UnavailableArticle | PageEvidence]:
        state = self.crawler.get_extension(StateExtension).state
        files = archive_files(warc_dir(state.out_dir))
        for row in state.archived(self.ids, self.press, self.since, self.until):
            article = parse_article_ref(row["id"])
            self.crawler.stats.inc_value("articles/requested")
            request = scrapy.Request(row["url"], meta={LOCATION: row["warc"]})
            try:
                response = archived_response(files, row["warc"], request)
            except ValueError as error:  # the archive lost that record (a folder copied without it)
                self.logger.warning("%s: %s", article.key, error)
                continue
            for item in self.parse_article(response, article, row["url"]):
                yield item
