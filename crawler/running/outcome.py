"""What became of each article, said once: counted in the stats, logged, and signalled.

    new / updated / restored   its file was written (first time / content changed /
                    same content, but the file had gone missing or was damaged)
    reparsed        its archived page, read again by `reparse`, gave a file other than
                    the one there (or one where there was none)
    unchanged       fetched, same content: the file was not touched
    duplicate       same content as another article's file: no second file
    skipped         known and not due: not fetched at all
    gone / unsupported / failed   no file (deleted or unknown; entertainment or sports;
                    errors or a page missing required fields)

The `naver-news` command listens to `article_outcome` to print one line per article.
"""
from __future__ import annotations

import logging

from scrapy.crawler import Crawler

OUTCOMES = ("new", "updated", "restored", "reparsed", "unchanged", "duplicate", "skipped", "gone", "unsupported", "failed")
WRITTEN = ("new", "updated", "restored", "reparsed")

# Sent with: article (ArticleId or id string), outcome, detail (a path, a reason, or "").
article_outcome = object()

logger = logging.getLogger("naver_news.articles")


def report_outcome(crawler: Crawler, article: object, outcome: str, detail: str = "") -> None:
    crawler.stats.inc_value(f"articles/{outcome}")
    level = logging.WARNING if outcome == "failed" else logging.INFO
    logger.log(level, "%s %s%s", outcome, article, f": {detail}" if detail else "")
    crawler.signals.send_catch_log(article_outcome, article=article, outcome=outcome, detail=detail)
