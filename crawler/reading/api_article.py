"""API answer → article fields, for entertainment and sports articles (README, "Output
format": entertainment and sports).

Their pages are script-rendered; the article comes from `api-gw.{entertain,sports}.naver.com
/news/article/{oid}/{aid}` as JSON whose `article.content` is body HTML with the same
elements as a page's `#dic_area`. That HTML is read by the same body reader as pages
(`crawler.reading.body_text`), so every text rule holds alike, photo-only bodies and
the dateline included. The result is the same `Page` an article page gives.
"""
from __future__ import annotations

import json
from typing import Any

import lxml.html

from crawler.reading.article_page import (
    DATELINE,
    FAILED,
    GONE,
    OK,
    REQUIRED,
    Page,
    real_time,
)
from crawler.reading.body_text import read_body
from crawler.reading.dateline import dateline_author

# What each field is read from, by the names doctor and the health report show.
API_SELECTORS = {
    "title": ("article.title",),
    "publisher": ("officeInfo.hname",),
    "author": ("article.reporter", "journalistCards.bylines", DATELINE),
    "published_at": ("article.serviceDatetime",),
    "category": ("article.sections[0].firstSectionName",),
    "content": ("article.content",),
}


def extract_api(body: bytes | str) -> Page:
    """Read one API answer. Not JSON, `success: false`, or no `result.articleInfo.article`:
    failed (the field `content` names what was missing). A well-formed answer saying the
    article does not exist (code 404): gone."""
    try:
        answer = json.loads(body)
    except ValueError:
        return broken_answer("the answer is not JSON")
    if not isinstance(answer, dict):
        return broken_answer("the answer is not a JSON object")
    if answer.get("code") in (404, "404"):
        return Page(GONE)
    if answer.get("success") is not True:
        return broken_answer(f"success: {json.dumps(answer.get('success'))}, code {answer.get('code')}")
    result = answer.get("result") if isinstance(answer.get("result"), dict) else {}
    info = result.get("articleInfo") if isinstance(result.get("articleInfo"), dict) else {}
    article = info.get("article")
    if not isinstance(article, dict):
        return broken_answer("no result.articleInfo.article")
    return _fields(article, info, result)


def _fields(article: dict[str, Any], info: dict[str, Any], result: dict[str, Any]) -> Page:
    text = read_body(lxml.html.fragment_fromstring(_text(article.get("content")) or "<p></p>",
                                                   create_parent="div"))
    office = result.get("officeInfo") if isinstance(result.get("officeInfo"), dict) else {}
    cards = info.get("journalistCards") if isinstance(info.get("journalistCards"), dict) else {}
    bylines = [_text(line) for line in cards.get("bylines") or [] if _text(line).strip()]
    author, author_source = _text(article.get("reporter")), "article.reporter"
    if not author.strip():
        author, author_source = ", ".join(dict.fromkeys(bylines)), "journalistCards.bylines"
    if not author.strip() and not text.from_captions:
        author, author_source = dateline_author(text.first_line_after_summary), DATELINE
    sections = article.get("sections") if isinstance(article.get("sections"), list) else []
    category = _text(sections[0].get("firstSectionName")) if sections and isinstance(sections[0], dict) else ""
    page = Page(OK, title=_text(article.get("title")), publisher=_text(office.get("hname")),
                author=author if author.strip() else "", published_at=_time(article.get("serviceDatetime")),
                modified_at=_time(article.get("modifyDatetime")), category=category, paragraphs=text.paragraphs,
                body_found="content" in article)
    values = {"title": page.title, "publisher": page.publisher, "author": page.author,
              "published_at": page.published_at, "category": page.category, "content": page.paragraphs}
    page.sources = {name: (author_source if name == "author" else API_SELECTORS[name][0]) if value else ""
                    for name, value in values.items()}
    if text.from_captions:
        page.sources["content"] = "article.content em.img_desc (a photo-only body)"
    page.missing = tuple(name for name in REQUIRED if not page.sources[name])
    if page.missing:
        page.verdict = FAILED
    return page


def broken_answer(why: str) -> Page:
    """An answer that holds no article: failed, its content missing, and why."""
    return Page(FAILED, sources={"content": ""}, missing=("content",), why=why)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _time(value: object) -> str:
    """`2026-10-07 23:41:11` → `2026-10-07 23:41`; '' for anything else."""
    return real_time(value[:16]) if isinstance(value, str) and len(value) >= 16 else ""
