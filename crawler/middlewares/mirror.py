"""Download every request for a Naver host from a mirror: `https://HOST/PATH?Q` → `MIRROR/HOST/PATH?Q`.

The offline demo and the tests serve realistic pages from 127.0.0.1 this way. Spiders
never see the mirror: responses come back under their Naver URL, and so do the targets
of redirects, so redirects, item URLs and the unsupported-host and offsite checks work as
they would against Naver.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

NAVER_DOMAIN = "naver.com"


class MirrorError(ValueError):
    """A mirror setting that is not an http(s) base URL; the message quotes it."""


def check_mirror(mirror: str) -> str:
    """The mirror base URL without its trailing slash (or a `warc:PATH` archive), or MirrorError."""
    if mirror.startswith("warc:"):
        from crawler.archive.replay import ReplayError, replay_files

        try:
            replay_files(mirror)
        except ReplayError as error:
            raise MirrorError(str(error)) from None
        return mirror
    parts = urlsplit(mirror)
    try:
        parts.port  # noqa: B018 (read to check it: urlsplit only fails when asked)
    except ValueError:
        raise MirrorError(f"invalid mirror {mirror!r}: its port is not a port number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise MirrorError(f"invalid mirror {mirror!r}: expected a base URL like http://127.0.0.1:8080")
    return mirror.rstrip("/")


def is_naver_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == NAVER_DOMAIN or host.endswith("." + NAVER_DOMAIN)


def to_mirror(mirror: str, url: str) -> str:
    """`https://n.news.naver.com/a?b` → `MIRROR/n.news.naver.com/a?b`."""
    return f"{mirror}/{url.split('://', 1)[1]}"


def from_mirror(mirror: str, url: str) -> str | None:
    """The URL a mirror URL stands for (`MIRROR/HOST/PATH` → `https://HOST/PATH`), or None."""
    prefix = mirror + "/"
    return "https://" + url[len(prefix):] if url.startswith(prefix) and len(url) > len(prefix) else None


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, which with NAVER_MIRROR (env NAVER_NEWS_MIRROR, CLI --mirror)
    downloads a Naver request from the mirror, and gives the answer back under its Naver URL
    (a redirect's target too). The request itself is never rewritten, so nothing before
    the download (the scheduler, the middlewares, per-host politeness) sees the mirror."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        mirror = crawler.settings.get("NAVER_MIRROR")
        # Off for Naver itself (the normal case) and an archive (ReplayMiddleware answers).
        self.mirror = check_mirror(mirror) if mirror and not mirror.startswith("warc:") else ""

    async def download_request(self, request: Request) -> Response:
        if not self.mirror or not is_naver_url(request.url):
            return await super().download_request(request)
        response = await super().download_request(request.replace(url=to_mirror(self.mirror, request.url)))
        location = response.headers.get(b"Location")
        if location:
            target = from_mirror(self.mirror, urljoin(response.url, location.decode("latin-1")))
            if target:
                response.headers[b"Location"] = target.encode()
        return response.replace(url=request.url)
