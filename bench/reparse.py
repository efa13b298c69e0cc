"""Reparse speed: N generated articles crawled into an empty folder (with the web archive
on, as by default), then every one of them reparsed from the archive, in the same run.

The reparse reads each page back from the WARC files and runs the same reading and
pipelines as the crawl, but nothing is downloaded or scheduled, so it should be several
times faster (target: at least 3x the crawl's rate). Also reported: the archive's bytes
per article against the raw page size (target: at most 25%).

Politeness limits are lifted for the loopback server only, as in bench/incremental.py.

    python bench/reparse.py [--articles 1000]
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

from crawler.archive.warc_files import archive_size
from crawler.demo.server import serving
from crawler.demo.site import generated_site
from crawler.sources.dates import KST
from crawler.sources.ids import ArticleId

NAVER_NEWS = str(Path(sys.executable).parent / "naver-news")
UNLEASHED = ["-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def timed(*args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([NAVER_NEWS, *args, "-q"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()[-500:]}")
    print("   ", result.stdout.strip().splitlines()[-1])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    week_ago = datetime.now(KST) - timedelta(days=7)
    articles = {ArticleId("001", f"{15_000_000 + n:010d}"): (week_ago - timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M")
                for n in range(args.articles)}
    site = generated_site(articles)
    raw = sum(len(replies[-1].body) for replies in site.articles.values())
    print(f"{len(articles)} pages, {raw / len(articles) / 1024:.0f} KB on average")
    with tempfile.TemporaryDirectory() as work, serving(site) as mirror:
        ids_file = Path(work) / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        out = Path(work) / "out"
        print("crawl:", flush=True)
        crawl = timed("crawl", "--ids-file", str(ids_file), "--mirror", mirror, "--out", str(out), *UNLEASHED)
        asked = len(site.requests)
        print("reparse:", flush=True)
        reparse = timed("reparse", "--out", str(out))
        requests_during_reparse = len(site.requests) - asked
        _, archived = archive_size(out)
    crawl_rate, reparse_rate = len(articles) / crawl, len(articles) / reparse
    print(f"crawl:   {crawl:6.2f} s, {crawl_rate:6.1f} articles/s")
    print(f"reparse: {reparse:6.2f} s, {reparse_rate:6.1f} articles/s, {requests_during_reparse} requests (target: 0)")
    print(f"reparse/crawl: {reparse_rate / crawl_rate:.1f}x (target: at least 3x)")
    print(f"archive: {archived / len(articles) / 1024:.1f} KB per article, {archived / raw:.1%} of the raw pages "
          "(target: at most 25%)")


if __name__ == "__main__":
    main()
