"""Day list pages (press and section): the article links of the list body, and the paging.

Only `div.list_body` lists count: the same page has headline, ranking and sidebar links
to other articles that must never be crawled by accident. The thumbnail `dt.photo` link
repeats the title link; links are deduplicated by (oid, aid), in page order.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from crawler.reading.tree import has_class, xpath
from crawler.sources.ids import SECTIONS, ArticleId, InvalidArticleId, id_from_url

LIST_LINKS_SELECTOR = "div.list_body ul.type06_headline/ul.type06 li dl dt a"
LIST_LINKS = xpath(f".//div[{has_class('list_body')}]//ul[{has_class('type06_headline')} or {has_class('type06')}]"
                   "/li/dl/dt/a/@href")
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
    found: dict[ArticleId, str] = {}
    for href in LIST_LINKS(root):
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
