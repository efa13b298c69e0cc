"""The `article` spider: fetch the articles it is given, by id or URL, and nothing else.

    scrapy crawl article -a ids=648/0000043044,001/0014000000
    scrapy crawl article -a urls=https://n.news.naver.com/mnews/article/648/0000043044
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, Iterable

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.extract import GONE, OK, UNSUPPORTED, extract_page
from crawler.ids import ArticleId, is_unsupported_url, parse_article_ref
from crawler.items import Article

KST = timezone(timedelta(hours=9))


def article_targets(ids: str | Iterable[str] = (), urls: str | Iterable[str] = ()) -> dict[ArticleId, str]:
    """Each distinct article once, with the URL to fetch: as given for URLs, canonical for ids.

    Comma-separated strings (from `-a`) and lists (from the CLI) are both accepted;
    raises InvalidArticleId on the first value that names no article.
    """
    def values(arg: str | Iterable[str]) -> list[str]:
        items = arg.split(",") if isinstance(arg, str) else arg
        return [value.strip() for value in items if value.strip()]

    targets: dict[ArticleId, str] = {}
    for value in values(urls) + values(ids):  # a given URL wins: its ?sid= can name the section
        article = parse_article_ref(value)
        targets.setdefault(article, value if "://" in value else article.url)
    return targets


class ArticleSpider(scrapy.Spider):
    name = "article"
    # A missing article may answer 404/410: that is "gone", which the callback records.
    handle_httpstatus_list = [404, 410]

    def __init__(self, ids: str | Iterable[str] = (), urls: str | Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = article_targets(ids, urls)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for article, url in self.targets.items():
            request = self.article_request(article, url)
            if request is not None:
                yield request

    def article_request(self, article: ArticleId, url: str) -> scrapy.Request | None:
        """The request for one article page, or None (counted) when it is known to be unsupported."""
        stats = self.crawler.stats
        stats.inc_value("articles/requested")
        if is_unsupported_url(url):
            self.record(UNSUPPORTED, article, url)
            return None
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              cb_kwargs={"article": article, "given_url": url})

    def parse_article(self, response: Response, article: ArticleId, given_url: str) -> Iterable[Article]:
        if response.status in self.handle_httpstatus_list or not isinstance(response, TextResponse):
            self.record(GONE, article, response.url)
            return
        page = extract_page(response.selector.root, response.url, given_url)
        if page.verdict != OK:
            self.record(page.verdict, article, response.url, ", ".join(page.missing))
            return
        yield Article(
            id=article.key, title=page.title, category=page.category, publisher=page.publisher,
            author=page.author, published_at=page.published_at, modified_at=page.modified_at,
            crawled_at=datetime.now(KST).strftime("%Y-%m-%d %H:%M:%S"),
            url=article.url, oid=article.oid, aid=article.aid, paragraphs=page.paragraphs,
        )

    def article_failed(self, failure: Failure) -> None:
        request = failure.request
        self.record("failed", request.cb_kwargs["article"], request.url, failure.getErrorMessage())

    def record(self, verdict: str, article: ArticleId, url: str, detail: str = "") -> None:
        """Count an article that gives no file, and say why in one log line."""
        self.crawler.stats.inc_value(f"articles/{verdict}")
        level = logging.INFO if verdict in (GONE, UNSUPPORTED) else logging.WARNING
        self.logger.log(level, "%s %s (%s)%s", verdict, article, url, f": {detail}" if detail else "")
