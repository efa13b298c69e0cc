"""The web archive (issue 11): valid WARC by warcio's own tools, reparse without a single
request, replay with the server gone, and kills that leave every file readable."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from crawler.archive.helper import Job
from crawler.archive.warc_files import (
    MARKER,
    Exchange,
    WarcArchive,
    archive_files,
    read_record,
    warc_dir,
    warc_files,
)
from crawler.demo.server import serving
from crawler.demo.site import DEMO_IDS, DEMO_URLS, demo_site
from pipelines.article_file import read, render
from tests.conftest import (
    FAST,
    NAVER_NEWS,
    article_files,
    checked_article,
    naver_news,
    summary,
)
from tests.test_incremental import slow_crawl, snapshot, state_rows, wait_for_files
from tests.test_robustness import one_error_line

WARCIO = Path(sys.executable).parent / "warcio"
TARGETS = [arg for target in DEMO_IDS for arg in ("--id", target)] + [arg for url in DEMO_URLS for arg in ("--url", url)]


def warcio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(WARCIO), *args], capture_output=True, text=True, timeout=120)


def texts_but_crawl_time(out: Path) -> dict[str, str]:
    """Every article file's text under `out`, by name, without its crawl time."""
    return {path.name: re.sub(r"(crawled_at: |Crawled at: ).*", "", path.read_text()) for path in out.rglob("*.md")}


def demo_crawl(out: Path):
    site = demo_site()
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(out), *FAST, *TARGETS)
    assert result.returncode == 0, result.stderr
    return site, result


def test_every_response_is_archived_as_valid_warc_under_its_naver_url(tmp_path):
    site, _ = demo_crawl(tmp_path)
    files = warc_files(warc_dir(tmp_path))
    assert files
    checked = warcio("check", "-v", *map(str, files))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "digest pass" in checked.stdout and "fail" not in checked.stdout
    index = [json.loads(line) for line in warcio("index", *map(str, files)).stdout.splitlines()]
    responses = [entry for entry in index if entry["warc-type"] == "response"]
    assert len(responses) == len(site.requests)  # one response per page fetched, redirects included
    assert sorted(entry["warc-target-uri"] for entry in responses) == sorted(url for _, url in site.requests)
    assert all(re.match(r"https://[a-z.-]*naver\.com/", entry["warc-target-uri"]) for entry in responses)
    assert len([entry for entry in index if entry["warc-type"] == "request"]) == len(responses)
    status = naver_news("status", "--out", str(tmp_path))
    assert "web archive: 1 WARC file" in status.stdout


def test_reparse_rewrites_exactly_what_the_rules_change_and_fetches_nothing(tmp_path):
    site, _ = demo_crawl(tmp_path)
    db = tmp_path / ".naver-news" / "state.sqlite"
    # As the rules before 2026-12-01 left things: the photo flash failed, with no file …
    (flash,) = tmp_path.rglob("001_0016500001.md")
    flash.unlink()
    # … and a body whose paragraphs they glued together.
    (glued,) = tmp_path.rglob("119_0003050003.md")
    today = checked_article(glued)
    old_text = today.content.replace("\n\n", "", 1)
    old_hash = hashlib.sha256(old_text.encode()).hexdigest()
    glued.write_text(render({**today.fields, "content": old_text, "content_hash": old_hash}))
    with sqlite3.connect(db) as state:
        state.execute("UPDATE articles SET status = 'failed', path = NULL, content_hash = NULL, revision = 0,"
                      " detail = 'missing content' WHERE id = '001_0016500001'")
        state.execute("UPDATE articles SET content_hash = ? WHERE id = '119_0003050003'", (old_hash,))
    before, asked = snapshot(tmp_path), len(site.requests)
    fetched_before = dict(state_rows(tmp_path, "SELECT id, last_fetched FROM articles"))
    with serving(site):
        result = naver_news("reparse", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(site.requests) == asked  # not one request, to anyone
    counts = summary(result.stdout)
    assert (counts["reparsed"], counts["unchanged"], counts["written"]) == (2, 12, 2)
    assert re.search(r"^reparsed +001_0016500001 ", result.stdout, re.M)
    assert re.search(r"^reparsed +119_0003050003 ", result.stdout, re.M)
    after = snapshot(tmp_path)
    assert {path for path in after if after[path] != before.get(path)} == {flash, glued}
    assert checked_article(glued).content == today.content and checked_article(flash).content
    assert state_rows(tmp_path, "SELECT content_hash FROM history WHERE id = '119_0003050003'") == [(old_hash,)]
    # Nothing was fetched: no article looks freshly checked (a reparsed one, as of its archived page).
    fetched_after = dict(state_rows(tmp_path, "SELECT id, last_fetched FROM articles"))
    assert {key for key in fetched_after if fetched_after[key] != fetched_before[key]} <= {
        "001_0016500001", "119_0003050003"}
    assert fetched_after["119_0003050003"] <= fetched_before["119_0003050003"]
    selected = naver_news("reparse", "--out", str(tmp_path), "--id", "119/0003050003")
    assert summary(selected.stdout)["requested"] == 1


def test_the_demo_replays_from_its_archive_with_the_server_gone(tmp_path):
    live = naver_news("demo", "--out", str(tmp_path / "live"), *FAST)
    assert live.returncode == 0, live.stderr
    replay = naver_news("demo", "--out", str(tmp_path / "replay"), *FAST,
                        "--mirror", f"warc:{warc_dir(tmp_path / 'live')}")
    assert replay.returncode == 0, replay.stderr
    assert "Serving" not in replay.stdout
    assert summary(replay.stdout) == summary(live.stdout)
    assert texts_but_crawl_time(tmp_path / "replay") == texts_but_crawl_time(tmp_path / "live")
    doctor = naver_news("doctor", "648/0000043044", "--out", str(tmp_path / "live"))
    assert doctor.returncode == 0 and "archived      naver-news-" in doctor.stdout
    assert "verdict       ok" in doctor.stdout


def test_a_killed_run_leaves_the_archive_readable_and_no_dangling_index(tmp_path):
    site, ids, articles = slow_crawl(tmp_path, 150, 0.01)
    out = tmp_path / "out"
    with serving(site) as mirror:
        args = ["crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(out), *FAST]
        run = subprocess.Popen([str(NAVER_NEWS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_files(out, 40)
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        (archive,) = warc_files(warc_dir(out))
        assert archive.with_name(archive.name + MARKER).exists()  # it was being written
        with archive.open("ab") as handle:
            handle.write(b"\x1f\x8b\x08\x00 half a record")  # as a kill mid-write would leave it
        rerun = naver_news(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(article_files(out)) == sorted(article.key for article in articles)
    checked = warcio("check", *map(str, warc_files(warc_dir(out))))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    folder = warc_dir(out)
    rows = state_rows(out, "SELECT warc FROM articles WHERE status = 'ok'")
    assert len(rows) == 150 and all(location for (location,) in rows)  # adopted files too
    for (location,) in rows:
        assert read_record(archive_files(folder), location).status == 200  # every index entry is there
    assert not list(folder.glob(f"*{MARKER}"))


def child_processes(pid: int, running: str) -> list[int]:
    """The processes `pid` started whose command line holds `running`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and running in command:
            found.append(int(entry.name))
    return found


def helper_trouble_ends_the_run(tmp_path: Path, trouble: Callable[[int], None], said: str) -> Path:
    """A crawl of 150 articles whose helper meets `trouble(pid)` once 20 files are written:
    the run must end with exit 1 and one error line holding `said`, its archive valid, and
    a rerun must write the rest. The output folder, for more checks."""
    site, ids, articles = slow_crawl(tmp_path, 150, 0.01)
    out = tmp_path / "out"
    with serving(site) as mirror:
        args = ["crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(out), *FAST]
        run = subprocess.Popen([str(NAVER_NEWS), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for_files(out, 20)
            (helper,) = child_processes(run.pid, "crawler.archive.helper")
            trouble(helper)
            stdout, stderr = run.communicate(timeout=60)
        finally:
            run.kill()  # a hung crawl must not outlive the test
        assert run.returncode == 1, stderr
        error = one_error_line(subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr))
        assert said in error
        assert summary(stdout)["finished"] is False
        assert len(article_files(out)) < len(articles)  # it really stopped mid-way
        assert warcio("check", *map(str, warc_files(warc_dir(out)))).returncode == 0
        rerun = naver_news(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(article_files(out)) == sorted(article.key for article in articles)
    return out


def test_the_archive_helper_dying_ends_the_run_in_one_line_and_keeps_what_was_written(tmp_path):
    out = helper_trouble_ends_the_run(tmp_path, lambda helper: os.kill(helper, signal.SIGKILL),
                                      "web archive's helper process ended (killed by signal 9)")
    rows = state_rows(out, "SELECT warc FROM articles WHERE status = 'ok'")
    assert len(rows) == 150
    for (location,) in rows:
        assert read_record(archive_files(warc_dir(out)), location).status == 200


def test_an_answer_of_the_archive_helper_that_cannot_be_read_ends_the_run_in_one_line(tmp_path):
    """Bytes in the helper's answer pipe that are no answer (a stray write, a bug): the crawl
    once raised on its reactor and then waited forever for answers that could not come."""
    def write_junk(helper: int) -> None:
        with open(f"/proc/{helper}/fd/1", "wb") as answers:  # the same pipe the crawl reads
            answers.write(len(b"Pjunk").to_bytes(4, "big") + b"Pjunk")

    helper_trouble_ends_the_run(tmp_path, write_junk, "web archive's helper process gave an answer that cannot be read")


def test_the_archive_helper_is_this_crawler_even_run_beside_another_copy(tmp_path):
    """`python -m` looks in the working folder first: a crawl started beside another checkout
    (another version's `crawler` package) must still start its own helper."""
    other = tmp_path / "other-checkout" / "crawler" / "archive"
    other.mkdir(parents=True)
    for init in (other.parent / "__init__.py", other / "__init__.py"):
        init.write_text("")
    (other / "helper.py").write_text("raise SystemExit(3)\n")
    site = demo_site()
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path / "out"), *FAST, "--id", "648/0000043044",
                            cwd=other.parent.parent)
    assert result.returncode == 0, result.stderr
    assert warcio("check", *map(str, warc_files(warc_dir(tmp_path / "out")))).returncode == 0


def test_the_archive_helper_outliving_its_crawl_ends_without_a_word():
    """A crawl killed, or forced to stop, with pages in flight: the helper's answers meet a
    closed pipe. It shares the crawl's stderr, so it must end there silently."""
    helper = subprocess.Popen([sys.executable, "-m", "crawler.archive.helper"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    helper.stdout.close()  # the crawl is gone before the answer
    page = Exchange("https://n.news.naver.com/mnews/article/001/0000000001", 200,
                    [(b"Content-Type", b"text/html")], b"<html></html>", "GET", [], "2026-12-01T00:00:00Z")
    helper.stdin.write(pickle.dumps(Job(page, ("utf-8", page.url))))
    helper.stdin.close()
    assert helper.wait(timeout=60) == 0
    assert helper.stderr.read() == b""


def test_the_archive_helper_answers_whole_through_stops_and_unbuffered_output():
    """Ctrl-Z (or a profiler attaching) interrupts the helper in the middle of writing an
    answer into a full pipe. Under PYTHONUNBUFFERED, which many containers set, that write
    once stopped short and the rest of the answer was lost: the crawl read garbage and died."""
    helper = subprocess.Popen([sys.executable, "-m", "crawler.archive.helper"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    pages = 300
    # Random text: its gzip stays ~75 KB, so a few answers fill the pipe and the helper waits in write.
    body = base64.b64encode(os.urandom(100_000))

    def feed() -> None:
        for number in range(pages):
            url = f"https://n.news.naver.com/mnews/article/001/{number:010d}"
            page = Exchange(url, 200, [(b"Content-Type", b"text/html")], body, "GET", [], "2026-12-01T00:00:00Z")
            helper.stdin.write(pickle.dumps(Job(page)))
        helper.stdin.close()

    storm = threading.Event()

    def stop_and_go() -> None:
        while not storm.is_set():
            helper.send_signal(signal.SIGSTOP)
            time.sleep(0.003)
            helper.send_signal(signal.SIGCONT)
            time.sleep(0.005)

    threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=stop_and_go, daemon=True)]
    for thread in threads:
        thread.start()
    answers = []
    try:
        while frame_length := helper.stdout.read(4):
            time.sleep(0.002)  # a busy crawl: the pipe stays full
            frame = helper.stdout.read(int.from_bytes(frame_length, "big"))
            assert frame[:1] == b"P", frame[:200]
            answers.append(pickle.loads(frame[1:]))
        storm.set()
        threads[1].join()
        helper.send_signal(signal.SIGCONT)
        assert helper.wait(timeout=60) == 0
    finally:
        storm.set()
        if helper.poll() is None:
            helper.send_signal(signal.SIGCONT)
            helper.kill()
    assert len(answers) == pages
    for number, (pair, page) in enumerate(answers):
        assert page is None
        assert f"/001/{number:010d}".encode() in gzip.decompress(pair)


def test_the_archive_helper_reads_article_pages_as_the_spider_would(tmp_path):
    """With the web archive on, its helper reads each article page from the copy it archives;
    with it off, the spider reads them. Every file comes out the same (but crawled_at)."""
    texts, read_in_helper = {}, {}
    with serving(demo_site()) as mirror:
        for reader, extra in (("helper", ()), ("spider", ("-s", "WARC_ENABLED=False"))):
            out = tmp_path / reader
            result = naver_news("crawl", "--mirror", mirror, "--out", str(out), *FAST, *TARGETS, *extra, "-v")
            assert result.returncode == 0, result.stderr
            read_in_helper[reader] = re.search(r"'articles/read_in_helper': (\d+)", result.stderr)
            texts[reader] = texts_but_crawl_time(out)
    assert read_in_helper["spider"] is None
    # Every page answered at an article host: 12 articles (2026, current and legacy layouts)
    # and the deleted one's error page; not the 2 API answers, nor the unknown article's 404.
    assert int(read_in_helper["helper"][1]) == 13
    assert len(texts["helper"]) == 14
    assert texts["helper"] == texts["spider"]


def test_a_cut_record_is_cut_away_at_the_next_open(tmp_path):
    demo_crawl(tmp_path)
    (archive,) = warc_files(warc_dir(tmp_path))
    whole = archive.stat().st_size
    archive.with_name(archive.name + MARKER).touch()
    with archive.open("ab") as handle:
        handle.write(archive.read_bytes()[300:2000])  # the start of a record, no end
    WarcArchive(tmp_path, 1 << 30).close()
    assert archive.stat().st_size == whole
    assert warcio("check", str(archive)).returncode == 0


def test_an_archive_can_be_turned_off(tmp_path):
    site = demo_site()
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST, "--id", "648/0000043044",
                            "-s", "WARC_ENABLED=False")
    assert result.returncode == 0
    assert not warc_files(warc_dir(tmp_path))
    no_archive = naver_news("reparse", "--out", str(tmp_path))
    assert no_archive.returncode == 2 and "no web archive" in no_archive.stderr


def test_read_back_files_render_the_same(tmp_path):
    """The reparse test rewrites a file with render(); make sure that is the crawler's own format."""
    demo_crawl(tmp_path)
    (path,) = tmp_path.rglob("648_0000043044.md")
    article = read(path.read_text())
    assert render({**article.fields, "content": article.content}) == path.read_text()
