"""What the crawl benchmarks share: generated week-old articles served on 127.0.0.1, and
the real `naver-news` command timed against them with politeness lifted for that loopback
server only (CONCURRENT_REQUESTS(_PER_DOMAIN)=32, DOWNLOAD_DELAY=0, no AutoThrottle): they
measure our CPU cost, not Naver's patience."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from crawler.demo import build
from crawler.demo.site import Site, html_reply
from crawler.sources.dates import KST
from crawler.sources.ids import ArticleId

NAVER_NEWS = str(Path(sys.executable).parent / "naver-news")
UNLEASHED = ["-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def week_old_articles(count: int) -> dict[ArticleId, str]:
    """Articles published a week ago or more: settled, so a second run has no reason to re-check them."""
    week_ago = datetime.now(KST) - timedelta(days=7)
    return {ArticleId("001", f"{15_000_000 + n:010d}"): (week_ago - timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M")
            for n in range(count)}


def peak_rss(pid: int) -> int:
    """A running process's peak RSS so far, in MB (the kernel's high-water mark, VmHWM)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


def timed(*args: str) -> tuple[float, int, float]:
    """Run `naver-news ARGS -q`, print its summary line; (seconds it took, its own peak RSS
    in MB, its CPU seconds). Exits on failure.

    The peak is VmHWM, read every 20 ms while it runs: wait4's ru_maxrss would count this
    process's own memory (the served pages), which the child maps between fork and exec."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen([NAVER_NEWS, *args, "-q"], stdout=stdout, stderr=stderr)
        peak = 0
        while True:
            peak = max(peak, peak_rss(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0), stderr.seek(0)
        if process.returncode != 0:
            sys.exit(f"{args[0]} failed ({process.returncode}): {stderr.read().decode().strip()[-500:]}")
        print("   ", stdout.read().decode().strip().splitlines()[-1])
    return elapsed, peak, usage.ru_utime + usage.ru_stime


def real_size_site(articles: dict[ArticleId, str]) -> Site:
    """The generated articles as 2026 pages of real size: 4 or 5 ranking boxes in turn, so
    pages of 254-257 and 287-290 KB, 271 KB on average (real ones are 230-290 KB)."""
    site = Site()
    for number, (article, published) in enumerate(articles.items()):
        sample = build.generated_sample(article, published)
        body = re.search(r'<article id="dic_area"[^>]*>(.*)</article>', sample.core, re.S)[1]
        meta = {**sample.meta, "published": f"{published}:00", "category": "IT", "sid1": "105"}
        site.add_article(article, html_reply(build.page_2026(build.Sample(meta, body), article, rankings=4 + number % 2)))
    return site


def bare_scrapy(urls: list[str], work: Path) -> float:
    urls_file, out = work / "urls.txt", work / "bare"
    out.mkdir()
    urls_file.write_text("\n".join(urls))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).parent / "bare_spider.py"),
                    "-a", f"urls_file={urls_file}", "-a", f"out={out}", "-s", "LOG_LEVEL=ERROR",
                    "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "DOWNLOAD_DELAY=0"],
                   cwd=work, check=True)
    elapsed = time.perf_counter() - start
    assert len(list(out.iterdir())) == len(urls)
    return elapsed
