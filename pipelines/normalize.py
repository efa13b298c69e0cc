"""The contract's text rules that need no DOM: whitespace, NFC, one-line values, empty lines."""
from __future__ import annotations

import unicodedata

from crawler.items import Article, UnavailableArticle

ONE_LINE_FIELDS = ("title", "category", "publisher", "author", "published_at", "modified_at")


def one_line(text: str | None) -> str:
    """Collapse every whitespace run (tabs, newlines, NBSP) to one space and strip; NFC."""
    return nfc(" ".join(text.split())) if text else ""


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def content_text(paragraphs: list[list[str]]) -> str:
    """Paragraphs of raw lines → the content block: lines by `\\n`, paragraphs by a blank line."""
    kept = []
    for lines in paragraphs:
        cleaned = [line for line in map(one_line, lines) if line]
        if cleaned:
            kept.append("\n".join(cleaned))
    return "\n\n".join(kept)


class NormalizePipeline:
    """Turns the spider's raw text into the contract's: one-line fields and the content block."""

    def process_item(self, item: Article | UnavailableArticle) -> Article | UnavailableArticle:
        if not isinstance(item, Article):
            return item
        for name in ONE_LINE_FIELDS:
            item[name] = one_line(item.get(name))
        item["content"] = content_text(item.pop("paragraphs", []))
        return item
