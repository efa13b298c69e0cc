"""Day lists of the entertainment and sports sites, from their list APIs.

    scrapy crawl entertain -a date=2026-11-20
    scrapy crawl sports -a sports=kbaseball,wfootball -a since=2d

Pages are asked one after another until the list's `totalCount` is reached or a page is
shorter than the page size; every article goes through the known-article skip like any
other source, and is then read from the article API.
"""
from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.items import PageEvidence
from crawler.sources.ids import (
    API_HOSTS,
    ArticleId,
    InvalidArticleId,
    article_id,
    id_from_url,
)
from crawler.spiders.day_list import DayListSpider, required_list

PAGE_SIZE = 30
_SPORT = re.compile(r"[a-z]{2,20}")


def parse_sport(value: str) -> str:
    """A sport as Naver's sports site names it (`kbaseball`, `wfootball`, `general`, …)."""
    text = value.strip().lower()
    if not _SPORT.fullmatch(text):
        raise ValueError(f"invalid sport {value!r}: expected a name like kbaseball, wfootball, basketball, general")
    return text


class ApiListSpider(DayListSpider):
    """What both API day lists share (no name: not run alone)."""

    site = ""

    def lists(self) -> list[tuple[str, dict[str, str]]]:
        """(source name, list URL without date and page) for each list to walk."""
        raise NotImplementedError

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source, base in self.lists():
            for day in self.days:
                yield self.api_list_request(source, base, day.strftime("%Y%m%d"), 1)

    def api_list_request(self, source: str, base: str, date: str, page: int) -> scrapy.Request:
        query = {**({"sort": "latest"} if self.site == "sports" else {}), "date": date, "page": page,
                 "pageSize": PAGE_SIZE, **({"isPhoto": "N"} if self.site == "sports" else {})}
        return scrapy.Request(f"{base}?{urlencode(query)}", callback=self.parse_api_list,
                              cb_kwargs={"source": source, "base": base, "date": date, "page": page})

    def parse_api_list(self, response: Response, source: str, base: str, date: str,
                       page: int) -> Iterable[scrapy.Request | PageEvidence]:
        self.crawler.stats.inc_value(f"discovery/{source}/pages")
        try:
            result = json.loads(response.body)["result"]
            news, total = result["newsList"], int(result.get("totalCount") or 0)
        except (ValueError, KeyError, TypeError):
            news, total = None, 0
        articles = [article for article in map(self.listed_article, news or []) if article]
        yield from self.listed(response, source, len(articles), news == [],
                               "result.newsList" if news is None else "")
        for article in articles:
            yield self.article_request(article, self.page_url(article), source=source)
        if news and len(news) >= PAGE_SIZE and page * PAGE_SIZE < (total or float("inf")):
            yield self.api_list_request(source, base, date, page + 1)

    def listed_article(self, entry: Any) -> ArticleId | None:
        raise NotImplementedError

    def page_url(self, article: ArticleId) -> str:
        raise NotImplementedError


class EntertainSpider(ApiListSpider):
    name = "entertain"
    site = "entertain"

    def lists(self) -> list[tuple[str, str]]:
        return [("entertain", f"https://{API_HOSTS['entertain']}/news/articles")]

    def listed_article(self, entry: Any) -> ArticleId | None:
        try:
            return id_from_url(entry["url"]) if isinstance(entry, dict) and isinstance(entry.get("url"), str) else None
        except InvalidArticleId:
            return None

    def page_url(self, article: ArticleId) -> str:
        return f"https://m.entertain.naver.com/home/article/{article.oid}/{article.aid}"


class SportsSpider(ApiListSpider):
    name = "sports"
    site = "sports"

    def __init__(self, sports: str | list[str] = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sports = required_list(sports, parse_sport, "sports: give sports=kbaseball[,wfootball…]")

    def lists(self) -> list[tuple[str, str]]:
        return [(f"sports {sport}", f"https://{API_HOSTS['sports']}/news/articles/{sport}") for sport in self.sports]

    def listed_article(self, entry: Any) -> ArticleId | None:
        try:
            return article_id(str(entry["oid"]), str(entry["aid"]))
        except (InvalidArticleId, KeyError, TypeError):
            return None

    def page_url(self, article: ArticleId) -> str:
        return f"https://m.sports.naver.com/article/{article.oid}/{article.aid}"
