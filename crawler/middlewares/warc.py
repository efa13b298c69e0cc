"""Keep every response the crawl receives in the folder's web archive (WARC).

Article pages, list pages and API answers, redirects included, each as it arrived under
its Naver URL (after the mirror has mapped it back). The response record's location goes
into the request's meta, so the spider hands it on with the article and the state can
index it; the state syncs the archive before it commits any such reference. A write that
fails (a full disk) fails the request and stops the crawl, like any other write.
"""
from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.archive.warc_files import LOCATION, WarcArchive
from pipelines.state import STORAGE_FULL, StateExtension


class WarcMiddleware:
    def __init__(self, crawler: Crawler, archive: WarcArchive) -> None:
        self.crawler = crawler
        self.archive = archive
        self.state = crawler.get_extension(StateExtension)
        self.state.state.before_commit.append(archive.sync)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED") or settings.get("NAVER_MIRROR", "").startswith("warc:") \
                or crawler.get_extension(StateExtension) is None:
            raise NotConfigured  # off, replaying an archive already, or a run that keeps nothing (doctor)
        return cls(crawler, WarcArchive(settings["OUTPUT_DIR"], settings.getint("WARC_MAX_BYTES")))

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            request.meta[LOCATION] = self.archive.write(request, response)
        except OSError as error:
            if error.errno in STORAGE_FULL:
                self.state.storage_failed(f"cannot write the web archive {self.archive.path}: {error.strerror}")
            raise
        return response

    def spider_closed(self) -> None:
        self.archive.close()
