"""Keep every response the crawl receives in the folder's web archive (WARC).

Article pages, list pages and API answers, redirects included, each as it arrived under
its Naver URL (after the mirror has mapped it back). The response record's location goes
into the request's meta, so the spider hands it on with the article and the state can
index it; the state syncs the archive before it commits any such reference. A write that
fails (a full disk) fails the request and stops the crawl, like any other write.

The pairs are built by the archive's helper process (`helper`), the appends done here.
A worker of the shared frontier has no folder: it builds the same record pairs and carries
them in the request's meta (`CARRIED`), each located as `pending:N`, and the archive side
appends them with `append` and puts the real location in place.

A response the spider will read as an article page (a 200 page for a request it marked
`READ_AS_PAGE`) is read by the helper too, from the copy it has already: the
`Page` comes back in the meta (`PAGE_READ`), and the spider only reads what has none.
"""
from __future__ import annotations

from functools import partial

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.archive.helper import Job, RecordHelper
from crawler.archive.warc_files import LOCATION, WarcArchive, exchange
from pipelines.state import STORAGE_FULL, StateExtension, stop_crawl

# Meta of a worker's request: the record pairs its responses gave, for the archive side.
CARRIED = "warc_carried"
PENDING = "pending:"
# Meta of a request the spider reads as an article page: the URL it crawled for it; and of
# its response, once the helper has read it: the `Page`.
READ_AS_PAGE, PAGE_READ = "read_as_page", "page_read"


class WarcMiddleware:
    def __init__(self, crawler: Crawler, archive: WarcArchive | None) -> None:
        self.crawler = crawler
        self.archive = archive
        self.state = crawler.get_extension(StateExtension)
        self.helper: RecordHelper | None = None  # at spider_opened
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
        assert self.helper is not None
        pair, page = await maybe_deferred_to_future(self.helper.build(Job(exchange(request, response),
                                                                          read_as(request, response))))
        if page is None:
            request.meta.pop(PAGE_READ, None)  # a redirect's request copies its first page's meta
        else:
            request.meta[PAGE_READ] = page
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

        self.helper = RecordHelper(reactor, partial(stop_crawl, self.crawler, reason="archive_lost"))

    async def spider_closed(self) -> None:
        if self.helper is not None:
            await maybe_deferred_to_future(self.helper.close())
        if self.archive is not None:
            self.archive.close()


def read_as(request: Request, response: Response) -> tuple[str, str] | None:
    """How the helper is to read a 200 page for a request marked `READ_AS_PAGE`: (its
    encoding, the URL crawled); else None. The spider decides what the page is: one it
    does not read as an article (a redirect off the article hosts) was read for nothing."""
    given_url = request.meta.get(READ_AS_PAGE)
    if given_url is None or response.status != 200 or not isinstance(response, TextResponse):
        return None
    return response.encoding, given_url
