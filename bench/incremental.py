"""Incremental crawl speed at real page size: N generated articles crawled into an empty
folder, then again, against two baselines over the same pages in the same run.

Pages are today's layout at the size Naver serves them (the 2026 page, 254-290 KB with its
ranking chrome). The first run measures the whole path per article (download, parse,
extract, normalize, hash, state, web archive, atomic write); the second must send no
article request and take a small fraction of the first run's time. Baselines: bare
Scrapy fetching the same pages and writing a stub per page (Scrapy's defaults), and
requests + BeautifulSoup(html.parser) writing one file per article (sequential, how most
Naver crawlers work; timed on a sample). Peak RSS is the crawl process's own.

Politeness limits are lifted for this loopback server only (see bench/loopback.py).

    python bench/incremental.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
import requests
from bs4 import BeautifulSoup
from loopback import UNLEASHED, bare_scrapy, real_size_site, timed, week_old_articles

from crawler.demo.server import serving

BS4_SAMPLE = 200


def requests_and_bs4(urls: list[str], work: Path) -> float:
    out = work / "bs4"
    out.mkdir()
    session = requests.Session()
    start = time.perf_counter()
    for number, url in enumerate(urls):
        soup = BeautifulSoup(session.get(url, timeout=30).content, "html.parser")
        body = soup.select_one("#dic_area")
        (out / f"{number}.md").write_text(body.get_text("\n", strip=True) if body else "")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()

    articles = week_old_articles(args.articles)
    print(f"generating {len(articles)} pages …", flush=True)
    site = real_size_site(articles)
    sizes = [len(replies[-1].body) / 1000 for replies in site.articles.values()]
    print(f"{len(articles)} pages of {min(sizes):.0f}-{max(sizes):.0f} KB, {sum(sizes) / len(sizes):.0f} KB "
          "on average (target: at least 250)")

    with tempfile.TemporaryDirectory() as work, serving(site) as mirror:
        work_dir = Path(work)
        ids_file = work_dir / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        out = work_dir / "out"
        crawl = ["crawl", "--ids-file", str(ids_file), "--mirror", mirror, "--out", str(out), *UNLEASHED]
        print("first run:", flush=True)
        first, peak, _ = timed(*crawl)
        first_requests = len(site.requests)
        print("second run:", flush=True)
        second, _, _ = timed(*crawl)
        second_requests = len(site.requests) - first_requests
        written = len(list(out.rglob("*.md")))
        urls = [f"{mirror}/{article.url.split('://', 1)[1]}" for article in articles]
        print("bare Scrapy:", flush=True)
        bare = bare_scrapy(urls, work_dir)
        print(f"requests + BeautifulSoup on {min(BS4_SAMPLE, len(urls))} pages:", flush=True)
        sample = urls[:BS4_SAMPLE]
        soup = requests_and_bs4(sample, work_dir)

    rate, bare_rate, soup_rate = len(articles) / first, len(articles) / bare, len(sample) / soup
    print(f"first run:   {first:6.2f} s, {written} files, {rate:6.1f} articles/s, peak RSS {peak} MB")
    print(f"bare Scrapy: {bare:6.2f} s, {bare_rate:6.1f} pages/s  -> first run at {rate / bare_rate:.2f}x "
          "(target: at least 0.7x)")
    print(f"requests + BeautifulSoup: {soup_rate:6.1f} articles/s -> first run at {rate / soup_rate:.1f}x "
          "(target: at least 6x)")
    print(f"second run: {second:6.2f} s, {second_requests} article requests (target: 0), "
          f"{second / first:.1%} of the first (target: under 10%)")


if __name__ == "__main__":
    main()
