"""The add-on that makes a crawl the archive side of a shared frontier when REDIS_URL is
set (`naver-news crawl --redis URL`, or `scrapy crawl press … -s REDIS_URL=…`): the
seeding scheduler instead of Scrapy's, and the intake around the spider's start. For
either side it checks the Redis first, so a bad or unreachable one is refused in one line
before anything opens."""
from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.frontier.connection import FrontierError, redis_client

INTAKE_ORDER = 900  # next to the spider: its output passes the known-article skip (50)


def check_distributable(spidercls: type) -> None:
    """FrontierError unless the spider's work can be spread over workers."""
    if not getattr(spidercls, "distributable", False):
        raise FrontierError(f"the {spidercls.name} spider runs on one machine only"
                            + (": each aid it asks for depends on the last answer" if spidercls.name == "sequence"
                               else "") + "; run it without --redis (REDIS_URL)")


class SharedFrontier:
    def __init__(self, crawler: Crawler) -> None:
        self.spidercls = crawler.spidercls

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFrontier:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        worker = settings.getbool("NAVER_NEWS_WORKER")
        if not settings.get("REDIS_URL"):
            if worker:
                raise FrontierError("a worker needs the frontier's Redis: --redis URL (scrapy crawl worker -s "
                                    "REDIS_URL=redis://HOST:6379/0)")
            return
        if not worker:
            check_distributable(self.spidercls)
        redis_client(settings)
        if worker:
            return
        settings.set("SCHEDULER", "crawler.frontier.scheduler.SeedingScheduler", priority="addon")
        settings["SPIDER_MIDDLEWARES"]["crawler.frontier.intake.IntakeMiddleware"] = INTAKE_ORDER
        # Seeds go to Redis, not to a downloader: nothing here to wait for (and the answers'
        # items, which fill the scraper, would hold the seeding back).
        settings["SPIDER_MIDDLEWARES"]["crawler.middlewares.lazy_start.LazyStartMiddleware"] = None
