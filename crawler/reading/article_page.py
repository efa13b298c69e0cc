"""Article page → article fields, for the layouts Naver has served: 2026, current and legacy.

`page_tree` parses a page once, and only as far as extraction reads: the head and the
article column, not the ranking and sidebar chrome after it (two thirds of a real page's
bytes). The rest are pure functions over that tree, and only the article column is walked
for text (the body by `crawler.reading.body_text`, the reader pages and API answers share).
`read_page` is the whole of it, from a page's bytes: the spider calls it, or the crawl's
helper process does on its other core (`crawler.archive.helper`), so nothing here needs
Scrapy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml import etree

from crawler.reading.body_text import read_body, text_of
from crawler.reading.dateline import dateline_author
from crawler.reading.tree import has_class, xpath
from crawler.sources.ids import SECTIONS, InvalidArticleId, id_from_url

# A page's verdict, which is also an article's status in the state.
OK, GONE, UNSUPPORTED, FAILED = "ok", "gone", "unsupported", "failed"

# Lookups by id use libxml2's id index (`id()`), not a scan of the whole document.
# The article column (`#ct`, legacy `#main_content`) holds head and body; sidebars sit outside it.
_MAIN = xpath("id('ct main_content')")
_META = xpath("/html/head/meta[@content]")
_BODY = xpath("id('dic_area articleBodyContents')")
_TITLE = xpath("id('title_area articleTitle')")
_HEADLINE = xpath(f".//*[{has_class('media_end_head_headline')}]")
_LOGO = xpath(f".//img[{has_class('media_end_head_top_logo_img')}]")
_PRESS_NAME = xpath(f".//span[{has_class('media_end_head_top_press')}]")
_PRESS_IMAGE = xpath(f".//img[{has_class('media_end_head_top_img')}]")
_LEGACY_LOGO = xpath(f".//div[{has_class('press_logo')}]//img")
_BYLINE = xpath(f".//span[{has_class('byline_s')}]")
_JOURNALIST = xpath(f".//em[{has_class('media_end_head_journalist_name')}]")
_PUBLISHED = xpath(".//span[@data-date-time]/@data-date-time")
_MODIFIED = xpath(".//span[@data-modify-date-time]/@data-modify-date-time")
_LEGACY_TIMES = xpath(f".//span[{has_class('t11')}]")
_CATEGORY = xpath(f".//a[{has_class('media_end_categorize_item')}] | .//em[{has_class('media_end_categorize_item')}]")
_LEGACY_CATEGORY = xpath(f".//em[{has_class('guide_categorization_item')}]")
# What Naver's error page (deleted or unknown article) has and an article page has not.
_ERROR_PAGE = xpath(f"//div[{has_class('error_wrap')} or {has_class('error_content')} or {has_class('error_page')}"
                    " or @id='errorContent']")

DATELINE = "the body's dateline"
CAPTIONS = "em.img_desc (a photo-only body)"
# What is tried for each field, in order, by the names reports and `naver-news doctor` show.
SELECTORS = {
    "title": ("h2#title_area", "h3#articleTitle", ".media_end_head_headline", "meta[og:title]"),
    "publisher": ("img.media_end_head_top_logo_img[alt]", "span.media_end_head_top_press",
                  "img.media_end_head_top_img[alt]", "div.press_logo img[alt]",
                  "meta[og:article:author]", "meta[twitter:creator]"),
    "author": ("span.byline_s", "em.media_end_head_journalist_name", DATELINE),
    "published_at": ("span._ARTICLE_DATE_TIME[data-date-time]", "span.t11"),
    "category": (".media_end_categorize_item", "em.guide_categorization_item", "meta[me2:category2]",
                 "?sid= of the URL"),
    "content": ("article#dic_area", "div#articleBodyContents", CAPTIONS),
}
REQUIRED = ("title", "publisher", "published_at", "content")
# Below this size a page without any sign of an article is an error page, not a changed one.
FULL_PAGE_BYTES = 30_000

_DATA_TIME = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_LEGACY_TIME = re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})\.?\s*(오전|오후)?\s*(\d{1,2}):(\d{2})")


# Where the article column has ended, in every layout: the press banner of 2026, the
# sidebar of the current layout, the aside cell of the legacy one. Looked for only after
# the body container, so a page without them (or a changed one) is parsed whole.
_BODY_START = re.compile(rb'id="(?:dic_area|articleBodyContents)"')
_COLUMN_END = re.compile(rb'<[a-z]+ [^<>]*?(?:id="channelBanner"|class="outside_area|class="aside)')


_PARSER = lxml.html.HTMLParser(recover=True, huge_tree=True)


def page_tree(data: bytes, encoding: str) -> etree._Element:
    """The page's tree as far as extraction reads (the whole page where no column end
    follows the body): the one parse a page gets. Decoded as Scrapy decodes a response
    (`encoding` is the response's; a byte the charset lacks becomes U+FFFD), never by
    libxml2, which stops at such a byte."""
    body = _BODY_START.search(data)
    end = _COLUMN_END.search(data, body.end()) if body else None
    text = (data[:end.start()] if end else data).decode(encoding, errors="replace")
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except etree.ParserError:  # nothing but whitespace: a document with nothing in it
        return lxml.html.document_fromstring("<html></html>")


@dataclass
class Page:
    """What one article page says. `paragraphs` holds raw lines; `sources` names the selector
    each field came from; `missing` names the required fields that came out empty;
    `body_found` tells a body with no text from no body at all; `why` says what was wrong
    with an answer that held no article at all."""

    verdict: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    published_at: str = ""
    modified_at: str = ""
    category: str = ""
    paragraphs: list[list[str]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    body_found: bool = False
    why: str = ""


def read_page(data: bytes, encoding: str, url: str, given_url: str) -> Page:
    """An article page's bytes, as it arrived, read: `page_tree`, then `extract_page`."""
    return extract_page(page_tree(data, encoding), url, given_url, len(data))


def extract_page(root: etree._Element, url: str, given_url: str = "", size: int = 0) -> Page:
    """Read an article page. `url` is the final (Naver) URL after redirects, `given_url` the one
    crawled, `size` the page's length in bytes.

    The verdict: gone (an error page, or a small page with no sign of an article); failed (it
    looks like an article, by its containers, its og:type, or a full page at an article URL,
    but a required field is empty); else ok. (Pages of sites this reader does not read are
    `unsupported`: the spider tells those by their host.)
    """
    main = _first(_MAIN(root))
    scope = main if main is not None else root
    meta = _meta_tags(root)
    body = _first(_BODY(root))
    title, title_source = _title(root, scope, meta)
    (published, modified), date_source = _times(scope)
    looks_like_article = (body is not None or title_source not in ("", "meta[og:title]")
                          or meta.get("og:type") == "article" or bool(date_source))
    if not looks_like_article and (_ERROR_PAGE(root) or size < FULL_PAGE_BYTES or not _is_article_url(url)):
        return Page(GONE)
    text = read_body(body) if body is not None else None
    content_source = "" if not (text and text.paragraphs) else CAPTIONS if text.from_captions else \
        "article#dic_area" if body.get("id") == "dic_area" else "div#articleBodyContents"
    publisher, publisher_source = _publisher(scope, meta)
    author, author_source = _author(scope)
    if not author and text and not text.from_captions:
        author = dateline_author(text.first_line_after_summary)
        author_source = DATELINE if author else ""
    category, category_source = _category(scope, meta, url, given_url)
    page = Page(OK, title=title, publisher=publisher, author=author, published_at=published,
                modified_at=modified, category=category, paragraphs=text.paragraphs if text else [],
                body_found=body is not None)
    page.sources = {"title": title_source, "publisher": publisher_source, "author": author_source,
                    "published_at": date_source, "category": category_source, "content": content_source}
    page.missing = tuple(name for name in REQUIRED if not page.sources[name])
    if page.missing:
        page.verdict = FAILED
    return page


def _is_article_url(url: str) -> bool:
    try:
        return id_from_url(url) is not None
    except InvalidArticleId:
        return False


def _first(nodes: list) -> etree._Element | None:
    return nodes[0] if nodes else None


def _meta_tags(root: etree._Element) -> dict[str, str]:
    tags: dict[str, str] = {}
    for meta in _META(root):
        name = meta.get("property") or meta.get("name")
        if name and name not in tags:
            tags[name] = meta.get("content")
    return tags


def page_url(root: etree._Element) -> str:
    """The URL a saved page names for itself (`og:url`, else `link[rel=canonical]`), or ''."""
    url = _meta_tags(root).get("og:url") or ""
    if not url:
        links = root.xpath("/html/head/link[@rel='canonical']/@href")
        url = links[0] if links else ""
    return url.strip()


def _title(root: etree._Element, scope: etree._Element, meta: dict[str, str]) -> tuple[str, str]:
    element = _first(_TITLE(root))
    if element is not None and text_of(element).strip():
        return text_of(element), f"{element.tag}#{element.get('id')}"
    headline = _first(_HEADLINE(scope))
    if headline is not None and text_of(headline).strip():
        return text_of(headline), ".media_end_head_headline"
    if meta.get("og:title", "").strip():
        return meta["og:title"], "meta[og:title]"
    return "", ""


def _publisher(scope: etree._Element, meta: dict[str, str]) -> tuple[str, str]:
    for images, source in ((_LOGO, "img.media_end_head_top_logo_img[alt]"),
                           (_PRESS_NAME, "span.media_end_head_top_press"),
                           (_PRESS_IMAGE, "img.media_end_head_top_img[alt]"),
                           (_LEGACY_LOGO, "div.press_logo img[alt]")):
        for element in images(scope):
            name = text_of(element) if element.tag == "span" else element.get("alt") or element.get("title")
            if name and name.strip():
                return name, source
    author = meta.get("og:article:author", "")
    if author.strip():
        return author.split("|")[0].strip(), "meta[og:article:author]"
    creator = meta.get("twitter:creator", "")
    return (creator, "meta[twitter:creator]") if creator.strip() else ("", "")


def _author(scope: etree._Element) -> tuple[str, str]:
    for elements, source in ((_BYLINE, "span.byline_s"), (_JOURNALIST, "em.media_end_head_journalist_name")):
        names = dict.fromkeys(" ".join(text_of(el).split()) for el in elements(scope))
        joined = ", ".join(name for name in names if name)
        if joined:
            return joined, source
    return "", ""


def _times(scope: etree._Element) -> tuple[tuple[str, str], str]:
    """((published, modified), the selector they came from); empty strings where unreadable."""
    published = _data_time(_first(_PUBLISHED(scope)) or "")
    if published:
        return (published, _data_time(_first(_MODIFIED(scope)) or "")), "span._ARTICLE_DATE_TIME[data-date-time]"
    legacy = [legacy_time(text_of(span)) for span in _LEGACY_TIMES(scope)[:2]] + ["", ""]
    return (legacy[0], legacy[1]), "span.t11" if legacy[0] else ""


def _data_time(value: str) -> str:
    match = _DATA_TIME.match(value.strip())
    return real_time(match.group(1)) if match else ""


def real_time(value: str) -> str:
    """`value` if it is a time that exists (not `2025-02-30 10:00`, not `9999-99-99 99:99`), else ''."""
    try:
        datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        return ""
    return value


def legacy_time(text: str) -> str:
    """`2020.09.19. 오후 8:28` → `2020-09-19 20:28` (오전/오후 are AM/PM); '' if unreadable."""
    match = _LEGACY_TIME.search(text)
    if not match:
        return ""
    year, month, day, half, hour, minute = match.groups()
    hour_24 = int(hour) % 12 + (12 if half == "오후" else 0) if half else int(hour)
    return real_time(f"{year}-{int(month):02d}-{int(day):02d} {hour_24:02d}:{minute}")


def _category(scope: etree._Element, meta: dict[str, str], url: str, given_url: str) -> tuple[str, str]:
    for labels, source in ((_CATEGORY, ".media_end_categorize_item"), (_LEGACY_CATEGORY, "em.guide_categorization_item")):
        label = _first(labels(scope))
        if label is not None and text_of(label).strip():
            return text_of(label), source
    if meta.get("me2:category2", "").strip():
        return meta["me2:category2"], "meta[me2:category2]"
    for address in (url, given_url):
        query = parse_qs(urlsplit(address).query)
        sid = (query.get("sid") or query.get("sid1") or [""])[0]
        if sid in SECTIONS:
            return SECTIONS[sid], "?sid= of the URL"
    return "", ""
