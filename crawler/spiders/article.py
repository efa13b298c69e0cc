"""The `article` spider: fetch the articles it is given, by id or URL, and nothing else.

    scrapy crawl article -a ids=648/0000043044,001/0014000000
    scrapy crawl article -a urls=https://n.news.naver.com/mnews/article/648/0000043044
    scrapy crawl article -a ids=648/0000043044 -a force=1   # fetch even if the state has it
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.archive.recording import PAGE_READ, READ_AS_PAGE
from crawler.archive.warc_files import FETCHED_AT, LOCATION
from crawler.items import Article, PageEvidence, UnavailableArticle
from crawler.middlewares.known import CONTINUES_ARTICLE
from crawler.reading.api_article import broken_answer, extract_api
from crawler.reading.article_page import (
    FAILED,
    GONE,
    OK,
    UNSUPPORTED,
    Page,
    read_page,
)
from crawler.running.health import record_health
from crawler.sources.dates import timestamp
from crawler.sources.ids import (
    API_HOSTS,
    ARTICLE_HOSTS,
    ArticleId,
    api_site,
    api_url,
    parse_article_ref,
)


def article_targets(ids: str | Iterable[str] = (), urls: str | Iterable[str] = ()) -> dict[str, str]:
    """Each distinct article once, by key, with the URL given for it ("" for an id: its
    canonical URL). Only keys and given URLs are kept: a run of many ids holds them all.

    Comma-separated strings (from `-a`) and lists (from the CLI) are both accepted;
    raises InvalidArticleId on the first value that names no article.
    """
    def values(arg: str | Iterable[str]) -> list[str]:
        items = arg.split(",") if isinstance(arg, str) else arg
        return [value.strip() for value in items if value.strip()]

    targets: dict[str, str] = {}
    for value in values(urls) + values(ids):  # a given URL wins: its ?sid= can name the section
        targets.setdefault(parse_article_ref(value).key, value if "://" in value else "")
    return targets


def unavailable(article: ArticleId, url: str, status: str, detail: str = "", archived: str = "") -> UnavailableArticle:
    return UnavailableArticle(id=article.key, oid=article.oid, aid=article.aid, url=url, status=status,
                              detail=detail, archived=archived)


# What an API answer may be, besides 200, for the callback to judge: gone, or broken after retries.
API_ANSWERS = [404, 410, 500, 502, 503, 504, 522, 524]


def truthy(value: str | bool) -> bool:
    """A spider argument as a flag: `-a force=1` (also true, yes) or True from the CLI."""
    return value not in (False, None, "", "0", "false", "no")


class ArticlePageSpider(scrapy.Spider):
    """What every spider shares: requesting and reading article pages. Subclasses decide
    which articles to request; this base has no name, so `scrapy list` does not show it."""

    # A missing article may answer 404/410: that is "gone", which the callback records.
    handle_httpstatus_list = [404, 410]
    # Its pages can be fetched by workers of a shared frontier (crawler.frontier).
    distributable = True

    def __init__(self, force: str | bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Fetch regardless of the incremental state (a re-crawl of edited articles).
        self.force = truthy(force)
        self.arguments: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticlePageSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.arguments = kwargs  # what a worker builds the same spider from
        return spider

    def article_request(self, article: ArticleId, url: str, force: bool = False, source: str = "") -> scrapy.Request:
        """The request for one article: its page, or for an entertainment or sports URL its
        API answer. KnownArticlesMiddleware reads `article`, `force` (fetch whatever the state
        says) and `source` (the list or walk that found it)."""
        self.crawler.stats.inc_value("articles/requested")
        return self.reading_request(article, url, url, {"force": force or self.force, "source": source})

    def reading_request(self, article: ArticleId, url: str, given_url: str, meta: dict[str, Any]) -> scrapy.Request:
        """The request that reads an article at `url`: the page itself (which the web
        archive's helper may read as it arrives), or for the entertainment or sports site the
        API answer its page is made from."""
        site = api_site(url)
        return scrapy.Request(api_url(article, site) if site else url, callback=self.parse_article,
                              errback=self.article_failed, cb_kwargs={"article": article, "given_url": given_url},
                              meta={**meta, "handle_httpstatus_list": API_ANSWERS} if site else
                              {**meta, READ_AS_PAGE: given_url})

    def parse_article(self, response: Response, article: ArticleId,
                      given_url: str) -> Iterable[Article | UnavailableArticle | PageEvidence | scrapy.Request]:
        host = urlsplit(response.url).hostname or ""
        if host in API_HOSTS.values():
            yield from self.outcome(response, article, self.read_api(response))
            return
        if api_site(response.url):  # redirected to the entertainment or sports site: its API has the article
            yield self.reading_request(article, response.url, given_url,
                                       {"force": response.meta.get("force"), CONTINUES_ARTICLE: True})
            return
        if host not in ARTICLE_HOSTS:
            yield unavailable(article, response.url, UNSUPPORTED, f"redirected to {host}, a site naver-news does "
                              "not read")
            return
        if response.status in self.handle_httpstatus_list:
            yield unavailable(article, response.url, GONE, f"HTTP {response.status}")
            return
        if not response.body or not isinstance(response, TextResponse):
            # Not an answer about the article at all: retried next run, never taken for "deleted".
            what = "an empty answer" if not response.body else f"not a page ({response.headers.get('Content-Type')})"
            yield unavailable(article, response.url, FAILED, f"{what}, HTTP {response.status}")
            return
        page = response.meta.pop(PAGE_READ, None)
        if page is None:  # not read by the web archive's helper (no archive, or a replay)
            page = read_page(response.body, response.encoding, response.url, given_url)
        else:
            self.crawler.stats.inc_value("articles/read_in_helper")
        yield from self.outcome(response, article, page)

    def read_api(self, response: Response) -> Page:
        if response.status in (404, 410):
            return Page(GONE)
        if response.status >= 500:  # after the retries: a broken answer, counted like a broken page
            return broken_answer(f"HTTP {response.status}")
        return extract_api(response.body)

    def outcome(self, response: Response, article: ArticleId, page: Page) -> Iterable[Article | UnavailableArticle
                                                                                        | PageEvidence]:
        """What a read page or API answer becomes: the article, or why there is none."""
        if page.verdict in (OK, FAILED):
            record_health(self.crawler.stats, response.url, page.missing)
        missing = "missing " + ", ".join(page.missing) + (f" ({page.why})" if page.why else "")
        if page.verdict == FAILED:
            yield PageEvidence(url=response.url, body=response.body, reason=missing)
        archived = response.meta.get(LOCATION, "")
        if page.verdict == OK:
            yield Article(
                id=article.key, title=page.title, category=page.category, publisher=page.publisher,
                author=page.author, published_at=page.published_at, modified_at=page.modified_at,
                crawled_at=response.meta.get(FETCHED_AT) or timestamp(),
                url=article.url, oid=article.oid, aid=article.aid, paragraphs=page.paragraphs, archived=archived,
            )
        else:
            detail = {GONE: "no article on the page"}.get(page.verdict, missing)
            yield unavailable(article, response.url, page.verdict, detail, archived)

    def article_failed(self, failure: Failure) -> Iterable[UnavailableArticle]:
        request = failure.request
        yield unavailable(request.cb_kwargs["article"], request.url, FAILED, failure_detail(failure))


def failure_detail(failure: Failure) -> str:
    """What went wrong with a request, in words: `HTTP 500`, `ResponseFailed: connection lost`."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    reasons = getattr(failure.value, "reasons", None)  # ResponseFailed holds the failures behind it
    if reasons:
        inner = "; ".join(reason.getErrorMessage() or reason.type.__name__ for reason in reasons)
        return f"{failure.type.__name__}: {inner}"
    message = failure.getErrorMessage()
    return f"{failure.type.__name__}: {message}" if message and message != failure.type.__name__ else \
        failure.type.__name__


class ArticleSpider(ArticlePageSpider):
    name = "article"

    def __init__(self, ids: str | Iterable[str] = (), urls: str | Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = article_targets(ids, urls)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for key, url in self.targets.items():
            article = parse_article_ref(key)
            yield self.article_request(article, url or article.url)
