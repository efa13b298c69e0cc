"""What the crawl benchmarks share: generated week-old articles served on 127.0.0.1, and
the real `naver-news` command timed against them with politeness lifted for that loopback
server only (CONCURRENT_REQUESTS(_PER_DOMAIN)=32, DOWNLOAD_DELAY=0, no AutoThrottle): they
measure our CPU cost, not Naver's patience."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

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


def timed(*args: str) -> tuple[float, int]:
    """Run `naver-news ARGS -q`, print its summary line; (seconds it took, its own peak RSS
    in MB, from the kernel's accounting of that child). Exits on failure."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen([NAVER_NEWS, *args, "-q"], stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0), stderr.seek(0)
        if process.returncode != 0:
            sys.exit(f"{args[0]} failed ({process.returncode}): {stderr.read().decode().strip()[-500:]}")
        print("   ", stdout.read().decode().strip().splitlines()[-1])
    return elapsed, usage.ru_maxrss // 1024
