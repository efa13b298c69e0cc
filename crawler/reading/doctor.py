"""`naver-news doctor URL|FILE`: what extraction finds on one page, and why.

Every field with its value and the selector that gave it (or the selectors that found
nothing), the paragraph count and the verdict: how a user answers "why was this article
skipped?", and how a developer starts on a page that broke.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.http import TextResponse

from crawler.reading.api_article import API_SELECTORS, extract_api
from crawler.reading.article_page import (
    REQUIRED,
    SELECTORS,
    extract_page,
    page_tree,
    page_url,
)
from crawler.reading.list_pages import (
    LIST_LINKS_SELECTOR,
    article_links,
    current_page,
    next_page,
    says_no_articles,
)
from crawler.sources.ids import API_HOSTS
from pipelines.normalize import content_text, one_line

FIELDS = ("title", "publisher", "author", "published_at", "modified_at", "category", "content")


def diagnose(response: TextResponse, url: str = "", saved: bool = False) -> tuple[str, list[str]]:
    """(verdict, report lines) for an article or day list page; `url` is where the page came
    from when the response's is not; a `saved` page is taken to be the one it names itself
    (`og:url`, the canonical link)."""
    if "/main/list.naver" in (url or response.url):
        root = response.selector.root
        url = url or response.url
        links = article_links(root, response.url)
        verdict = "ok" if links or says_no_articles(root) else "failed"
        return verdict, [
            url, f"{'verdict':<13} {verdict} (a day list page)",
            f"{'links':<13} {len(links)} article links" + ("" if links else f" (not found: {LIST_LINKS_SELECTOR})"),
            f"{'page':<13} {current_page(root)} (next: {next_page(root, current_page(root) or 0)})",
            *(f"{'':<13} {article} {link}" for article, link in links[:5]),
        ]
    if (urlsplit(url or response.url).hostname or "") in API_HOSTS.values():
        page, selectors = extract_api(response.body), API_SELECTORS
        url = url or response.url
    else:
        tree = page_tree(response.body, response.encoding)
        url = url or (page_url(tree) if saved else "") or response.url
        page, selectors = extract_page(tree, url, url, len(response.body)), SELECTORS
    verdict = page.verdict + (f": missing {', '.join(page.missing)}" if page.missing else "")
    lines = [url, f"{'verdict':<13} {verdict}" + (f" ({page.why})" if page.why else "")]
    if page.verdict not in ("ok", "failed"):
        return page.verdict, lines
    text = content_text(page.paragraphs)
    for name in FIELDS:
        source = page.sources.get(name, page.sources["published_at"] if name == "modified_at" else "")
        if name == "content":
            value = f"{text.count(chr(10) * 2) + 1} paragraphs, {len(text):,} characters" if text else ""
        else:
            value = one_line(getattr(page, name))
        if value:
            lines.append(f"{name:<13} {value}  ← {source}")
        elif name == "content" and page.body_found:
            lines.append(f"{name:<13} MISSING (body found, no text: neither paragraphs nor a photo caption)")
        elif name in selectors:
            label = "MISSING" if name in REQUIRED else "—"
            lines.append(f"{name:<13} {label} (not found: {', '.join(selectors[name])})")
        else:
            lines.append(f"{name:<13} —")
    if text:
        lines.append(f"{'':<13} {text[:120].replace(chr(10), ' / ')} …")
    return page.verdict, lines
