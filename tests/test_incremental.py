"""Incremental state end to end: skip before fetching, edits, duplicates, reindex, locks, kills."""
import shutil
import signal
import sqlite3
import subprocess
import time
from datetime import datetime, timedelta

import pytest

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import (
    DEMO_IDS,
    DEMO_URLS,
    LEGACY_URL,
    generated_site,
    html_reply,
)
from crawler.sources.dates import KST
from crawler.sources.ids import ArticleId
from pipelines.folder import FolderLock
from tests.conftest import (
    FAST,
    FIXTURES,
    NAVER_NEWS,
    article_files,
    naver_news,
    place,
    summary,
)

SEED = ArticleId("648", "0000043044")


def crawl(mirror, out, *targets, extra=()):
    args = ["crawl", "--mirror", mirror, "--out", str(out), *FAST, *extra]
    for target in targets:
        args += ["--url" if "://" in target else "--id", target]
    return naver_news(*args)


def snapshot(out):
    """Every file's bytes and mtime: to prove a run touched nothing."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*.md")}


def state_rows(out, sql, *params):
    with sqlite3.connect(out / ".naver-news" / "state.sqlite") as db:
        return db.execute(sql, params).fetchall()


def article_requests(site):
    return sum(count for url, count in site.hits.items() if "/article/" in url or "read.nhn" in url)


def published(delta: timedelta) -> str:
    return (datetime.now(KST) - delta).strftime("%Y-%m-%d %H:%M")


def test_second_run_requests_nothing_and_touches_nothing(mirror, site, tmp_path):
    first = crawl(mirror, tmp_path, *DEMO_IDS, *DEMO_URLS)
    assert first.returncode == 0 and summary(first.stdout)["written"] == 14
    before, requests_before = snapshot(tmp_path), len(site.requests)
    second = crawl(mirror, tmp_path, *DEMO_IDS, *DEMO_URLS)
    assert second.returncode == 0, second.stderr
    assert len(site.requests) == requests_before  # not one request reached the server
    assert snapshot(tmp_path) == before
    counts = summary(second.stdout)
    assert (counts["requested"], counts["skipped"], counts["written"]) == (16, 16, 0)
    runs = state_rows(tmp_path, "SELECT finish_reason, counts FROM runs ORDER BY run_id")
    assert [reason for reason, _ in runs] == ["finished", "finished"]


def test_recrawl_of_an_edited_article_rewrites_only_that_file(mirror, site, tmp_path):
    first = crawl(mirror, tmp_path, *DEMO_IDS)
    assert first.returncode == 0
    before = snapshot(tmp_path)
    seed_file = tmp_path / "2025/12/29/648_0000043044.md"
    old_hash = state_rows(tmp_path, "SELECT content_hash FROM articles WHERE id = ?", SEED.key)[0][0]

    sample = build.load_sample("648_0000043044.html")
    edited = build.Sample(sample.meta, sample.core.replace("최종 조사 결과를", "최종 조사 결과(수정)를"))
    site.add_article(SEED, html_reply(build.current_page(edited, SEED)))
    result = naver_news("recrawl", SEED.url, "648/0000043044", "001/0015100001", "023/0003900007",
                        "144/0001000008", "--mirror", mirror, "--out", str(tmp_path), *FAST)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()[:-1]}
    assert lines == {SEED.key: "updated", "001_0015100001": "unchanged", "023_0003900007": "gone",
                     "144_0001000008": "unchanged"}

    after = snapshot(tmp_path)
    assert {p for p in after if after[p] != before[p]} == {seed_file}
    assert "최종 조사 결과(수정)를" in seed_file.read_text(encoding="utf-8")
    (revision, new_hash), = state_rows(tmp_path, "SELECT revision, content_hash FROM articles WHERE id = ?", SEED.key)
    assert revision == 2 and new_hash != old_hash and new_hash in seed_file.read_text(encoding="utf-8")
    assert state_rows(tmp_path, "SELECT revision, content_hash FROM history WHERE id = ?", SEED.key) == \
        [(1, old_hash)]
    article_files(tmp_path)


def test_scrapy_crawl_force_fetches_known_articles(mirror, site, tmp_path):
    import sys

    from tests.conftest import REPO

    assert crawl(mirror, tmp_path, str(SEED)).returncode == 0
    scrapy = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"ids={SEED}",
              "-s", f"NAVER_MIRROR={mirror}", "-s", f"OUTPUT_DIR={tmp_path}", *FAST]
    skipped = subprocess.run(scrapy, cwd=REPO, capture_output=True, text=True, timeout=120)
    forced = subprocess.run(scrapy + ["-a", "force=1"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert "skipped 1" in skipped.stderr and "unchanged 1" in forced.stderr, forced.stderr
    assert site.hits[SEED.url] == 2


def test_fresh_articles_are_rechecked_and_old_ones_are_not(tmp_path):
    fresh, old = ArticleId("001", "0020000001"), ArticleId("001", "0020000002")
    site = generated_site({fresh: published(timedelta(days=1)), old: published(timedelta(days=10))})
    with serving(site) as mirror:
        assert crawl(mirror, tmp_path, str(fresh), str(old)).returncode == 0
        # Checked an hour ago: inside the 6-hour recheck interval, nothing is due.
        assert summary(crawl(mirror, tmp_path, str(fresh), str(old)).stdout)["skipped"] == 2
        result = crawl(mirror, tmp_path, str(fresh), str(old), extra=["-s", "RECHECK_INTERVAL=0s"])
    counts = summary(result.stdout)
    assert (counts["unchanged"], counts["skipped"]) == (1, 1)
    assert (site.hits[fresh.url], site.hits[old.url]) == (2, 1)


def test_a_deleted_file_is_fetched_again(mirror, site, tmp_path):
    assert crawl(mirror, tmp_path, str(SEED)).returncode == 0
    (tmp_path / "2025/12/29/648_0000043044.md").unlink()
    result = crawl(mirror, tmp_path, str(SEED))
    assert summary(result.stdout)["restored"] == 1
    assert (tmp_path / "2025/12/29/648_0000043044.md").exists() and site.hits[SEED.url] == 2
    assert state_rows(tmp_path, "SELECT revision FROM articles WHERE id = ?", SEED.key) == [(1,)]


def test_same_content_under_a_second_id_writes_one_file(site, tmp_path):
    twin, triplet = ArticleId("648", "0000043045"), ArticleId("648", "0000043046")
    site.add_article(twin, site.articles[SEED][0])
    site.add_article(triplet, site.articles[SEED][0])
    with serving(site) as mirror:
        assert summary(crawl(mirror, tmp_path, str(SEED)).stdout)["new"] == 1
        later = crawl(mirror, tmp_path, str(twin))
        assert summary(later.stdout)["duplicate"] == 1
        assert f"same article as {SEED.key}" in later.stdout
        assert sorted(article_files(tmp_path)) == [SEED.key]
        assert state_rows(tmp_path, "SELECT alias_of FROM articles WHERE id = ?", twin.key) == [(SEED.key,)]

        # Twins fetched side by side in one run: whichever comes first is written, the other aliased.
        together = crawl(mirror, tmp_path / "together", str(twin), str(triplet))
        assert summary(together.stdout)["duplicate"] == 1
        (written,) = article_files(tmp_path / "together")
        assert state_rows(tmp_path / "together", "SELECT alias_of FROM articles WHERE alias_of IS NOT NULL") == \
            [(written,)]

        kept = crawl(mirror, tmp_path / "both", str(SEED), str(twin), extra=["-s", "KEEP_DUPLICATES=True"])
    assert summary(kept.stdout)["new"] == 2
    assert sorted(article_files(tmp_path / "both")) == [SEED.key, twin.key]


def test_reindex_adopts_an_archive_so_nothing_is_fetched(mirror, site, tmp_path):
    assert crawl(mirror, tmp_path, "001/0015100001", LEGACY_URL).returncode == 0
    shutil.rmtree(tmp_path / ".naver-news")  # the state is lost
    seed = (FIXTURES / "648_0000043044.md").read_text(encoding="utf-8")
    place(tmp_path / "648_0000043044.md", seed)  # a legacy file
    tampered = seed.replace("aid: 0000043044", "aid: 0000043046").replace(
        "id: 648_0000043044", "id: 648_0000043046").replace("정부가 침해 사고는", "정부가 침해사고는")
    place(tmp_path / "648_0000043046.md", tampered)
    place(tmp_path / "notes.md", "# my notes\n")

    result = naver_news("reindex", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "648_0000043046.md: content_hash does not match the body" in result.stdout
    assert "reindexed 3 article files" in result.stdout and "1 other files" in result.stdout

    requests_before = len(site.requests)
    again = crawl(mirror, tmp_path, "001/0015100001", LEGACY_URL, str(SEED))
    assert summary(again.stdout)["skipped"] == 3 and len(site.requests) == requests_before
    # the untrusted file's article is unknown, so it is fetched (and gone here)
    assert summary(crawl(mirror, tmp_path, "648/0000043046").stdout)["gone"] == 1


def test_a_second_writer_is_refused_at_once(mirror, site, tmp_path):
    with FolderLock(tmp_path):
        started = time.monotonic()
        result = crawl(mirror, tmp_path, str(SEED))
    assert result.returncode == 3 and time.monotonic() - started < 30
    assert result.stderr.startswith("naver-news: another naver-news run (pid ") and not site.hits
    assert result.stderr.count("\n") == 1
    assert crawl(mirror, tmp_path, str(SEED)).returncode == 0  # free again once released


def slow_crawl(tmp_path, count, delay):
    """A crawl of `count` generated articles from a server answering each after `delay` s."""
    articles = {ArticleId("421", f"{8000000 + n:010d}"): published(timedelta(days=30 + n % 5))
                for n in range(count)}
    site = generated_site(articles)
    site.delay = delay
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(str(a) for a in articles))
    return site, ids, articles


def wait_for_files(out, at_least, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list(out.rglob("*.md"))) >= at_least:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} files after {timeout}s")


@pytest.mark.parametrize("signal_number, graceful", [(signal.SIGKILL, False), (signal.SIGTERM, True)])
def test_a_run_stopped_mid_way_is_completed_by_the_next(tmp_path, signal_number, graceful):
    site, ids, articles = slow_crawl(tmp_path, 60, 0.05)
    out = tmp_path / "out"
    with serving(site) as mirror:
        args = ["crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(out), *FAST,
                "-s", "CONCURRENT_REQUESTS=4", "-s", "STATE_COMMIT_EVERY=7"]
        run = subprocess.Popen([str(NAVER_NEWS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_files(out, 10)
        run.send_signal(signal_number)
        stdout, stderr = run.communicate(timeout=60)
        if graceful:
            assert run.returncode == 130, stderr
            assert summary(stdout)["finished"] is False
        else:
            assert run.returncode == -signal.SIGKILL
        assert len(list(out.rglob("*.md"))) < len(articles)  # it really was stopped mid-way

        rerun = naver_news(*args)
    assert rerun.returncode == 0, rerun.stderr
    files = article_files(out)  # also fails on any temp file left behind
    assert sorted(files) == sorted(article.key for article in articles)
    assert not [p for p in out.rglob("*") if p.is_file() and p.suffix not in (".md",)
                and ".naver-news" not in p.parts]
    rows = state_rows(out, "SELECT count(*), sum(status = 'ok'), max(revision) FROM articles")
    assert rows == [(len(articles), len(articles), 1)]
