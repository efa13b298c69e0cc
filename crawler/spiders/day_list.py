"""Day list spiders: every article a press office or a section listed on some days.

    scrapy crawl press -a oids=648,001 -a date=2025-12-29 -a to=2025-12-31
    scrapy crawl section -a sections=105,101/258 -a since=2d

`list.naver` pages are followed one after another to the real last page: the paging
links say whether there is a next one, and a page whose `strong` is not the page asked
for is the list repeating its last page (asked past the end), so it ends the walk too.

Sections walk the 2026 list first (`breakingnews/section/{sid1}/{sid2}?date=`, then the
cursor endpoint until `data-has-next="false"` or a page adds no new article); a day whose
2026 list is not there (404, or no `section_latest` list) falls back to `list.naver`.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.items import PageEvidence
from crawler.reading.list_pages import (
    LATEST_COMPONENT,
    LatestList,
    article_links,
    current_page,
    latest_list,
    latest_more,
    next_page,
    parse_section,
    says_no_articles,
)
from crawler.running.health import record_list_page
from crawler.sources.dates import day_range, parse_day, parse_since, today_kst
from crawler.sources.ids import ArticleId, parse_oid
from crawler.spiders.article import ArticlePageSpider, truthy

T = TypeVar("T")
LIST_URL = "https://news.naver.com/main/list.naver?"
SECTION_DAY_URL = "https://news.naver.com/breakingnews/section/{sid1}/{sid2}?date={date}"
SECTION_MORE_URL = f"https://news.naver.com/section/template/{LATEST_COMPONENT}?"


def comma_list(value: str | Iterable[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    return [item.strip() for item in items if item.strip()]


def required_list(value: str | Iterable[str], parse: Callable[[str], T], usage: str) -> list[T]:
    """A spider's list argument, each value parsed; ValueError with `usage` if it is empty."""
    values = [parse(item) for item in comma_list(value)]
    if not values:
        raise ValueError(usage)
    return values


def crawl_days(date: str | list[date] = "", to: str = "", since: str = "", yes: Any = False,
               limit: int = 31) -> list[date]:  # noqa: A002 (the -a name people type)
    """The days to list: `date` (default today) to `to`, or the last `since` days; KST.
    Raises ValueError naming a bad value."""
    if isinstance(date, list):
        return date
    if since and (date or to):
        raise ValueError("give since (--since) or date/to (--date/--to), not both")
    first = parse_since(since) if since else parse_day(date) if date else today_kst()
    last = parse_day(to) if to else today_kst() if since else first
    return day_range(first, last, limit, allow_long=truthy(yes))


class DayListSpider(ArticlePageSpider):
    """Shared by `press` and `section`: list pages in, article requests out (no name: not run alone)."""

    def __init__(self, date: str | list = "", to: str = "", since: str = "", yes: Any = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.day_args = (date, to, since, yes)
        self.days: list[date] = []
        self.sources_with_links: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DayListSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The range limit is a setting, which a spider only has once it has a crawler.
        spider.days = crawl_days(*spider.day_args, limit=crawler.settings.getint("MAX_DATE_RANGE_DAYS"))
        return spider

    def lists(self) -> list[tuple[str, dict[str, str]]]:
        """(source name, list query without date and page) for each list to walk."""
        raise NotImplementedError

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source, query in self.lists():
            for day in self.days:
                yield self.list_request(source, {**query, "date": day.strftime("%Y%m%d")}, 1)

    def list_request(self, source: str, query: dict[str, str], page: int) -> scrapy.Request:
        return scrapy.Request(LIST_URL + urlencode({**query, "page": page}), callback=self.parse_list,
                              cb_kwargs={"source": source, "query": query, "page": page})

    def listed(self, response: Response, source: str, links: int, says_empty: bool,
               broken: str = "") -> Iterator[PageEvidence]:
        """One list page read: its links counted per source and for the health check; a page
        that gives none is kept as evidence when it is `broken` (what was not found)."""
        stats = self.crawler.stats
        stats.inc_value(f"discovery/{source}/links", links)
        record_list_page(stats, response.url, links, says_empty, source in self.sources_with_links)
        if links:
            self.sources_with_links.add(source)
        elif broken:
            yield PageEvidence(url=response.url, body=response.body, reason=f"no {broken}")

    def parse_list(self, response: Response, source: str, query: dict[str, str],
                   page: int) -> Iterable[scrapy.Request | PageEvidence]:
        stats = self.crawler.stats
        stats.inc_value(f"discovery/{source}/pages")
        root = response.selector.root
        shown = current_page(root)
        if shown is not None and shown != page:
            return  # asked past the end: this is the last page again
        links = article_links(root, response.url)
        empty_day = says_no_articles(root)
        yield from self.listed(response, source, len(links), empty_day, "" if empty_day else "article links")
        for article, link in links:
            link_query = parse_qs(urlsplit(link).query)
            sid = (link_query.get("sid") or link_query.get("sid1") or [query.get("sid1", "")])[0]
            url = f"{article.url}?sid={sid}" if sid else article.url
            yield self.article_request(article, url, source=source)
        following = next_page(root, page)
        if links and following == page + 1:
            yield self.list_request(source, query, following)


class PressSpider(DayListSpider):
    name = "press"

    def __init__(self, oids: str | list[str] = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.oids = required_list(oids, parse_oid, "press: give oids=648[,001…]")

    def lists(self) -> list[tuple[str, dict[str, str]]]:
        return [(f"press {oid}", {"mode": "LPOD", "mid": "sec", "oid": oid}) for oid in self.oids]


class SectionSpider(DayListSpider):
    name = "section"

    def __init__(self, sections: str | list[str] = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sections = required_list(sections, parse_section, "section: give sections=105[,101/258…]")

    @staticmethod
    def source(sid1: str, sid2: str) -> str:
        return f"section {sid1}/{sid2}" if sid2 else f"section {sid1}"

    def lists(self) -> list[tuple[str, dict[str, str]]]:
        """The legacy `list.naver` lists, for days the 2026 list does not have."""
        return [(self.source(sid1, sid2),
                 {"mode": "LS2D", "mid": "shm", "sid1": sid1, "sid2": sid2} if sid2 else
                 {"mode": "LSD", "mid": "sec", "sid1": sid1})
                for sid1, sid2 in self.sections]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for (sid1, sid2), (source, legacy) in zip(self.sections, self.lists(), strict=True):
            for day in self.days:
                walk = LatestWalk(source, sid1, sid2, day.strftime("%Y%m%d"), legacy)
                # A subsection's day has a page; a whole section's list starts at the cursor endpoint.
                yield self.latest_request(walk, SECTION_DAY_URL.format(sid1=sid1, sid2=sid2, date=walk.date)
                                          if sid2 else walk.more_url(1, ""), 1)

    def latest_request(self, walk: LatestWalk, url: str, page: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_latest, cb_kwargs={"walk": walk, "page": page})

    def parse_latest(self, response: Response, walk: LatestWalk,
                     page: int) -> Iterable[scrapy.Request | PageEvidence]:
        found = LatestList(False, [], False, "")
        if response.status not in self.handle_httpstatus_list and isinstance(response, TextResponse):
            html_page = "/breakingnews/" in response.url
            found = latest_list(response.selector.root, response.url) if html_page else \
                latest_more(response.text, response.url)
        if not found.found and page == 1:  # no 2026 list for this day: the legacy one
            yield self.list_request(walk.source, {**walk.legacy, "date": walk.date}, 1)
            return
        self.crawler.stats.inc_value(f"discovery/{walk.source}/pages")
        new = [(article, link) for article, link in found.links if article not in walk.seen]
        walk.seen.update(article for article, _ in new)
        yield from self.listed(response, walk.source, len(new), found.found,
                               "" if found.found else "section_latest list")
        for article, _ in new:
            yield self.article_request(article, f"{article.url}?sid={walk.sid1}", source=walk.source)
        if new and found.has_next and found.cursor:
            yield self.latest_request(walk, walk.more_url(page + 1, found.cursor), page + 1)


@dataclass
class LatestWalk:
    """One section's day on the 2026 list: where it is, what it has given so far."""

    source: str
    sid1: str
    sid2: str
    date: str
    legacy: dict[str, str]
    seen: set[ArticleId] = field(default_factory=set)

    def more_url(self, page: int, cursor: str) -> str:
        """The cursor endpoint's answer for the page after `cursor` (pageNo alone repeats a page)."""
        return SECTION_MORE_URL + urlencode({"sid": self.sid1, "sid2": self.sid2, "cluid": "", "pageNo": page,
                                             "date": self.date, "next": cursor})
