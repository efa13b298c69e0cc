"""content_hash: what deduplication and edit detection compare."""
from __future__ import annotations

import hashlib

from crawler.items import Article, UnavailableArticle


def content_hash(content: str) -> str:
    """sha256 of the unescaped content text, as the contract defines it."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class FingerprintPipeline:
    def process_item(self, item: Article | UnavailableArticle) -> Article | UnavailableArticle:
        if isinstance(item, Article):
            item["content_hash"] = content_hash(item["content"])
        return item
