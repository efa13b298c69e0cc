"""Incremental crawl speed: N generated articles crawled into an empty folder, then again.

The first run measures the whole path per article (download, parse, extract, normalize,
hash, state, atomic write); the second must send no article request at all and take a
small fraction of the first run's time. Both runs are the real `naver-news crawl`
command against a local mirror serving realistic 130+ KB pages.

Politeness limits are lifted for this loopback server only (they measure our CPU cost,
not Naver's patience): CONCURRENT_REQUESTS(_PER_DOMAIN)=32, DOWNLOAD_DELAY=0, no AutoThrottle.

    python bench/incremental.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
from loopback import UNLEASHED, timed, week_old_articles

from crawler.demo.server import serving
from crawler.demo.site import generated_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()

    articles = week_old_articles(args.articles)
    print(f"generating {len(articles)} pages …", flush=True)
    site = generated_site(articles)
    size = sum(len(replies[-1].body) for replies in site.articles.values()) / len(articles) / 1024
    print(f"{len(articles)} pages, {size:.0f} KB on average")

    with tempfile.TemporaryDirectory() as work, serving(site) as mirror:
        ids_file = Path(work) / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        out = Path(work) / "out"
        print("first run:", flush=True)
        crawl = ("crawl", "--ids-file", str(ids_file), "--mirror", mirror, "--out", str(out), *UNLEASHED)
        first = timed(*crawl)
        first_requests = len(site.requests)
        print("second run:", flush=True)
        second = timed(*crawl)
        second_requests = len(site.requests) - first_requests
        written = len(list(out.rglob("*.md")))

    print(f"first run:  {first:6.2f} s, {written} files, {len(articles) / first:6.1f} articles/s "
          "(target: at least 150)")
    print(f"second run: {second:6.2f} s, {second_requests} article requests (target: 0)")
    print(f"second/first: {second / first:.1%} (target: under 10%)")


if __name__ == "__main__":
    main()
