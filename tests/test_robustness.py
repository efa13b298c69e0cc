"""Issue 9's defects, one regression test each, against the real command and a local server:
nothing lost, no crash loops, honest errors and exit codes."""
from __future__ import annotations

import html
import os
import re
import signal
import sqlite3
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import Reply, Site, html_reply, redirect
from crawler.sources.ids import ArticleId
from tests.conftest import (
    FAST,
    NAVER_NEWS,
    article_files,
    checked_article,
    naver_news,
    place,
    summary,
)
from tests.test_bad_input import assert_refused
from tests.test_incremental import (
    crawl,
    slow_crawl,
    snapshot,
    state_rows,
    wait_for_files,
)

A, B = ArticleId("421", "0001110001"), ArticleId("421", "0001110002")
OLD = "2025-11-03 09:30"  # old enough that a second run does not re-check it


def page(article: ArticleId, when: str = OLD, edition: int = 0, title: str | None = None,
         body: str | None = None, date_time: str | None = None) -> str:
    """A generated article page, with its title, body or date-time attribute replaced."""
    sample = build.generated_sample(article, when, edition)
    core = sample.core
    if title is not None:
        core = core.replace(html.escape(sample.meta["title"], quote=True), title, 1)
    if body is not None:
        core = re.sub(r'(<article id="dic_area"[^>]*>).*?(</article>)', lambda m: m[1] + body + m[2], core,
                      count=1, flags=re.S)
    if date_time is not None:
        core = re.sub(r'data-date-time="[^"]*"', f'data-date-time="{date_time}"', core, count=1)
    return build.current_page(build.Sample(sample.meta, core), article)


def site_of(**articles: Reply | list[Reply]) -> Site:
    site = Site()
    for key, replies in articles.items():
        oid, aid = key.removeprefix("a").split("_")
        site.add_article(ArticleId(oid, aid), *(replies if isinstance(replies, list) else [replies]))
    return site


@contextmanager
def small_disk(path: Path, size: str):
    """A tmpfs of `size` at `path`: a disk that fills up (root only; skipped elsewhere, saying so)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"a full disk is played by a small tmpfs, which needs root: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True)


def one_error_line(result, *named):
    errors = [line for line in result.stderr.splitlines() if line.startswith("naver-news: error: ")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for value in named:
        assert value in errors[0], errors[0]
    return errors[0]


# 1 ------------------------------------------------------------------------------------------

def test_1_same_text_under_another_title_is_its_own_article(tmp_path):
    text = page(A).split('<article id="dic_area" class="go_trans _article_content">')[1].split("</article>")[0]
    site = site_of(a421_0001110001=html_reply(page(A, body=text)),
                   a421_0001110002=html_reply(page(A, body=text, title="다른 제목의 같은 본문")))
    site.articles[B] = [html_reply(page(A, body=text, title="다른 제목의 같은 본문").replace(A.url, B.url))]
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, str(A), str(B))
    assert summary(result.stdout)["new"] == 2 and summary(result.stdout)["duplicate"] == 0
    assert sorted(article_files(tmp_path)) == [A.key, B.key]


def test_1_an_alias_gets_its_own_file_before_its_twin_is_edited(tmp_path):
    first, edited = page(A), page(A, edition=1)
    site = Site()
    site.add_article(A, html_reply(first), html_reply(edited))
    site.add_article(B, html_reply(first))  # the very same article under a second id
    with serving(site) as mirror:
        assert summary(crawl(mirror, tmp_path, str(A)).stdout)["new"] == 1
        assert summary(crawl(mirror, tmp_path, str(B)).stdout)["duplicate"] == 1
        original = checked_article(next(tmp_path.rglob(f"{A.key}.md")))
        recrawl = naver_news("recrawl", str(A), "--mirror", mirror, "--out", str(tmp_path), *FAST)
        assert recrawl.returncode == 0, recrawl.stderr
        assert summary(recrawl.stdout)["updated"] == 1
        again = naver_news("recrawl", str(B), "--mirror", mirror, "--out", str(tmp_path), *FAST)
    files = article_files(tmp_path)
    assert sorted(files) == [A.key, B.key]
    assert files[B.key].content == original.content != files[A.key].content  # the old text lives on
    assert files[B.key].fields["title"] == original.fields["title"]
    assert summary(again.stdout)["unchanged"] == 1
    export = naver_news("export", "--out", str(tmp_path), "--to", "-", "--format", "jsonl")
    assert export.stdout.count('"id"') == 2


# 2 ------------------------------------------------------------------------------------------

def test_2_a_run_removes_only_its_own_temp_files(mirror, tmp_path):
    (tmp_path / "notes").mkdir()
    draft = place(tmp_path / "notes" / ".tmp-draft.md", "x\n")
    part = tmp_path / "notes" / ".tmp-abcdefgh.part"
    part.write_text("mine\n")
    result = crawl(mirror, tmp_path, "648/0000043044")
    assert result.returncode == 0, result.stderr
    assert draft.read_text() == "x\n" and part.read_text() == "mine\n"


# 3 (and the crash test the issue asks for) --------------------------------------------------

def test_3_sigkill_at_several_moments_loses_nothing_and_fetches_nothing_twice(tmp_path):
    site, ids, articles = slow_crawl(tmp_path, 400, 0.004)
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    mine = {place(out / "notes" / ".tmp-draft.md", "draft\n"): "draft\n",
            place(out / "README.md", "my archive\n"): "my archive\n"}
    args = ["crawl", "--ids-file", str(ids), "--out", str(out), *FAST, "-s", "CONCURRENT_REQUESTS=8",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
    with serving(site) as mirror:
        for kill_at in (15, 150, 300, None):
            on_disk = {path.stem for path in out.rglob("*.md") if path not in mine and whole(path)}
            asked_before = site.hits.copy()
            run = subprocess.Popen([str(NAVER_NEWS), *args, "--mirror", mirror], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
            if kill_at is not None:
                wait_for_files(out, kill_at + len(mine) - 1)
                run.send_signal(signal.SIGKILL)
            stdout, stderr = run.communicate(timeout=120)
            fetched_again = {ArticleId(*url.rsplit("/", 2)[1:]).key for url, count in site.hits.items()
                             if count > asked_before.get(url, 0)} & on_disk
            assert not fetched_again, f"fetched again though on disk: {sorted(fetched_again)[:5]}"
            if kill_at is None:
                assert run.returncode == 0, stderr
    files = {path.stem for path in out.rglob("*.md") if path not in mine and checked_article(path)}
    assert sorted(files) == sorted(article.key for article in articles)
    assert state_rows(out, "SELECT count(*), count(DISTINCT id), sum(status = 'ok'), max(revision) FROM articles") \
        == [(400, 400, 400, 1)]
    assert all(path.read_text() == text for path, text in mine.items())
    assert not [p for p in out.rglob(".naver-news-*.part")]


def whole(path: Path) -> bool:
    try:
        checked_article(path)
        return True
    except Exception:
        return False


def test_3_a_second_ctrl_c_keeps_what_was_recorded_and_exits_130(tmp_path):
    site, ids, articles = slow_crawl(tmp_path, 40, 0.3)  # slow: the graceful stop is still waiting
    out = tmp_path / "out"
    with serving(site) as mirror:
        args = ["crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(out), *FAST]
        run = subprocess.Popen([str(NAVER_NEWS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_files(out, 10)
        run.send_signal(signal.SIGINT)
        time.sleep(0.3)  # the first has begun a graceful stop; the second forces it
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 130, stderr
        assert "Traceback" not in stderr
        written = {path.stem for path in out.rglob("*.md")}
        before = site.hits.copy()
        rerun = naver_news(*args)
    assert rerun.returncode == 0, rerun.stderr
    again = [url for url, count in site.hits.items() if count > before.get(url, 0)
             and ArticleId(*url.rsplit("/", 2)[1:]).key in written]
    assert not again
    assert sorted(article_files(out)) == sorted(article.key for article in articles)


# 4 ------------------------------------------------------------------------------------------

def test_4_a_corrupt_file_is_rewritten_by_recrawl(mirror, tmp_path):
    assert crawl(mirror, tmp_path, "648/0000043044").returncode == 0
    (path,) = tmp_path.rglob("648_0000043044.md")
    whole_text = path.read_bytes()
    path.write_bytes(whole_text[:500])
    result = naver_news("recrawl", "648/0000043044", "--mirror", mirror, "--out", str(tmp_path), *FAST)
    assert summary(result.stdout)["restored"] == 1, result.stdout
    assert checked_article(path).hash_ok
    assert path.read_bytes().split(b"crawled_at")[0] == whole_text.split(b"crawled_at")[0]


# 5 ------------------------------------------------------------------------------------------

def test_5_a_full_disk_fails_the_run_in_one_line_and_the_summary_tells_the_truth(tmp_path):
    site, ids, articles = slow_crawl(tmp_path, 100, 0)
    out = tmp_path / "disk"
    with small_disk(out, "320k"), serving(site) as mirror:
        args = ["crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(out), *FAST,
                "-s", "STATE_COMMIT_EVERY=5"]
        full = naver_news(*args)
        assert full.returncode == 1, full.stderr
        assert re.search(r"disk is full|No space left on device", one_error_line(full))
        counts = summary(full.stdout)
        assert counts["finished"] is False
        valid = [path for path in out.rglob("*.md") if whole(path)]
        assert counts["new"] <= len(valid)
        assert counts["new"] + counts["failed"] <= counts["requested"] and counts["failed"] > 0
        remount(out, "size=20m")
        rerun = naver_news(*args)
        assert rerun.returncode == 0, rerun.stderr
        assert sorted(article_files(out)) == sorted(article.key for article in articles)
        assert state_rows(out, "SELECT count(*), sum(status = 'ok') FROM articles") == [(100, 100)]


def test_5_a_disk_too_full_for_the_state_is_one_line(mirror, tmp_path):
    out = tmp_path / "disk"
    with small_disk(out, "64k"):
        (out / "filler").write_bytes(b"\0" * 60_000)
        result = crawl(mirror, out, "648/0000043044")
    assert result.returncode == 2
    one_error_line(result, "state")


# 6 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["9999-99-99 99:99:00", "2025-02-30 10:00:00"])
def test_6_an_impossible_date_is_a_failed_page_not_a_crash_loop(tmp_path, value):
    site = site_of(a421_0001110001=html_reply(page(A, date_time=value)))
    with serving(site) as mirror:
        first = crawl(mirror, tmp_path, str(A))
        second = crawl(mirror, tmp_path, str(A))
    assert summary(first.stdout)["failed"] == 1 and "published_at" in first.stdout
    assert second.returncode == 0 and "Traceback" not in second.stderr
    assert not list(tmp_path.rglob("*.md"))


def test_6_a_bad_row_in_the_state_never_stops_a_run(mirror, tmp_path):
    assert crawl(mirror, tmp_path, "648/0000043044").returncode == 0
    with sqlite3.connect(tmp_path / ".naver-news" / "state.sqlite") as db:
        db.execute("UPDATE articles SET published_at = '9999-99-99 99:99', last_fetched = 'x'")
    result = crawl(mirror, tmp_path, "648/0000043044")
    assert result.returncode == 0, result.stderr


# 7, 11, 17 (schedule) ------------------------------------------------------------------------

JOB = """jobs:
  first:
    schedule: 1h
    out: a
    ids: [648/0000043044]
"""


@pytest.mark.parametrize("text, line, named", [
    (JOB + "  second:\n    schedule: 0 0 31 2 *\n    out: b\n    ids: [648/1]\n", 7, "never fires"),
    (JOB + "  first:\n    schedule: 1h\n    out: b\n    ids: [648/1]\n", 6, "a second job"),
    (JOB + "    out: c\n", 6, "given twice"),
    (JOB + "    settings:\n      DOWNLOAD_DELAY: abc\n", 7, "DOWNLOAD_DELAY"),
    (JOB + "    settings:\n      CONCURRENT_REQUESTS: 1.5\n", 7, "whole number"),
    (JOB.replace("schedule: 1h", "schedule: 30"), 3, "unit"),
])
def test_7_11_17_job_file_mistakes_are_refused_at_load_with_their_line(tmp_path, text, line, named):
    config = tmp_path / "naver-news.yaml"
    config.write_text(text)
    for command in ("status", "schedule"):
        result = naver_news(command, "--config", str(config), *(["--once"] if command == "schedule" else []))
        assert_refused(result, f"{config}:{line}:", named)


def test_8_a_non_utf8_job_file_is_one_line(tmp_path):
    config = tmp_path / "naver-news.yaml"
    config.write_bytes(JOB.replace("first", "한국 뉴스").encode("euc-kr"))
    assert_refused(naver_news("status", "--config", str(config)), str(config), "UTF-8")


def test_7_one_broken_folder_never_stops_the_other_jobs(tmp_path):
    config = tmp_path / "naver-news.yaml"
    config.write_text(JOB + "  second:\n    schedule: 1h\n    out: b\n    ids: [648/1]\n")
    (tmp_path / "a" / ".naver-news").mkdir(parents=True)
    (tmp_path / "a" / ".naver-news" / "state.sqlite").write_bytes(b"garbage" * 100)
    result = naver_news("status", "--config", str(config))
    assert result.returncode == 1
    assert "job second" in result.stdout and "reindex" in result.stdout


# 8 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, named", [
    (["--id", "648/1", "-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY"),
    (["--id", "648/1", "-s", "STATE_COMMIT_EVERY=abc"], "STATE_COMMIT_EVERY"),
    (["--press", "648", "-s", "MAX_DATE_RANGE_DAYS=abc"], "MAX_DATE_RANGE_DAYS"),
    (["--id", "648/1", "-s", "DOWNLOAD_DELAYS=1"], "'DOWNLOAD_DELAYS'"),
    (["--id", "648/1", "-s", "RECHECK_INTERVAL=soon"], "RECHECK_INTERVAL"),
    (["--url", "https://n.news.naver.com:99999/mnews/article/648/0000043044"], "99999"),
    (["--press", "648", "--since", "99999999d"], "99999999d"),
    (["--id", "648/1", "--mirror", "http://127.0.0.1:99999"], "99999"),
    (["--id", "648/1", "--path-template", "{id}"], "'{id}'"),
    (["--id", "648/1", "--path-template", ".naver-news/{id}.md"], ".naver-news"),
    (["--id", "648/1", "--path-template", "{id:>300}.md"], "{id:>300}"),
    (["--id", "648/1", "--path-template", "{id!r}.md"], "{id!r}"),
])
def test_8_12_bad_values_are_one_line(tmp_path, args, named):
    assert_refused(naver_news("crawl", *args, "--out", str(tmp_path / "out")), named)


def test_8_bad_folders_are_one_line(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert_refused(naver_news("crawl", "--id", "648/1", "--out", str(afile)), str(afile), "file")
    assert_refused(naver_news("crawl", "--id", "648/1", "--out", "/dev/null/out"), "/dev/null/out")
    with small_disk(tmp_path / "ro", "1m") as read_only:
        remount(read_only, "ro")
        assert_refused(naver_news("crawl", "--id", "648/1", "--out", str(read_only)), str(read_only))


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x01binary", "648/0000043044\n".encode("utf-16")])
def test_8_a_binary_ids_file_is_one_line(tmp_path, data):
    ids = tmp_path / "ids.txt"
    ids.write_bytes(data)
    assert_refused(naver_news("crawl", "--ids-file", str(ids), "--out", str(tmp_path / "o")), str(ids))


def test_8_a_garbled_state_is_explained_and_reindex_rebuilds_it(mirror, tmp_path):
    assert crawl(mirror, tmp_path, "648/0000043044").returncode == 0
    state = tmp_path / ".naver-news" / "state.sqlite"
    for extra in ("-wal", "-shm"):
        state.with_name(state.name + extra).unlink(missing_ok=True)
    state.write_bytes(b"not a database, just bytes " * 200)
    files = snapshot(tmp_path)
    assert_refused(crawl(mirror, tmp_path, "648/0000043044"), "reindex")
    status = naver_news("status", "--out", str(tmp_path))
    assert status.returncode == 1 and "reindex" in status.stderr and "Traceback" not in status.stderr
    rebuilt = naver_news("reindex", "--out", str(tmp_path))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "unreadable" in rebuilt.stdout and "reindexed 1 article" in rebuilt.stdout
    assert list(state.parent.glob("state.sqlite.unreadable-*"))  # kept, not deleted
    again = crawl(mirror, tmp_path, "648/0000043044")
    assert summary(again.stdout)["skipped"] == 1 and snapshot(tmp_path) == files


def test_8_13_scrapy_crawl_bad_arguments_are_one_line(tmp_path):
    from tests.conftest import REPO
    scrapy = Path(NAVER_NEWS).parent / "scrapy"
    for args, named in ((["article", "-a", "ids=648/abc"], "'648/abc'"),
                        (["press", "-a", "oids=648", "-a", "date=2025-13-01"], "'2025-13-01'"),
                        (["sequence", "-a", "oid=648", "-a", "max_misses=x"], "'x'"),
                        (["section", "-a", "sections=999"], "'999'"),
                        (["article", "-a", "urls=https://example.com/x"], "'https://example.com/x'"),
                        (["sports", "-a", "sports=K-Baseball!"], "'K-Baseball!'"),
                        (["entertain", "-a", "since=0d"], "'0d'"),
                        (["reparse", "-a", "press=12345"], "'12345'")):
        result = subprocess.run([str(scrapy), "crawl", *args, "-s", f"OUTPUT_DIR={tmp_path}"], cwd=REPO,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result.stderr
        one_error_line(result, named)


# 9 ------------------------------------------------------------------------------------------

def test_9_status_tells_a_missing_folder_from_an_empty_one(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert_refused(naver_news("status", "--out", str(tmp_path / "nothing")), "nothing")
    assert_refused(naver_news("status", "--out", str(afile)), "afile")


def test_9_status_reads_a_read_only_folder(mirror, tmp_path):
    with small_disk(tmp_path / "ro", "4m") as out:
        assert crawl(mirror, out, "648/0000043044", "001/0015100001").returncode == 0
        remount(out, "ro")
        status = naver_news("status", "--out", str(out))
    assert status.returncode == 0, status.stderr
    assert "ok 2" in status.stdout


def test_9_status_during_a_crawl_counts_what_is_on_disk(tmp_path):
    site, ids, _ = slow_crawl(tmp_path, 150, 0.1)  # ~8 s in all: still running when status asks
    out = tmp_path / "out"
    with serving(site) as mirror:
        run = subprocess.Popen([str(NAVER_NEWS), "crawl", "--ids-file", str(ids), "--mirror", mirror,
                                "--out", str(out), *FAST], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_files(out, 40)
        time.sleep(1.5)  # one commit interval
        status = naver_news("status", "--out", str(out))
        run.send_signal(signal.SIGTERM)
        run.communicate(timeout=60)
    ok = int(re.search(r"ok (\d+)", status.stdout)[1])
    assert ok >= 30, status.stdout


# 10 -----------------------------------------------------------------------------------------

def test_10_a_run_that_reached_nothing_says_so_with_its_own_code(tmp_path):
    with serving(Site()) as mirror:
        closed = mirror  # the server is gone once the block ends: a port nobody answers on
    result = crawl(closed, tmp_path, "648/0000043044", extra=["-s", "RETRY_TIMES=0"])
    assert result.returncode == 5, result.stderr
    one_error_line(result, "could not reach the mirror", closed)


# 13 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664)])
def test_13_files_honour_the_umask(mirror, tmp_path, umask, mode):
    result = subprocess.run([str(NAVER_NEWS), "crawl", "--id", "648/0000043044", "--mirror", mirror,
                             "--out", str(tmp_path / "out"), *FAST], capture_output=True, text=True,
                            preexec_fn=lambda: os.umask(umask), timeout=60)
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "out").rglob("*.md")
    assert path.stat().st_mode & 0o777 == mode
    exported = subprocess.run([str(NAVER_NEWS), "export", "--out", str(tmp_path / "out"), "--to",
                               str(tmp_path / "copy")], capture_output=True, preexec_fn=lambda: os.umask(umask))
    assert exported.returncode == 0
    (copy,) = (tmp_path / "copy").rglob("*.md")
    assert copy.stat().st_mode & 0o777 == mode


# 14 -----------------------------------------------------------------------------------------

def test_14_reindex_makes_an_edited_file_due_again(mirror, site, tmp_path):
    assert crawl(mirror, tmp_path, "648/0000043044").returncode == 0
    (path,) = tmp_path.rglob("*.md")
    path.write_text(path.read_text().replace("과기부", "과학부"))  # edited by hand: its hash no longer matches
    report = naver_news("reindex", "--out", str(tmp_path))
    assert "content_hash does not match" in report.stdout
    result = crawl(mirror, tmp_path, "648/0000043044")
    assert summary(result.stdout)["restored"] == 1, result.stdout
    assert checked_article(path).hash_ok


# 15 -----------------------------------------------------------------------------------------

def test_15_a_redirect_off_naver_is_not_followed(tmp_path):
    site = site_of(a421_0001110001=redirect("https://evil.example.com/phish"))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, str(A))
    assert summary(result.stdout)["failed"] == 1
    assert "redirected off Naver to https://evil.example.com/phish" in result.stdout
    assert not [url for url in site.hits if "evil.example.com" in url]
    assert not list(tmp_path.rglob("*.md"))


# 16 -----------------------------------------------------------------------------------------

def test_16_scraped_text_never_becomes_a_link_or_markup(tmp_path):
    body = ("첫 문단입니다.<br><br>[click](javascript:alert(1)) 그리고 ![x](javascript:alert(2))<br><br>"
            "[ref]: javascript:alert(3)<br><br>끝 문단.")
    site = site_of(a421_0001110001=html_reply(page(
        A, body=body, title="<span>진짜 제목</span><script>document.title='가짜'</script>")))
    with serving(site) as mirror:
        assert crawl(mirror, tmp_path, str(A)).returncode == 0
    (path,) = tmp_path.rglob("*.md")
    article = checked_article(path)
    assert article.fields["title"] == "진짜 제목"
    assert "[click](javascript:alert(1))" in article.content  # the text itself is kept exactly
    rendered = MarkdownIt("commonmark").render(path.read_text().split("\n---\n", 1)[1])
    assert "javascript:" not in re.sub(r">[^<]*<", "><", rendered)  # in no attribute
    assert "<a " not in rendered.replace('<a href="https://n.news.naver.com', "") and "<img" not in rendered
    assert "<script" not in rendered


# 17 -----------------------------------------------------------------------------------------

def test_17_failures_say_what_happened(tmp_path):
    truncated = html_reply(page(A))
    truncated = Reply(200, truncated.body[:5000], headers=(("Content-Length", str(len(truncated.body))),))
    site = site_of(a421_0001110001=truncated, a421_0001110002=Reply(500, b"oops"),
                   a421_0001110003=Reply(200, b""))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, str(A), str(B), "421/0001110003", extra=["-s", "RETRY_TIMES=0"])
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("failed")}
    assert len(lines) == 3, result.stdout
    assert re.search(r"failed\s+421_0001110001\s+\S+", lines[A.key])  # a reason, not nothing
    assert "HTTP 500" in lines[B.key] and "Ignoring" not in lines[B.key]
    assert "empty" in lines["421_0001110003"]
    assert summary(result.stdout)["gone"] == 0


def test_17_export_to_stdout_is_for_jsonl_and_broken_files_are_named(mirror, tmp_path):
    assert crawl(mirror, tmp_path, "648/0000043044", "001/0015100001").returncode == 0
    assert_refused(naver_news("export", "--out", str(tmp_path), "--to", "-"), "--to -")
    assert not Path("-").exists()
    broken = next(tmp_path.rglob("001_0015100001.md"))
    broken.write_text(broken.read_text()[:400])
    result = naver_news("export", "--out", str(tmp_path), "--to", str(tmp_path.parent / "copy"))
    assert result.returncode == 0
    assert "not exported" in result.stderr and "001_0015100001.md" in result.stderr
    broken.unlink()


def test_17_ids_file_with_a_bom_and_trailing_notes(mirror, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("\ufeff648/0000043044  # the seed\n"
                   "https://n.news.naver.com/mnews/article/001/0015100001?sid=105 # with a note\n")
    result = naver_news("crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(tmp_path / "o"), *FAST)
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout)["new"] == 2
