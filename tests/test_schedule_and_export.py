"""Unattended use end to end: schedule (once and forever), status, progress, export."""
import json
import os
import pty
import select
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from crawler.demo.site import DEMO_IDS, DEMO_URLS
from pipelines.article_file import FRONT_MATTER_KEYS, read
from tests.conftest import FAST, NAVER_NEWS, article_files, naver_news, place

JOBS = """\
jobs:
  hourly:
    schedule: 1h
    out: hourly
    ids: ["648/0000043044", "421/0007300003"]
  often:
    schedule: 1s
    out: often
    ids: ["001/0015100001"]
"""


def runs(out: Path, job: str | None = None) -> list[tuple]:
    with sqlite3.connect(out / ".naver-news" / "state.sqlite") as db:
        return db.execute("SELECT started_at, ended_at, finish_reason, counts FROM runs"
                          + (" WHERE job = ?" if job else "") + " ORDER BY run_id", (job,) if job else ()).fetchall()


def test_schedule_once_runs_only_what_is_due_and_status_shows_it(tmp_path, mirror, site):
    config = tmp_path / "naver-news.yaml"
    config.write_text(JOBS)
    args = ["schedule", "--once", "--config", str(config), "--mirror", mirror, *FAST]
    first = naver_news(*args)
    assert first.returncode == 0, first.stderr
    assert "job hourly: finished" in first.stdout and "job often: finished" in first.stdout
    time.sleep(1.1)  # `often` is due again, `hourly` not for an hour
    second = naver_news(*args)
    assert second.returncode == 0, second.stderr
    assert "job often: finished" in second.stdout and "job hourly" not in second.stdout
    assert len(runs(tmp_path / "hourly", "hourly")) == 1 and len(runs(tmp_path / "often", "often")) == 2
    assert sorted(article_files(tmp_path / "hourly")) == ["421_0007300003", "648_0000043044"]
    reason, counts = runs(tmp_path / "hourly", "hourly")[0][2:]
    assert reason == "finished" and json.loads(counts)["new"] == 2

    status = naver_news("status", "--config", str(config))
    assert status.returncode == 0, status.stderr
    hourly = status.stdout.split("job often")[0]
    assert f"job hourly → {tmp_path / 'hourly'} (schedule 1h; next due" in hourly and "(in 60m)" in hourly
    assert "articles: ok 2" in hourly and "finished  article: requested 2, written 2 (new 2," in hourly
    often = status.stdout.split("job often")[1]
    assert often.count("finished  article: requested 1") == 2


def test_schedule_forever_until_sigterm(tmp_path, mirror, site):
    config = tmp_path / "naver-news.yaml"
    config.write_text(JOBS.split("  often:")[0].replace("1h", "1s"))
    scheduler = subprocess.Popen([str(NAVER_NEWS), "schedule", "--config", str(config), "--mirror", mirror,
                                  "--job", "hourly", *FAST],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_runs_or_none(tmp_path / "hourly")) < 2:
        time.sleep(0.1)
    while time.monotonic() < deadline and any(end is None for _, end, *_ in runs(tmp_path / "hourly")):
        time.sleep(0.05)  # let the second run finish, then stop the scheduler between runs or in the next
    scheduler.send_signal(signal.SIGTERM)
    stdout, stderr = scheduler.communicate(timeout=60)
    assert scheduler.returncode == 0, stderr
    assert stdout.rstrip().endswith("stopped")
    recorded = runs(tmp_path / "hourly", "hourly")
    assert len(recorded) >= 2 and all(end for _, end, *_ in recorded)
    for (_, first_end, *_), (second_start, *_) in zip(recorded, recorded[1:], strict=False):
        assert second_start >= first_end  # one run at a time
    assert recorded[1][2] == "finished" and json.loads(recorded[1][3])["skipped"] == 2  # known by then
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".naver-news-")]
    assert sorted(article_files(tmp_path / "hourly")) == ["421_0007300003", "648_0000043044"]


def _runs_or_none(out: Path) -> list:
    try:
        return runs(out)
    except sqlite3.OperationalError:
        return []


def test_bad_job_file_is_refused_with_line_job_and_key(tmp_path):
    config = tmp_path / "naver-news.yaml"
    config.write_text(JOBS.replace("schedule: 1s", "schedule: every second"))
    result = naver_news("schedule", "--once", "--config", str(config))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"naver-news: error: {config}:7: job 'often', key 'schedule': invalid schedule "
                             "'every second': expected an interval (30m, 6h, 1d) or a cron line of 5 fields "
                             "(minute hour day-of-month month day-of-week)\n")
    config.write_text(JOBS)
    unknown = naver_news("schedule", "--once", "--config", str(config), "--job", "nope")
    assert unknown.returncode == 2 and "no job 'nope'" in unknown.stderr
    missing = naver_news("schedule", "--once", "--config", str(tmp_path / "absent.yaml"))
    assert missing.returncode == 2 and "cannot read job file" in missing.stderr


def test_progress_lines_without_a_terminal(tmp_path, mirror):
    result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST, "-s", "PROGRESS_INTERVAL=0.2",
                        "-s", "DOWNLOAD_DELAY=0.3", *[arg for target in DEMO_IDS for arg in ("--id", target)])
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("article: pages ")]
    assert len(lines) >= 2 and "\r" not in result.stderr
    assert " · written " in lines[-1] and " articles/s · errors 0" in lines[-1]
    quiet = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path / "q"), *FAST, "-q",
                       "-s", "PROGRESS_INTERVAL=0.2", "-s", "DOWNLOAD_DELAY=0.3", "--id", DEMO_IDS[0])
    assert quiet.stderr == "" and quiet.stdout.startswith("done: ")


def test_progress_line_on_a_terminal(tmp_path, mirror):
    """Run under a pseudo-terminal: the line is redrawn in place, then cleared."""
    main, child = pty.openpty()
    process = subprocess.Popen([str(NAVER_NEWS), "crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                                "-s", "DOWNLOAD_DELAY=1", "--id", DEMO_IDS[0], "--id", DEMO_IDS[1],
                                "--id", DEMO_IDS[2]], stdin=child, stdout=child, stderr=child)
    os.close(child)
    output = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        try:
            chunk = os.read(main, 4096) if ready else b""
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        output += chunk
    process.wait(timeout=30)
    os.close(main)
    text = output.decode()
    assert process.returncode == 0
    assert "\r\x1b[Karticle: pages " in text and text.count("\r\x1b[K") >= 2, text
    assert "new         648_0000043044" in text and "done: requested 3" in text


def test_export_copies_bytes_and_writes_jsonl(tmp_path, mirror):
    source = tmp_path / "archive"
    assert naver_news("crawl", "--mirror", mirror, "--out", str(source), *FAST,
                      *[arg for target in DEMO_IDS for arg in ("--id", target)],
                      *[arg for url in DEMO_URLS for arg in ("--url", url)]).returncode == 0
    place(source / "README.md", "# my archive\n")
    originals = {path.name: path.read_bytes() for path in source.rglob("*.md") if path.name != "README.md"}
    assert len(originals) == 14

    same = naver_news("export", "--out", str(source), "--to", str(tmp_path / "copy"))
    assert same.returncode == 0 and "exported 14 articles" in same.stdout
    copies = {path.name: path.read_bytes() for path in (tmp_path / "copy").rglob("*.md")}
    assert copies == originals
    assert (tmp_path / "copy/2025/12/29/648_0000043044.md").exists() and not (tmp_path / "copy/.naver-news").exists()

    flat = naver_news("export", "--out", str(source), "--to", str(tmp_path / "flat"), "--layout", "flat",
                      "--since", "2026-01-01", "--section", "IT/과학", "--section", "101")
    assert flat.returncode == 0
    assert sorted(p.name for p in (tmp_path / "flat").iterdir()) == [
        "001_0015100001.md", "003_0013200004.md", "015_0005000006.md", "119_0003050003.md", "421_0007300003.md"]
    by_press = naver_news("export", "--out", str(source), "--to", str(tmp_path / "by-press"),
                          "--layout", "{oid}/{id}.md", "--press", "648", "--until", "2025-12-31")
    assert by_press.returncode == 0
    assert (tmp_path / "by-press/648/648_0000043044.md").read_bytes() == originals["648_0000043044.md"]
    assert len(list((tmp_path / "by-press").rglob("*.md"))) == 1

    jsonl = naver_news("export", "--out", str(source), "--to", str(tmp_path / "all.jsonl"), "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    records = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 14
    for record in records:
        assert list(record)[:len(FRONT_MATTER_KEYS)] == list(FRONT_MATTER_KEYS) and "content" in record
        original = read(originals[f"{record['id']}.md"].decode())
        assert {key: record[key] for key in original.fields} == original.fields
        assert record["content"] == original.content
    seed = next(record for record in records if record["id"] == "648_0000043044")
    assert seed["title"] == '"KT 과실"…이용자 모두 위약금 면제 대상' and seed["oid"] == "648"

    stdout = naver_news("export", "--out", str(source), "--to", "-", "--format", "jsonl", "--press", "421")
    assert [json.loads(line)["id"] for line in stdout.stdout.splitlines()] == ["421_0007300003"]

    # `| head -0`: the reader is gone before the first line. Nothing to say, no traceback.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        gone = subprocess.run([NAVER_NEWS, "export", "--out", str(source), "--to", "-", "--format", "jsonl"],
                              stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(writer)
    assert gone.returncode == 0 and gone.stderr == "", gone.stderr


def test_export_refuses_bad_input(tmp_path):
    (tmp_path / "a").mkdir()
    for args, named in ((["--to", str(tmp_path / "a" / "x")], "inside the source"),
                        (["--to", "x", "--since", "2025-13-01"], "'2025-13-01'"),
                        (["--to", "x", "--section", "999"], "'999'"),
                        (["--to", "x", "--layout", "{title}.md"], "{title}"),
                        (["--to", "x", "--press", "6480"], "'6480'")):
        result = naver_news("export", "--out", str(tmp_path / "a"), *args)
        assert result.returncode == 2 and named in result.stderr and result.stderr.count("\n") == 1, result.stderr
