"""Keep every response the crawl receives in the folder's web archive (WARC).

Article pages, list pages and API answers, redirects included, each as it arrived under
its Naver URL (after the mirror has mapped it back). The response record's location goes
into the request's meta, so the spider hands it on with the article and the state can
index it; the state syncs the archive before it commits any such reference. A write that
fails (a full disk) fails the request and stops the crawl, like any other write.

A worker of the shared frontier has no folder: it builds the same record pairs and carries
them in the request's meta (`CARRIED`), each located as `pending:N`, and the archive side
appends them with `append` and puts the real location in place.
"""
from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.archive.warc_files import LOCATION, WarcArchive, archived_pair
from pipelines.state import STORAGE_FULL, StateExtension

# Meta of a worker's request: the record pairs its responses gave, for the archive side.
CARRIED = "warc_carried"
PENDING = "pending:"
# Threads of the archive's own pool: hashing and gzipping a page takes ~1.3 ms, so two keep up
# with any crawl on two cores. Its own, because Scrapy's pool also writes the Markdown files:
# there, a disk that stalls on fsync queued the pages behind it, and every download in
# flight (32 bodies of ~270 KB) waited in memory for its record.
ARCHIVE_THREADS = 2


class WarcMiddleware:
    def __init__(self, crawler: Crawler, archive: WarcArchive | None) -> None:
        self.crawler = crawler
        self.archive = archive
        self.state = crawler.get_extension(StateExtension)
        self.threads = ThreadPool(0, ARCHIVE_THREADS, name="warc")
        self.reactor: Any = None  # at spider_opened
        self.shutdown_trigger: Any = None
        if archive is not None:
            self.state.state.before_commit.append(archive.sync)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        settings = crawler.settings
        if settings.get("NAVER_MIRROR", "").startswith("warc:"):
            raise NotConfigured  # replaying an archive already
        if settings.getbool("NAVER_NEWS_WORKER"):
            return cls(crawler, None)  # records carried to the archive side, if its run keeps them
        if not settings.getbool("WARC_ENABLED") or crawler.get_extension(StateExtension) is None:
            raise NotConfigured  # off, or a run that keeps nothing (doctor)
        return cls(crawler, WarcArchive(settings["OUTPUT_DIR"], settings.getint("WARC_MAX_BYTES")))

    async def process_response(self, request: Request, response: Response) -> Response:
        carried = request.meta.get(CARRIED)
        if carried is None and self.archive is None:
            return response  # a worker whose run keeps no archive
        # In a thread, on the other core, while the reactor goes on; the append stays here.
        pair = await maybe_deferred_to_future(deferToThreadPool(self.reactor, self.threads, archived_pair,
                                                                request, response))
        if carried is not None:
            request.meta[LOCATION] = f"{PENDING}{len(carried)}"
            carried.append(pair)
        else:
            request.meta[LOCATION] = self.append(pair)
        return response

    def append(self, pair: bytes) -> str:
        """Append a record pair to the archive; a full disk stops the crawl."""
        assert self.archive is not None
        try:
            return self.archive.append(pair)
        except OSError as error:
            if error.errno in STORAGE_FULL:
                self.state.storage_failed(f"cannot write the web archive {self.archive.path}: {error.strerror}")
            raise

    def spider_opened(self) -> None:
        from twisted.internet import reactor  # Scrapy's, installed by now (at import, it might not be)

        self.reactor = reactor
        self.threads.start()
        # As Twisted does for its own pool: a forced stop (a second Ctrl-C) closes no spider,
        # and the pool's threads would keep the process from exiting.
        self.shutdown_trigger = reactor.addSystemEventTrigger("during", "shutdown", self.shutdown)

    def shutdown(self) -> None:
        self.shutdown_trigger = None  # fired: Twisted holds it no more
        self.stop_threads()

    def stop_threads(self) -> None:
        if self.threads.started:
            self.threads.stop()

    def spider_closed(self) -> None:
        if self.shutdown_trigger is not None:  # a schedule runs many crawls in one reactor
            self.reactor.removeSystemEventTrigger(self.shutdown_trigger)
            self.shutdown_trigger = None
        self.stop_threads()
        if self.archive is not None:
            self.archive.close()
