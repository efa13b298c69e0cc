"""`--mirror warc:PATH`: answer every request from archived responses, never the network.

PATH is a WARC file or a folder of them (an output folder's `.naver-news/warc/`). A
request is answered by the last response archived for its URL, redirects included, so a
crawl, the demo and `doctor` run fully offline; what the archive does not hold is a 404.
"""
from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.archive.warc_files import (
    FETCHED_AT,
    LOCATION,
    SUFFIX,
    archive_files,
    read_record,
    response_locations,
)

SCHEME = "warc:"


class ReplayError(ValueError):
    """A `warc:` mirror that names no WARC file; the message quotes it."""


def replay_files(mirror: str) -> dict[str, Path]:
    """The WARC files a `warc:PATH` mirror names, by file name; ReplayError if none."""
    path = Path(mirror.removeprefix(SCHEME))
    files = {path.name: path} if path.is_file() and path.name.endswith(SUFFIX) else archive_files(path)
    if not files:
        raise ReplayError(f"invalid mirror {mirror!r}: no {SUFFIX} file there")
    return files


def archived_response(files: dict[str, Path], location: str, request: Request) -> Response:
    """The archived response at `location`, as Scrapy would have received it."""
    archived = read_record(files, location)
    headers = Headers(archived.headers)
    request.meta[LOCATION], request.meta[FETCHED_AT] = location, archived.fetched_at
    cls = responsetypes.from_args(headers=headers, url=archived.url)
    return cls(url=archived.url, status=archived.status, headers=headers, body=archived.body, request=request)


class ReplayMiddleware:
    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files
        self.index: dict[str, str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        mirror = crawler.settings.get("NAVER_MIRROR", "")
        if not mirror.startswith(SCHEME):
            raise NotConfigured
        return cls(replay_files(mirror))

    def process_request(self, request: Request) -> Response:
        if self.index is None:
            self.index = {url: where for file in self.files.values() for url, where in
                          response_locations(file).items()}
        location = self.index.get(request.url)
        if location is None:
            return Response(request.url, status=404, body=b"", request=request)
        return archived_response(self.files, location, request)
