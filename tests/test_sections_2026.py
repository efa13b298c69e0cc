"""The section lists of 2026 (issue 10): the breakingnews page, then the cursor endpoint;
never the headline block or the sidebars; the legacy list when a day has no 2026 list."""
from __future__ import annotations

import re

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import Reply, euc_kr_reply, generated_site, html_reply
from crawler.sources.ids import ArticleId
from tests.conftest import FAST, naver_news, summary

DAY = "20261118"


def entries(articles: list[ArticleId], sid1: str = "105") -> list[build.Listed]:
    return [build.Listed(a, f"{a.url}?sid={sid1}", f"기사 {a.aid}", "리드 문장", "연합뉴스") for a in articles]


def section_site(count: int, sid2: str = "230", **options):
    listed = [ArticleId("001", f"{17000000 + n:010d}") for n in range(count)]
    headline = [ArticleId("023", f"{3900000 + n:010d}") for n in range(8)]  # personalised: never crawled
    site = generated_site({article: "2026-11-18 09:00" for article in listed + headline})
    site.add_section_day("105", sid2, DAY, entries(listed), entries(headline), **options)
    return site, listed, headline


def crawl(mirror, out, *args):
    return naver_news("crawl", "--mirror", mirror, "--out", str(out), *FAST, *args)


def fetched_articles(site) -> list[str]:
    return [url for _, url in site.requests if "/mnews/article/" in url]


def test_a_subsection_day_is_walked_over_its_cursor_pages(tmp_path):
    site, listed, headline = section_site(130)  # the page and three cursor pages: 36 + 36 + 36 + 22
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--section", "105/230", "--date", "2026-11-18")
    assert result.returncode == 0, result.stderr
    fetched = fetched_articles(site)
    assert len(fetched) == len(set(fetched)) == 130
    assert {url.split("?")[0] for url in fetched} == {article.url for article in listed}  # no headline, no sidebar
    lists = [url for _, url in site.requests if "/section/" in url]
    assert lists[0] == f"https://news.naver.com/breakingnews/section/105/230?date={DAY}"
    assert len(lists) == 4 and all("SECTION_ARTICLE_LIST_FOR_LATEST" in url and "next=" + DAY in url
                                   for url in lists[1:])
    assert [re.search(r"pageNo=(\d+)", url)[1] for url in lists[1:]] == ["2", "3", "4"]
    assert len({re.search(r"next=(\d+)", url)[1] for url in lists[1:]}) == 3  # each a new cursor
    assert "section 105/230: 4 pages listed, 130 links, 0 known skipped, 130 fetched" in result.stdout
    assert summary(result.stdout)["new"] == 130
    with serving(site) as mirror:
        again = crawl(mirror, tmp_path, "--section", "105/230", "--date", "2026-11-18")
    assert "section 105/230: 4 pages listed, 130 links, 130 known skipped, 0 fetched" in again.stdout


def test_a_whole_section_walks_the_cursor_endpoint_with_an_empty_sid2(tmp_path):
    site, listed, _ = section_site(40, sid2="")
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--section", "105", "--date", "2026-11-18")
    assert result.returncode == 0, result.stderr
    lists = [url for _, url in site.requests if "/section/" in url]
    assert len(lists) == 2 and all("sid2=&" in url for url in lists)
    assert len(set(fetched_articles(site))) == 40


def test_a_cursor_that_adds_nothing_new_ends_the_walk(tmp_path):
    site, listed, _ = section_site(50)
    # A cursor endpoint that answers page 1 again, claiming more: the walk must stop, not loop.
    site.add_page(f"https://news.naver.com/section/template/SECTION_ARTICLE_LIST_FOR_LATEST?sid=105&sid2=230"
                  f"&cluid=&pageNo=2&date={DAY}&next={DAY}000036",
                  more_reply(build.latest_wrapper("105", "230", entries(listed[:36]), f"{DAY}000036", True, 2)))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--section", "105/230", "--date", "2026-11-18")
    assert result.returncode == 0, result.stderr
    assert len([url for _, url in site.requests if "/section/" in url]) == 2
    assert len(set(fetched_articles(site))) == 36


def more_reply(fragment: str) -> Reply:
    return Reply(200, build.section_more_json(fragment).encode(), "application/json; charset=UTF-8")


def test_a_day_without_a_2026_list_falls_back_to_list_naver(tmp_path):
    legacy = [ArticleId("001", f"{17500000 + n:010d}") for n in range(5)]
    site = generated_site({article: "2026-11-18 09:00" for article in legacy})  # no 2026 list for 105/230
    site.add_day_list({"mode": "LS2D", "sid1": "105", "sid2": "230", "date": DAY}, entries(legacy))
    # and one whose page is there but has no section_latest list (the layout changed back)
    site.add_page(f"https://news.naver.com/breakingnews/section/101/258?date={DAY}",
                  html_reply(build.section_page_2026("101", "258", DAY, [], "")))
    site.add_day_list({"mode": "LS2D", "sid1": "101", "sid2": "258", "date": DAY}, entries(legacy[:2], "101"))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--section", "105/230", "--section", "101/258", "--date", "2026-11-18")
    assert result.returncode == 0, result.stderr
    assert len(set(fetched_articles(site))) == 5
    assert any("list.naver?mode=LS2D" in url and "sid2=230" in url for _, url in site.requests)
    assert any("list.naver?mode=LS2D" in url and "sid2=258" in url for _, url in site.requests)


def test_press_day_lists_also_take_type02_items(tmp_path):
    articles = [ArticleId("648", f"{45000 + n:010d}") for n in range(4)]
    site = generated_site({article: "2026-11-18 09:00" for article in articles})
    items = "".join(f'<li><a href="{a.url}?sid=101" class="nclicks(cnt_flashart)">제목 {a.aid}</a> '
                    f'<span class="writing">비즈워치</span><span class="date is_new">1분전</span></li>'
                    for a in articles)
    page = build.list_page("2026-11-18", "x", [], 1).replace(
        '<div class="list_body newsflash_body">', f'<div class="list_body newsflash_body"><ul class="type02">{items}</ul>')
    assert '<ul class="type02">' in page
    site.add_page(f"https://news.naver.com/main/list.naver?mode=LPOD&mid=sec&oid=648&date={DAY}&page=1",
                  euc_kr_reply(page))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--press", "648", "--date", "2026-11-18")
    assert result.returncode == 0, result.stderr
    assert len(set(fetched_articles(site))) == 4
