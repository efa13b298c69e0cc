"""The `doctor` spider: fetch one page, as a crawl would, and diagnose it (no state, no files).

    scrapy crawl doctor -a url=https://n.news.naver.com/mnews/article/648/0000043044
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.reading.doctor import diagnose
from crawler.sources.ids import API_HOSTS, api_site, api_url, parse_article_ref


class DoctorSpider(scrapy.Spider):
    name = "doctor"
    handle_httpstatus_all = True
    # A diagnosis touches nothing: no state, no lock, no pipelines, no skipping.
    custom_settings = {"ITEM_PIPELINES": {}, "SPIDER_MIDDLEWARES": {}, "EXTENSIONS": {}}

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not url:
            raise ValueError("doctor: give url=…")
        self.url = url
        self.verdict = ""
        self.report: list[str] = []

    async def start(self) -> Any:
        yield scrapy.Request(self.url, callback=self.examine, errback=self.unreachable, dont_filter=True)

    def examine(self, response: Response) -> Any:
        site = api_site(response.url)
        if site and (urlsplit(response.url).hostname or "") not in API_HOSTS.values():
            # The entertainment or sports site's page is a shell: the article is the API's answer.
            article = parse_article_ref(response.url)
            yield scrapy.Request(api_url(article, site), callback=self.examine, errback=self.unreachable,
                                 dont_filter=True, meta={"handle_httpstatus_all": True})
            return
        if not isinstance(response, TextResponse):
            self.verdict, self.report = "failed", [response.url, f"not an HTML page: HTTP {response.status}"]
        else:
            self.verdict, self.report = diagnose(response)
            if response.status != 200:
                self.report.insert(1, f"{'status':<13} HTTP {response.status}")
        for line in self.report:
            self.logger.info(line)

    def unreachable(self, failure: Failure) -> None:
        self.verdict, self.report = "failed", [self.url, f"could not fetch it: {failure.getErrorMessage()}"]
        self.logger.error(self.report[1])
