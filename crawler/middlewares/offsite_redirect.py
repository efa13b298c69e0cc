"""A redirect away from Naver ends the request before it is followed.

Such a page is not Naver's: it is never fetched, never archived under a Naver id, and
the article fails with the target named (the request's errback gets the reason).
"""
from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.middlewares.mirror import is_naver_url


class OffsiteRedirectMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            target = urljoin(response.url, location.decode("latin-1"))
            if not is_naver_url(target):
                raise IgnoreRequest(f"redirected off Naver to {target}")
        return response
