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
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)

from crawler.sources.dates import KST
from crawler.demo.server import serving
from crawler.demo.site import generated_site
from crawler.sources.ids import ArticleId

UNLEASHED = ["-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def timed_crawl(ids_file: Path, mirror: str, out: Path) -> float:
    command = [str(Path(sys.executable).parent / "naver-news"), "crawl", "--ids-file", str(ids_file),
               "--mirror", mirror, "--out", str(out), "-q", *UNLEASHED]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"crawl failed ({result.returncode}): {result.stderr.strip()[-500:]}")
    print("   ", result.stdout.strip().splitlines()[-1])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()

    # Published a week ago or more: settled articles, which a second run has no reason to re-check.
    week_ago = datetime.now(KST) - timedelta(days=7)
    articles = {ArticleId("001", f"{15_000_000 + n:010d}"): (week_ago - timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M")
                for n in range(args.articles)}
    print(f"generating {len(articles)} pages …", flush=True)
    site = generated_site(articles)
    size = sum(len(replies[-1].body) for replies in site.articles.values()) / len(articles) / 1024
    print(f"{len(articles)} pages, {size:.0f} KB on average")

    with tempfile.TemporaryDirectory() as work, serving(site) as mirror:
        ids_file = Path(work) / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        out = Path(work) / "out"
        print("first run:", flush=True)
        first = timed_crawl(ids_file, mirror, out)
        first_requests = len(site.requests)
        print("second run:", flush=True)
        second = timed_crawl(ids_file, mirror, out)
        second_requests = len(site.requests) - first_requests
        written = len(list(out.rglob("*.md")))

    print(f"first run:  {first:6.2f} s, {written} files, {len(articles) / first:6.1f} articles/s "
          "(target: at least 150)")
    print(f"second run: {second:6.2f} s, {second_requests} article requests (target: 0)")
    print(f"second/first: {second / first:.1%} (target: under 10%)")


if __name__ == "__main__":
    main()
