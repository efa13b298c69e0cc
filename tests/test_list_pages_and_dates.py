"""Day list parsing and day arithmetic, on their own."""
from datetime import date

import pytest
from scrapy.http import HtmlResponse

from crawler.demo import build
from crawler.demo.site import euc_kr_reply
from crawler.reading.list_pages import (
    article_links,
    current_page,
    next_page,
    parse_section,
)
from crawler.sources.dates import day_range, parse_day, parse_since
from crawler.sources.ids import ArticleId

ENTRIES = [build.Listed(ArticleId("029", f"{n:010d}"), f"https://news.naver.com/main/read.nhn?oid=029&aid={n:010d}",
                        f"제목 {n}", "리드", "디지털타임스") for n in range(1, 236)]


def page(number: int, entries=ENTRIES) -> HtmlResponse:
    reply = euc_kr_reply(build.list_page("2020-09-19", "mode=LPOD&mid=sec&oid=029&date=20200919", entries, number))
    return HtmlResponse("https://news.naver.com/main/list.naver?mode=LPOD&oid=029&date=20200919",
                        body=reply.body, headers={"Content-Type": reply.content_type})


def test_list_body_links_only_once_each_in_order():
    root = page(1).selector.root
    links = article_links(root, "https://news.naver.com/main/list.naver")
    assert [article for article, _ in links] == [entry.article for entry in ENTRIES[:20]]
    all_hrefs = root.xpath("//a/@href")
    assert sum("read.nhn" in href or "/article/" in href for href in all_hrefs) > 100  # sidebars full of others


@pytest.mark.parametrize("number, current, following", [
    (1, 1, 2), (9, 9, 10), (10, 10, 11), (11, 11, 12), (12, 12, None), (99, 12, None),
])
def test_paging(number, current, following):
    root = page(number).selector.root
    assert current_page(root) == current
    assert next_page(root, current) == following


def test_an_empty_day_has_no_links_and_one_page():
    root = page(1, entries=[]).selector.root
    assert article_links(root) == [] and current_page(root) == 1 and next_page(root, 1) is None


def test_days_in_korea_time():
    today = date(2025, 12, 29)
    assert parse_day("today", today) == today and parse_day("yesterday", today) == date(2025, 12, 28)
    assert parse_day("2025-01-02") == parse_day("20250102") == date(2025, 1, 2)
    assert parse_since("2d", today) == date(2025, 12, 28) and parse_since("1d", today) == today
    assert day_range(date(2025, 12, 30), date(2026, 1, 2), 31) == [date(2025, 12, 30), date(2025, 12, 31),
                                                                    date(2026, 1, 1), date(2026, 1, 2)]
    with pytest.raises(ValueError, match="pass --yes"):
        day_range(date(2025, 1, 1), date(2025, 3, 1), 31)
    assert len(day_range(date(2025, 1, 1), date(2025, 3, 1), 31, allow_long=True)) == 60
    for bad in ("2025-13-01", "2025-02-30", "tomorrow", ""):
        with pytest.raises(ValueError, match=repr(bad)):
            parse_day(bad)


def test_sections():
    assert parse_section("105") == ("105", "") and parse_section("101/258") == ("101", "258")
    for bad in ("999", "106", "105/", "105/2a0", "abc"):
        with pytest.raises(ValueError, match=repr(bad)):
            parse_section(bad)
