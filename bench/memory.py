"""Memory flat in the size of the run: the peak RSS of a first run of N articles and of ten
times as many, real-size pages (2026 layout, 254-290 KB) served on 127.0.0.1, each into an
empty folder. Target: the larger run's peak within 10% of the smaller's, and under 200 MB.

The peak is the crawl process's own (its VmHWM; see bench/loopback.py). The served pages
live in this process, not the crawl's: 20,000 of them take ~5.5 GB here.
Politeness limits are lifted for this loopback server only (see bench/loopback.py).

    python bench/memory.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
from loopback import UNLEASHED, real_size_site, timed, week_old_articles

from crawler.demo.server import serving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="the smaller run (the larger is ten times it)")
    args = parser.parse_args()

    large = week_old_articles(10 * args.articles)
    print(f"generating {len(large)} pages …", flush=True)
    site = real_size_site(large)
    peaks = {}
    with serving(site) as mirror:
        for count in (args.articles, len(large)):
            with tempfile.TemporaryDirectory() as work:
                ids_file = Path(work) / "ids.txt"
                ids_file.write_text("\n".join(str(article) for article in list(large)[:count]))
                print(f"first run of {count}:", flush=True)
                seconds, peaks[count], _ = timed("crawl", "--ids-file", str(ids_file), "--mirror", mirror,
                                                 "--out", str(Path(work) / "out"), *UNLEASHED)
                print(f"    {count / seconds:.1f} articles/s, peak RSS {peaks[count]} MB", flush=True)
    small, big = peaks[args.articles], peaks[len(large)]
    print(f"peak RSS: {small} MB at {args.articles}, {big} MB at {len(large)} -> {big / small - 1:+.1%} "
          f"(target: within 10%, and under 200 MB)")


if __name__ == "__main__":
    main()
