"""Extraction speed: our path (the one parse → extract → normalize) against the common baseline.

The baseline is what most Naver crawlers do per page: BeautifulSoup(html, "html.parser")
and get_text(). Both run over the same realistic fixture pages in the same process, and
the ratio is what counts (these machines drift by tens of percent between runs).

    python bench/extract.py [--seconds 3]
"""
from __future__ import annotations

import argparse
import time

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
from bs4 import BeautifulSoup
from scrapy.http import HtmlResponse

from crawler.demo.site import Reply, demo_site
from crawler.reading.article_page import OK, extract_page, page_tree
from pipelines.normalize import content_text


def fixture_pages() -> list[tuple[str, bytes, str]]:
    """(url, body, content type) of every article page the demo serves that yields an article."""
    site = demo_site()
    pages = [(article.url, replies[-1]) for article, replies in site.articles.items() if replies[-1].status == 200]
    return [(url, reply.body, reply.content_type) for url, reply in pages if _is_article(url, reply)]


def _is_article(url: str, reply: Reply) -> bool:
    response = HtmlResponse(url, body=reply.body, headers={"Content-Type": reply.content_type})
    return extract_page(response.selector.root, url).verdict == OK


def ours(url: str, body: bytes, content_type: str) -> str:
    # A fresh response per page, as Scrapy builds one per download: the parse is part of the cost.
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
    return content_text(extract_page(page_tree(response.body, response.encoding), url).paragraphs)


def baseline(url: str, body: bytes, content_type: str) -> str:
    return BeautifulSoup(body, "html.parser").get_text()


def pages_per_second(extract, pages, seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for page in pages:
            extract(*page)
        done += len(pages)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per contender")
    args = parser.parse_args()
    pages = fixture_pages()
    size = sum(len(body) for _, body, _ in pages) / len(pages) / 1000
    print(f"{len(pages)} fixture pages, {size:.0f} KB on average")
    base = pages_per_second(baseline, pages, args.seconds)
    mine = pages_per_second(ours, pages, args.seconds)
    print(f"baseline BeautifulSoup(html.parser) + get_text: {base:8.1f} pages/s")
    print(f"naver-news page_tree + extract + normalize:     {mine:8.1f} pages/s")
    print(f"ratio: {mine / base:.1f}x (target: at least 8x)")


if __name__ == "__main__":
    main()
