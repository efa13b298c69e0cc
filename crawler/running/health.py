"""Extraction health: notice on the first run when Naver changes its pages.

Every public Naver crawler has died the same way: the HTML changed and the crawler went
on "succeeding", writing nothing or empty bodies for weeks. Spiders count every article
page (ok or failed, with the fields it lacked) and every list page in Scrapy's stats;
at the end of a run `health_report` compares them with the thresholds and, if too many
broke, writes a short report naming the fields, the selectors that no longer match and
example URLs (`crawler.running.summary.RunSummary` puts it in the stats and the log, and the
state records it with the run). `naver-news` then exits with its own code (4).
"""
from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.reading.article_page import REQUIRED, SELECTORS
from crawler.reading.list_pages import LIST_LINKS_SELECTOR

FIELD_NAMES = {"title": "title", "publisher": "publisher", "published_at": "date", "content": "body"}
EXAMPLES = 3


def add_example(stats: StatsCollector, key: str, url: str) -> None:
    examples = stats.get_value(key, [])
    if len(examples) < EXAMPLES:
        stats.set_value(key, [*examples, url])


def record_health(stats: StatsCollector, url: str, missing: tuple[str, ...]) -> None:
    """One page that looked like an article, and the required fields it lacked."""
    stats.inc_value("health/article_pages")
    if missing:
        stats.inc_value("health/failed_pages")
        for name in missing:
            stats.inc_value(f"health/missing/{name}")
            add_example(stats, f"health/examples/{name}", url)


def record_list_page(stats: StatsCollector, url: str, links: int, says_empty: bool, had_links: bool) -> None:
    """One list page: how many article links it gave. A page with none that does not say it
    has none is suspect; more so if the same list gave links on earlier pages."""
    stats.inc_value("health/list_pages")
    stats.inc_value("health/list_links", links)
    if not links and not says_empty:
        stats.inc_value("health/empty_list_pages")
        add_example(stats, "health/examples/list", url)
        if had_links:
            stats.inc_value("health/lost_list_pages")


def health_report(stats: dict[str, Any], settings: BaseSettings) -> list[str]:
    """Lines saying what broke, or none when the run looks healthy."""
    lines = []
    pages, failed = stats.get("health/article_pages", 0), stats.get("health/failed_pages", 0)
    if failed >= settings.getint("HEALTH_MIN_FAILED_PAGES") and failed > settings.getfloat(
            "HEALTH_MAX_FAILED_RATIO") * pages:
        for name in sorted(REQUIRED, key=lambda name: -stats.get(f"health/missing/{name}", 0)):
            count = stats.get(f"health/missing/{name}", 0)
            if count:
                lines.append(f"page layout may have changed: {count} of {pages} article pages had no "
                             f"{FIELD_NAMES[name]} ({', '.join(SELECTORS[name])} not found); e.g. "
                             + ", ".join(stats.get(f"health/examples/{name}", [])))
    empty, listed = stats.get("health/empty_list_pages", 0), stats.get("health/list_pages", 0)
    if stats.get("health/lost_list_pages", 0) or (empty and not stats.get("health/list_links", 0)):
        lines.append(f"list layout may have changed: {empty} of {listed} list pages had no article links "
                     f"({LIST_LINKS_SELECTOR} not found); e.g. " + ", ".join(stats.get("health/examples/list", [])))
    return lines
