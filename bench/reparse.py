"""Reparse speed: N generated articles crawled into an empty folder (with the web archive
on, as by default), then every one of them reparsed from the archive, in the same run.

The reparse reads each page back from the WARC files and runs the same reading and
pipelines as the crawl, but nothing is downloaded or scheduled, so it should be several
times faster (target: at least 3x the crawl's rate). Also reported: the archive's bytes
per article against the raw page size (target: at most 25%).

Politeness limits are lifted for the loopback server only, as in bench/incremental.py.

    python bench/reparse.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
from loopback import UNLEASHED, timed, week_old_articles

from crawler.archive.warc_files import archive_size
from crawler.demo.server import serving
from crawler.demo.site import generated_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    articles = week_old_articles(args.articles)
    site = generated_site(articles)
    raw = sum(len(replies[-1].body) for replies in site.articles.values())
    print(f"{len(articles)} pages, {raw / len(articles) / 1000:.0f} KB on average")
    with tempfile.TemporaryDirectory() as work, serving(site) as mirror:
        ids_file = Path(work) / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        out = Path(work) / "out"
        print("crawl:", flush=True)
        crawl, _, _ = timed("crawl", "--ids-file", str(ids_file), "--mirror", mirror, "--out", str(out), *UNLEASHED)
        asked = len(site.requests)
        print("reparse:", flush=True)
        reparse, _, _ = timed("reparse", "--out", str(out))
        requests_during_reparse = len(site.requests) - asked
        _, archived = archive_size(out)
    crawl_rate, reparse_rate = len(articles) / crawl, len(articles) / reparse
    print(f"crawl:   {crawl:6.2f} s, {crawl_rate:6.1f} articles/s")
    print(f"reparse: {reparse:6.2f} s, {reparse_rate:6.1f} articles/s, {requests_during_reparse} requests (target: 0)")
    print(f"reparse/crawl: {reparse_rate / crawl_rate:.1f}x (target: at least 3x)")
    print(f"archive: {archived / len(articles) / 1000:.1f} KB per article, {archived / raw:.1%} of the raw pages "
          "(target: at most 25%)")


if __name__ == "__main__":
    main()
