"""Day list pages: the article links of the list, and where the list goes on.

Two generations. The `list.naver` lists (press days, and section days before the
redesign): only `div.list_body` counts, and page numbers page them. The 2026 section
lists (`breakingnews/section/{sid1}/{sid2}?date=`): only `div.section_latest` counts,
never the personalised headline block above it, and a cursor leads to the next page,
whose answer is JSON holding an HTML fragment of the same list. On both, headline,
ranking and sidebar links to other articles must never be crawled by accident, and
links are deduplicated by (oid, aid), in page order.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.reading.tree import has_class, xpath
from crawler.sources.ids import SECTIONS, ArticleId, InvalidArticleId, id_from_url

LIST_LINKS_SELECTOR = ("div.list_body ul.type06_headline/ul.type06 li dl dt a, div.list_body ul.type02 li a, "
                       "div.section_latest li.sa_item a.sa_text_title")
LIST_LINKS = xpath(f".//div[{has_class('list_body')}]//ul[{has_class('type06_headline')} or {has_class('type06')}]"
                   f"/li/dl/dt/a/@href | .//div[{has_class('list_body')}]//ul[{has_class('type02')}]/li/a/@href")
# The 2026 list: its wrapper (in the page, only inside div.section_latest), its items.
_LATEST = xpath(f".//div[{has_class('section_latest')}]//div[{has_class('section_latest_article')}]")
_LATEST_IN_FRAGMENT = xpath(f"descendant-or-self::div[{has_class('section_latest_article')}]")
_LATEST_LINKS = xpath(f".//li[{has_class('sa_item')}]//a[{has_class('sa_text_title')}]/@href")
LATEST_COMPONENT = "SECTION_ARTICLE_LIST_FOR_LATEST"
NO_ARTICLES = xpath(f".//div[{has_class('list_body')}][contains(., '기사가 없습니다')]")
CURRENT_PAGE = xpath(f".//div[{has_class('paging')}]/strong")
PAGE_LINKS = xpath(f".//div[{has_class('paging')}]/a/@href")


def parse_section(value: str) -> tuple[str, str]:
    """`105` or `105/230` → (sid1, sid2); raises ValueError naming the value."""
    sid1, slash, sid2 = value.strip().partition("/")
    if sid1 not in SECTIONS or (slash and not (sid2.isascii() and sid2.isdigit() and len(sid2) == 3)):
        raise ValueError(f"invalid section {value!r}: expected 100-105 ({', '.join(f'{k} {v}' for k, v in SECTIONS.items())}),"
                         " optionally /SID2 like 105/230")
    return sid1, sid2


def article_links(root: etree._Element, base_url: str = "") -> list[tuple[ArticleId, str]]:
    """(article, link) for every article of the list body, once each, in page order."""
    return _articles(LIST_LINKS(root), base_url)


def _articles(hrefs: list[str], base_url: str) -> list[tuple[ArticleId, str]]:
    found: dict[ArticleId, str] = {}
    for href in hrefs:
        link = urljoin(base_url, href.strip())
        try:
            article = id_from_url(link)
        except InvalidArticleId:
            article = None
        if article is not None:
            found.setdefault(article, link)
    return list(found.items())


def current_page(root: etree._Element) -> int | None:
    """The page number the paging marks as current (`<strong>`), or None without paging."""
    for strong in CURRENT_PAGE(root):
        text = "".join(strong.itertext()).strip()
        if text.isdigit():
            return int(text)
    return None


def next_page(root: etree._Element, page: int) -> int | None:
    """The next page the paging links to (numbers and the `다음` group link), or None on the last."""
    numbers = []
    for href in PAGE_LINKS(root):
        value = parse_qs(urlsplit(href).query).get("page", [""])[0]
        if value.isdigit() and int(value) > page:
            numbers.append(int(value))
    return min(numbers) if numbers else None


def says_no_articles(root: etree._Element) -> bool:
    """The list body says the day has no articles: an empty list that is not a broken one."""
    return bool(NO_ARTICLES(root))


@dataclass
class LatestList:
    """One page of a 2026 section list: its articles and where the list goes on."""

    found: bool      # the page has a `section_latest` list at all (else it is no 2026 list)
    links: list[tuple[ArticleId, str]]
    has_next: bool
    cursor: str      # the `next=` of the following page


def latest_list(root: etree._Element, base_url: str) -> LatestList:
    """The `div.section_latest` list of a 2026 section page (never its headline block)."""
    return _latest(_LATEST(root), base_url)


def latest_more(body: str, base_url: str) -> LatestList:
    """A cursor page: JSON whose `renderedComponent.SECTION_ARTICLE_LIST_FOR_LATEST` is an
    HTML fragment of the list (parsed here: it is a document of its own). An answer that is
    not that JSON is no list."""
    try:
        fragment = json.loads(body)["renderedComponent"][LATEST_COMPONENT]
    except (ValueError, KeyError, TypeError):
        return LatestList(False, [], False, "")
    if not isinstance(fragment, str) or not fragment.strip():
        return LatestList(True, [], False, "")
    root = lxml.html.fromstring(f"<div>{fragment}</div>")
    return _latest(_LATEST_IN_FRAGMENT(root), base_url)


def _latest(wrappers: list[etree._Element], base_url: str) -> LatestList:
    if not wrappers:
        return LatestList(False, [], False, "")
    hrefs = [href for wrapper in wrappers for href in _LATEST_LINKS(wrapper)]
    last = wrappers[-1]
    return LatestList(True, _articles(hrefs, base_url), last.get("data-has-next") == "true",
                      (last.get("data-cursor") or "").strip())
