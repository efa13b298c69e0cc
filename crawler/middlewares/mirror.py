"""Send every request for a Naver host to a mirror: `https://HOST/PATH?Q` → `MIRROR/HOST/PATH?Q`.

The offline demo and the tests serve realistic pages from 127.0.0.1 this way. Spiders
never see the mirror: responses come back under their Naver URL, so redirects, item
URLs and the unsupported-host check work as they would against Naver.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

NAVER_DOMAIN = "naver.com"


class MirrorError(ValueError):
    """A mirror setting that is not an http(s) base URL; the message quotes it."""


def check_mirror(mirror: str) -> str:
    """The mirror base URL without its trailing slash, or MirrorError."""
    parts = urlsplit(mirror)
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
    """The Naver URL a mirror URL stands for, or None if it is not one."""
    prefix = mirror + "/"
    if not url.startswith(prefix):
        return None
    naver = "https://" + url[len(prefix):]
    return naver if is_naver_url(naver) else None


class MirrorMiddleware:
    """Enabled by the NAVER_MIRROR setting (env NAVER_NEWS_MIRROR, CLI --mirror)."""

    def __init__(self, mirror: str) -> None:
        self.mirror = check_mirror(mirror)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorMiddleware:
        mirror = crawler.settings.get("NAVER_MIRROR")
        if not mirror:
            raise NotConfigured  # the normal case: talk to Naver itself (no args: no warning)
        return cls(mirror)

    def process_request(self, request: Request) -> Request | None:
        if is_naver_url(request.url):
            # Rescheduled as the mirror request; dont_filter because the Naver one already passed.
            return request.replace(url=to_mirror(self.mirror, request.url), dont_filter=True)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        naver = from_mirror(self.mirror, response.url)
        return response.replace(url=naver) if naver else response
