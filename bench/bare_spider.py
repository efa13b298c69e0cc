"""The bare-Scrapy baseline of bench/incremental.py: fetch each page and write a stub file,
nothing else. Run with `scrapy runspider` outside the project, so Scrapy's defaults apply
(with the loopback politeness lift the benchmark passes)."""
from __future__ import annotations

from pathlib import Path

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file: str = "", out: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls_file).read_text().split()
        self.out = Path(out)

    async def start(self):  # noqa: ANN201 (Scrapy's start)
        for number, url in enumerate(self.urls):
            yield scrapy.Request(url, cb_kwargs={"number": number})

    def parse(self, response: scrapy.http.Response, number: int) -> None:
        (self.out / f"{number}.txt").write_text(f"{response.status} {len(response.body)}\n")
