"""Page → article fields, for the current and the legacy Naver layouts.

Pure functions over the lxml tree Scrapy has already parsed (`response.selector.root`):
nothing here parses HTML again, and only the article container is walked for text.
Whitespace, NFC and one-line rules are applied later by `pipelines.normalize`; this
module decides what counts as text and where paragraphs and lines break.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from crawler.sources.ids import SECTIONS, InvalidArticleId, id_from_url, is_unsupported_url

# A page's verdict, which is also an article's status in the state.
OK, GONE, UNSUPPORTED, FAILED = "ok", "gone", "unsupported", "failed"


def has_class(name: str) -> str:
    """An XPath test for one class among an element's classes (what CSS `.name` means)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def xpath(expr: str) -> etree.XPath:
    """A compiled XPath returning plain strings (no smart strings holding on to the tree)."""
    return etree.XPath(expr, smart_strings=False)


# Lookups by id use libxml2's id index (`id()`), not a scan of the whole document.
# The article column (`#ct`, legacy `#main_content`) holds head and body; sidebars sit outside it.
_MAIN = xpath("id('ct main_content')")
_META = xpath("/html/head/meta[@content]")
_BODY = xpath("id('dic_area articleBodyContents')")
_TITLE = xpath("id('title_area articleTitle')")
_HEADLINE = xpath(f".//*[{has_class('media_end_head_headline')}]")
_LOGO = xpath(f".//img[{has_class('media_end_head_top_logo_img')}]")
_LEGACY_LOGO = xpath(f".//div[{has_class('press_logo')}]//img")
_BYLINE = xpath(f".//span[{has_class('byline_s')}]")
_JOURNALIST = xpath(f".//em[{has_class('media_end_head_journalist_name')}]")
_PUBLISHED = xpath(".//span[@data-date-time]/@data-date-time")
_MODIFIED = xpath(".//span[@data-modify-date-time]/@data-modify-date-time")
_LEGACY_TIMES = xpath(f".//span[{has_class('t11')}]")
_CATEGORY = xpath(f".//*[{has_class('media_end_categorize_item')}]")
_LEGACY_CATEGORY = xpath(f".//em[{has_class('guide_categorization_item')}]")
# What Naver's error page (deleted or unknown article) has and an article page has not.
_ERROR_PAGE = xpath(f"//div[{has_class('error_wrap')} or {has_class('error_content')} or {has_class('error_page')}"
                    " or @id='errorContent']")

# What is tried for each field, in order, by the names reports and `naver-news doctor` show.
SELECTORS = {
    "title": ("h2#title_area", "h3#articleTitle", ".media_end_head_headline", "meta[og:title]"),
    "publisher": ("img.media_end_head_top_logo_img[alt]", "div.press_logo img[alt]",
                  "meta[og:article:author]", "meta[twitter:creator]"),
    "author": ("span.byline_s", "em.media_end_head_journalist_name"),
    "published_at": ("span._ARTICLE_DATE_TIME[data-date-time]", "span.t11"),
    "category": (".media_end_categorize_item", "em.guide_categorization_item", "meta[me2:category2]",
                 "?sid= of the URL"),
    "content": ("article#dic_area", "div#articleBodyContents"),
}
REQUIRED = ("title", "publisher", "published_at", "content")
# Below this size a page without any sign of an article is an error page, not a changed one.
FULL_PAGE_BYTES = 30_000

_DATA_TIME = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_LEGACY_TIME = re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})\.?\s*(오전|오후)?\s*(\d{1,2}):(\d{2})")

# Not text: removed with everything inside them (their tail text stays).
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "iframe", "button", "svg", "template", "img",
                           "figure", "figcaption", "video", "audio", "object", "embed", "input",
                           "select", "textarea", "form"})
_SKIPPED_CLASSES = frozenset({"end_photo_org", "nbd_im_w", "nbd_table", "img_desc",
                              "_VOD_PLAYER_WRAP", "vod_player_wrap", "blind"})
# Elements whose edges end a paragraph.
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
                         "dd", "blockquote", "table", "thead", "tbody", "tfoot", "section", "article",
                         "header", "footer", "aside", "pre", "hr", "center", "address", "caption"})
_SUMMARY_CLASS = "media_end_summary"


@dataclass
class Page:
    """What one article page says. `paragraphs` holds raw lines; `sources` names the selector
    each field came from; `missing` names the required fields that came out empty."""

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


def extract_page(root: etree._Element, url: str, given_url: str = "", size: int = 0) -> Page:
    """Read an article page. `url` is the final (Naver) URL after redirects, `given_url` the one
    crawled, `size` the page's length in bytes.

    The verdict: unsupported (an entertainment or sports URL); gone (an error page, or a small
    page with no sign of an article); failed (it looks like an article, by its containers, its
    og:type, or a full page at an article URL, but a required field is empty); else ok.
    """
    if is_unsupported_url(url):
        return Page(UNSUPPORTED)
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
    publisher, publisher_source = _publisher(scope, meta)
    author, author_source = _author(scope)
    category, category_source = _category(scope, meta, url, given_url)
    page = Page(OK, title=title, publisher=publisher, author=author, published_at=published,
                modified_at=modified, category=category,
                paragraphs=body_paragraphs(body) if body is not None else [])
    content_source = ("article#dic_area" if body.get("id") == "dic_area" else "div#articleBodyContents") \
        if page.paragraphs else ""
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


def _text(el: etree._Element) -> str:
    """An element's text without what is not text (a `<script>` in a headline, say)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIPPED_TAGS:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _meta_tags(root: etree._Element) -> dict[str, str]:
    tags: dict[str, str] = {}
    for meta in _META(root):
        name = meta.get("property") or meta.get("name")
        if name and name not in tags:
            tags[name] = meta.get("content")
    return tags


def _title(root: etree._Element, scope: etree._Element, meta: dict[str, str]) -> tuple[str, str]:
    element = _first(_TITLE(root))
    if element is not None and _text(element).strip():
        return _text(element), f"{element.tag}#{element.get('id')}"
    headline = _first(_HEADLINE(scope))
    if headline is not None and _text(headline).strip():
        return _text(headline), ".media_end_head_headline"
    if meta.get("og:title", "").strip():
        return meta["og:title"], "meta[og:title]"
    return "", ""


def _publisher(scope: etree._Element, meta: dict[str, str]) -> tuple[str, str]:
    for images, source in ((_LOGO, "img.media_end_head_top_logo_img[alt]"), (_LEGACY_LOGO, "div.press_logo img[alt]")):
        for img in images(scope):
            name = img.get("alt") or img.get("title")
            if name and name.strip():
                return name, source
    author = meta.get("og:article:author", "")
    if author.strip():
        return author.split("|")[0].strip(), "meta[og:article:author]"
    creator = meta.get("twitter:creator", "")
    return (creator, "meta[twitter:creator]") if creator.strip() else ("", "")


def _author(scope: etree._Element) -> tuple[str, str]:
    for elements, source in ((_BYLINE, "span.byline_s"), (_JOURNALIST, "em.media_end_head_journalist_name")):
        names = dict.fromkeys(" ".join(_text(el).split()) for el in elements(scope))
        joined = ", ".join(name for name in names if name)
        if joined:
            return joined, source
    return "", ""


def _times(scope: etree._Element) -> tuple[tuple[str, str], str]:
    """((published, modified), the selector they came from); empty strings where unreadable."""
    published = _data_time(_first(_PUBLISHED(scope)) or "")
    if published:
        return (published, _data_time(_first(_MODIFIED(scope)) or "")), "span._ARTICLE_DATE_TIME[data-date-time]"
    legacy = [legacy_time(_text(span)) for span in _LEGACY_TIMES(scope)[:2]] + ["", ""]
    return (legacy[0], legacy[1]), "span.t11" if legacy[0] else ""


def _data_time(value: str) -> str:
    match = _DATA_TIME.match(value.strip())
    return _real_time(match.group(1)) if match else ""


def _real_time(value: str) -> str:
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
    return _real_time(f"{year}-{int(month):02d}-{int(day):02d} {hour_24:02d}:{minute}")


def _category(scope: etree._Element, meta: dict[str, str], url: str, given_url: str) -> tuple[str, str]:
    for labels, source in ((_CATEGORY, ".media_end_categorize_item"), (_LEGACY_CATEGORY, "em.guide_categorization_item")):
        label = _first(labels(scope))
        if label is not None and _text(label).strip():
            return _text(label), source
    if meta.get("me2:category2", "").strip():
        return meta["me2:category2"], "meta[me2:category2]"
    for address in (url, given_url):
        query = parse_qs(urlsplit(address).query)
        sid = (query.get("sid") or query.get("sid1") or [""])[0]
        if sid in SECTIONS:
            return SECTIONS[sid], "?sid= of the URL"
    return "", ""


class _BodyText:
    """Collects paragraphs of lines from a walk over the body, dropping navigation lines."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.chars = 0        # non-space characters on the current line
        self.link_chars = 0   # of which inside <a>
        self.breaks = 0       # <br>s since the last text

    def text(self, text: str, in_link: bool) -> None:
        chars = len("".join(text.split()))
        if not chars:
            if self.parts and not self.breaks:
                self.parts.append(text)
            return
        if self.breaks:
            self.end_paragraph() if self.breaks > 1 else self.end_line()
        self.parts.append(text)
        self.chars += chars
        if in_link:
            self.link_chars += chars

    def br(self) -> None:
        self.breaks += 1

    def end_line(self) -> None:
        # A line made at least half of link text is promotion (`채널 구독`, `홈페이지 바로가기`), not prose.
        if self.chars and self.link_chars * 2 < self.chars:
            self.lines.append("".join(self.parts))
        self.parts, self.chars, self.link_chars, self.breaks = [], 0, 0, 0

    def end_paragraph(self) -> None:
        self.end_line()
        if self.lines:
            self.paragraphs.append(self.lines)
            self.lines = []


def body_paragraphs(body: etree._Element) -> list[list[str]]:
    """The body container's text as paragraphs of raw lines, per the contract's rules."""
    out = _BodyText()
    if body.text:
        out.text(body.text, False)
    _walk(body, out, False)
    out.end_paragraph()
    return out.paragraphs


def _skipped(el: etree._Element) -> bool:
    classes = el.get("class")
    return el.tag in _SKIPPED_TAGS or bool(classes and _SKIPPED_CLASSES.intersection(classes.split()))


def _walk(parent: etree._Element, out: _BodyText, in_link: bool) -> None:
    for el in parent:
        tag = el.tag
        if not isinstance(tag, str) or _skipped(el):
            pass  # comments, processing instructions, and non-text elements
        elif tag == "br":
            out.br()
        elif tag == "tr":
            out.end_paragraph()
            cells = [" ".join(_cell_text(cell).split()) for cell in el if cell.tag in ("td", "th")]
            out.text(" | ".join(cell for cell in cells if cell), False)
            out.end_paragraph()
        else:
            block = tag in _BLOCK_TAGS or _SUMMARY_CLASS in (el.get("class") or "")
            link = in_link or tag == "a"
            if block:
                out.end_paragraph()
            if el.text:
                out.text(el.text, link)
            _walk(el, out, link)
            if block:
                out.end_paragraph()
        if el.tail:
            out.text(el.tail, in_link)


def _cell_text(cell: etree._Element) -> str:
    inner = _BodyText()
    if cell.text:
        inner.text(cell.text, False)
    _walk(cell, inner, False)
    inner.end_paragraph()
    return " ".join(line for lines in inner.paragraphs for line in lines)
