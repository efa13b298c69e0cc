"""The state store on its own: when an article is due, schema versions, the folder lock."""
import os
import sqlite3
import subprocess
import sys
from datetime import datetime

import pytest

from crawler.sources.dates import KST
from pipelines.folder import FolderLock, write_atomically
from pipelines.state import SCHEMA_VERSION, ArticleState, Policy


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=KST)


@pytest.fixture
def state(tmp_path):
    store = ArticleState(tmp_path, Policy())
    yield store
    store.close()


def set_row(state, **values):
    columns = ", ".join(f"{name} = ?" for name in values)
    state.db.execute(f"UPDATE articles SET {columns} WHERE id = '001_0000000001'", tuple(values.values()))


def test_unknown_and_failed_articles_are_due(state):
    assert state.is_due("001_0000000001")
    state.record_unavailable("001_0000000001", "001", "0000000001", "u", "failed", "boom")
    assert state.is_due("001_0000000001")


def test_gone_articles_back_off_doubling_per_miss(state):
    for _ in range(3):
        state.record_unavailable("001_0000000001", "001", "0000000001", "u", "gone", "")
    set_row(state, last_fetched="2025-01-01 00:00:00")
    assert state.known("001_0000000001").misses == 3
    # 6h, 12h, then 24h after the third miss
    assert not state.is_due("001_0000000001", at("2025-01-01 23:59"))
    assert state.is_due("001_0000000001", at("2025-01-02 00:00"))
    set_row(state, misses=30)
    assert not state.is_due("001_0000000001", at("2025-01-30 23:00"))
    assert state.is_due("001_0000000001", at("2025-01-31 00:00"))  # capped at 30 days


def test_ok_articles_are_due_only_while_fresh(state, tmp_path):
    article = dict(id="001_0000000001", oid="001", aid="0000000001", url="u", published_at="2025-01-01 09:00",
                   content_hash="h", modified_at="")
    (tmp_path / "a.md").write_text("x")
    assert state.record_file(article, "a.md") == "new"
    set_row(state, last_fetched="2025-01-01 10:00:00")
    assert not state.is_due(article["id"], at("2025-01-01 15:59"))  # checked less than 6h ago
    assert state.is_due(article["id"], at("2025-01-01 16:00"))
    assert not state.is_due(article["id"], at("2025-01-04 09:00"))  # 3 days old: settled
    (tmp_path / "a.md").unlink()
    assert state.is_due(article["id"], at("2025-06-01 00:00"))  # its file is gone


def test_a_recorded_files_folder_is_synced_before_the_commit_that_records_it(tmp_path, monkeypatch):
    """Article files are renamed into place without syncing their folder each time: the commit
    that records them syncs each folder once, first, so no committed row names a file a power
    cut could take back."""
    synced, committed = [], []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(os.readlink(f"/proc/self/fd/{fd}")) or real_fsync(fd))
    state = ArticleState(tmp_path, Policy(), commit_every=1000, commit_seconds=3600)
    state.db.set_trace_callback(lambda sql: committed.append(len(synced)) if sql == "COMMIT" else None)
    try:
        for number, day in ((1, "01"), (2, "01"), (3, "02")):
            article = dict(id=f"001_000000000{number}", oid="001", aid=f"000000000{number}", url="u",
                           published_at=f"2025-01-{day} 09:00", content_hash="h", modified_at="")
            path = f"2025/01/{day}/{article['id']}.txt"
            write_atomically(tmp_path / path, "x", sync_folder=False)
            state.record_file(article, path)
        folders = {str(tmp_path / "2025/01/01"), str(tmp_path / "2025/01/02")}
        assert not folders & set(synced)  # the files' own fsyncs only, so far
        state.commit()
        assert sorted(synced[committed[-1] - 2:committed[-1]]) == sorted(folders)  # once each, before COMMIT
    finally:
        state.close()


def test_unsupported_articles_are_never_due(state):
    state.record_unavailable("001_0000000001", "001", "0000000001", "u", "unsupported", "")
    set_row(state, last_fetched="2000-01-01 00:00:00")
    assert not state.is_due("001_0000000001")


def test_schema_is_versioned_and_a_newer_one_is_refused(tmp_path):
    ArticleState(tmp_path).close()
    path = tmp_path / ".naver-news" / "state.sqlite"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="upgrade naver-news"):
        ArticleState(tmp_path)
    FolderLock(tmp_path).acquire()  # the failed open released the lock


def test_folder_lock_is_exclusive_across_processes_and_reentrant_within_one(tmp_path):
    with FolderLock(tmp_path), FolderLock(tmp_path):
        holder = subprocess.run(
            [sys.executable, "-c", "import sys; from pipelines.folder import FolderLock, FolderBusy\n"
             f"try: FolderLock({str(tmp_path)!r}).acquire()\nexcept FolderBusy as e: sys.exit(str(e))"],
            capture_output=True, text=True, timeout=60)
        assert holder.returncode == 1 and "another naver-news run (pid" in holder.stderr
    with FolderLock(tmp_path):  # released by both holders: free again
        pass


def test_a_version_1_state_is_migrated_keeping_its_data(tmp_path):
    from pipelines.state import MIGRATIONS, read_last_start

    path = tmp_path / ".naver-news" / "state.sqlite"
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute("INSERT INTO runs (started_at, arguments) VALUES ('2025-01-01 00:00:00', '{}')")
        db.execute("INSERT INTO articles (id, oid, aid, url, status, first_seen) "
                   "VALUES ('001_0000000001', '001', '0000000001', 'u', 'ok', '2025-01-01 00:00:00')")
        db.execute("PRAGMA user_version = 1")
    state = ArticleState(tmp_path)
    try:
        assert state.known("001_0000000001").status == "ok"
        state.finish_run(state.start_run({}, job="nightly"), {}, "finished")
    finally:
        state.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert db.execute("SELECT warc FROM articles").fetchall() == [(None,)]  # 3: the web archive index
        assert db.execute("SELECT count(*), count(job) FROM runs").fetchone() == (2, 1)
    assert read_last_start(tmp_path, "nightly") is not None and read_last_start(tmp_path, "other") is None
