"""The incremental state: one SQLite file per output folder, and the one owner of it.

`{out}/.naver-news/state.sqlite` (WAL mode) records every article ever seen there:
its status, content hash, revision and file, so a run can skip what it already has
before fetching, leave unchanged files alone, and count edits. Only this module
writes it. A folder has one writer at a time (`pipelines.folder.FolderLock`).

Schema (version in `PRAGMA user_version`; `MIGRATIONS[n]` takes version n to n+1):

    articles  one row per article id: oid, aid, url, status (ok/gone/unsupported/failed),
              published_at, modified_at, content_hash, revision, path (relative to the
              folder), first_seen, last_fetched, last_changed, misses (consecutive gone
              answers, for the retry backoff), detail (why gone/failed), alias_of (the id
              whose file already holds this same content), warc (`FILE:OFFSET` of the page
              it was last read from, in `.naver-news/warc/`)
    history   each content hash an article had before an edit, with when it was replaced
              and where its page is in the web archive
    runs      one row per spider run: start, end, arguments, counts, finish reason, and
              the job (of the job file) it ran for, if any

Beside it, `journal` lists the files a run is writing and has not committed yet: a run
killed at any moment leaves them there, and the next open adopts each complete one
(verified by its own content_hash) and removes the temp files of their folders, so no
article is fetched twice and no temp file outlives its run.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler.items import Article, UnavailableArticle
from crawler.reading.article_page import FAILED, GONE, OK
from crawler.running.durations import parse_duration
from crawler.running.outcome import OUTCOMES, report_outcome
from crawler.sources.dates import korea_time, timestamp
from crawler.sources.dates import now as current_time
from pipelines.article_file import ArticleFile, ArticleFileError, is_whole, read
from pipelines.folder import (
    FolderLock,
    remove_stray_temp_files,
    state_dir,
    sync_directory,
    under,
    write_atomically,
)

logger = logging.getLogger(__name__)

MIGRATIONS = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        oid TEXT NOT NULL,
        aid TEXT NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        published_at TEXT,
        modified_at TEXT,
        content_hash TEXT,
        revision INTEGER NOT NULL DEFAULT 0,
        path TEXT,
        first_seen TEXT NOT NULL,
        last_fetched TEXT,
        last_changed TEXT,
        misses INTEGER NOT NULL DEFAULT 0,
        detail TEXT,
        alias_of TEXT
    );
    CREATE INDEX articles_by_hash ON articles (content_hash);
    CREATE INDEX articles_by_office ON articles (oid, aid);
    CREATE TABLE history (
        id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        PRIMARY KEY (id, revision)
    );
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        arguments TEXT,
        counts TEXT,
        finish_reason TEXT
    );
    """,
    # 2: runs started by `naver-news schedule` name their job, so it knows when each is due.
    """
    ALTER TABLE runs ADD COLUMN job TEXT;
    CREATE INDEX runs_by_job ON runs (job, started_at);
    """,
    # 3: where in the web archive the page of each article (and of each earlier revision) is.
    """
    ALTER TABLE articles ADD COLUMN warc TEXT;
    ALTER TABLE history ADD COLUMN warc TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Policy:
    """When a known article is worth fetching again."""

    refresh_window: timedelta = timedelta(days=3)    # re-check articles younger than this …
    recheck_interval: timedelta = timedelta(hours=6)  # … when last fetched longer ago than this
    gone_retry: timedelta = timedelta(hours=6)        # first retry of a gone article; doubles per miss
    gone_retry_max: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class Known:
    """What the state holds about one article."""

    id: str
    status: str
    published_at: str | None
    content_hash: str | None
    revision: int
    path: str | None
    last_fetched: str | None
    misses: int
    alias_of: str | None
    warc: str | None


class StateError(RuntimeError):
    """The state cannot be read or written (a corrupt file, a full disk); the message names
    the file and what to do."""


class CorruptState(StateError):
    """The state file is not a database any more; `reindex` rebuilds it from the files."""


def unreadable_state(path: Path, error: Exception) -> StateError:
    folder = path.parent.parent
    return CorruptState(f"the state {path} is unreadable ({error}): move it away and run "
                      f"`naver-news reindex --out {folder}` to rebuild it from the article files")


def _frontier(db: sqlite3.Connection, oid: str) -> int | None:
    row = db.execute("SELECT max(aid) FROM articles WHERE oid = ? AND status IN ('ok', 'unsupported')",
                     (oid,)).fetchone()
    return int(row[0]) if row and row[0] else None


def _read(out_dir: str | Path, query: Any, default: Any = None) -> Any:
    """Run `query(db)` on a folder's state without taking the folder (safe beside a writer:
    WAL); `default` when there is no state yet."""
    path = state_dir(out_dir) / "state.sqlite"
    if not path.exists():
        return default
    # A read-only folder has no room for the WAL index: read the file as it is, then.
    mode = "ro" if os.access(path.parent, os.W_OK) else "ro&immutable=1"
    try:
        db = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
    except sqlite3.Error as error:
        raise unreadable_state(path, error) from None
    try:
        return query(db)
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):  # an empty file, or one from before a migration
            return default
        raise unreadable_state(path, error) from None
    except sqlite3.DatabaseError as error:
        raise unreadable_state(path, error) from None
    finally:
        db.close()


def read_frontier(out_dir: str | Path, oid: str) -> int | None:
    """The frontier of an office (see ArticleState.frontier), read from outside a run."""
    return _read(out_dir, lambda db: _frontier(db, oid))


def read_last_start(out_dir: str | Path, job: str) -> datetime | None:
    """When a job last started a run in this folder (KST), or None."""
    row = _read(out_dir, lambda db: db.execute("SELECT max(started_at) FROM runs WHERE job = ?", (job,)).fetchone())
    return korea_time(row[0]) if row else None


def record_failed_run(out_dir: str | Path, job: str, reason: str) -> None:
    """A job run that failed before any spider started: recorded, so the job waits for its next slot."""
    state = ArticleState(out_dir)
    try:
        state.finish_run(state.start_run({"spider": "-"}, job), {}, reason)
    finally:
        state.close()


@dataclass
class RunRecord:
    started_at: str
    ended_at: str | None
    spider: str
    counts: dict[str, int]
    finish_reason: str | None
    job: str | None


def read_archived(out_dir: str | Path, article_id: str) -> str | None:
    """Where in the folder's web archive an article's page is (`FILE:OFFSET`), or None."""
    row = _read(out_dir, lambda db: db.execute("SELECT warc FROM articles WHERE id = ?", (article_id,)).fetchone())
    return row[0] if row else None


def read_article_counts(out_dir: str | Path) -> dict[str, int]:
    """Articles by status (ok, gone, unsupported, failed) in a folder's state."""
    rows = _read(out_dir, lambda db: db.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall(), [])
    return dict(rows)


def read_runs(out_dir: str | Path, job: str | None = None, limit: int = 5) -> list[RunRecord]:
    """The latest runs in a folder (of one job, if named), newest first."""
    sql = ("SELECT started_at, ended_at, arguments, counts, finish_reason, job FROM runs"
           + (" WHERE job = ?" if job else "") + " ORDER BY run_id DESC LIMIT ?")
    rows = _read(out_dir, lambda db: db.execute(sql, (job, limit) if job else (limit,)).fetchall(), [])
    return [RunRecord(started, ended, json.loads(arguments or "{}").get("spider", "?"), json.loads(counts or "{}"),
                      reason, run_job) for started, ended, arguments, counts, reason, run_job in rows]


class ArticleState:
    """The SQLite state of one output folder. Writes are batched: one transaction per
    `commit_every` changes or `commit_seconds`, whichever comes first, and at the latest
    when the state is closed; a killed run loses at most that much of its records, and the
    journal gives back the files among them."""

    def __init__(self, out_dir: str | Path, policy: Policy = Policy(), commit_every: int = 200,
                 commit_seconds: float = 1.0) -> None:
        self.out_dir = Path(out_dir)
        self.policy = policy
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self.path = state_dir(out_dir) / "state.sqlite"
        self.journal_path = state_dir(out_dir) / "journal"
        self.lock = FolderLock(out_dir)
        self.lock.acquire()
        self.closed = False
        try:
            self.db = self._connect(self.path)
            self.pending = 0
            self.last_commit = time.monotonic()
            self.in_flight: dict[str, str] = {}  # journaled files not recorded yet → their archived page
            # Kept open between commits (which rewrite it): an open and a close less per article.
            self.journal: TextIO | None = None
            # Folders of files recorded since the last commit: synced before it, once each, where
            # each file's write would have synced its folder (the articles of a run share a few).
            self.unsynced_folders: set[str] = set()
            # Articles passed on for writing whose file is not recorded yet, by `same_article`
            # digest: a twin that arrives before the file is recorded must still find it, and
            # the first to get here wins. Once recorded, the file is found in the database.
            self.claims: dict[bytes, str] = {}
            self.before_commit: list[Callable[[], None]] = []  # what must be durable first (the archive)
            self.adopted = self._recover()
        except BaseException:
            self.lock.release()
            raise

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        existed = path.exists() and path.stat().st_size > 0
        try:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode = WAL")
            # The state is looked up and appended to an article at a time: 256 KB of cached
            # pages hold what is in use, where SQLite's default 2 MB fills with pages a long
            # run has passed, and grows its memory by as much.
            db.execute("PRAGMA cache_size = -256")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at each checkpoint, never corrupt
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(f"{path} has schema version {version}; this naver-news knows up to "
                                 f"{SCHEMA_VERSION}: upgrade naver-news")
            for number in range(version, SCHEMA_VERSION):
                db.executescript(f"BEGIN; {MIGRATIONS[number]}; PRAGMA user_version = {number + 1}; COMMIT;")
        except sqlite3.DatabaseError as error:
            if not existed or isinstance(error, sqlite3.OperationalError):
                raise StateError(f"cannot write the state {path}: {error}") from None
            raise unreadable_state(path, error) from None
        return db

    def _recover(self) -> int:
        """Adopt the files a killed run wrote but did not record, and remove its temp files."""
        remove_stray_temp_files(self.path.parent)
        try:
            entries = dict(line.partition("\t")[::2] for line in self.journal_path.read_text(encoding="utf-8")
                           .splitlines() if line)
        except FileNotFoundError:
            return 0
        adopted = 0
        for relative, archived in entries.items():
            remove_stray_temp_files((self.out_dir / relative).parent)
            article = self.verified_file(relative)
            if article is not None:
                known = self.known(article.fields["id"])
                if not (known and known.content_hash == article.fields["content_hash"] and known.path == relative):
                    self.record_file({**article.fields, "archived": archived}, relative,
                                     when=article.fields.get("crawled_at"))
                    adopted += 1
        self.commit()
        return adopted

    # --- reading -------------------------------------------------------------------

    def known(self, article_id: str) -> Known | None:
        row = self.db.execute(
            "SELECT id, status, published_at, content_hash, revision, path, last_fetched, misses, alias_of, warc"
            " FROM articles WHERE id = ?", (article_id,)).fetchone()
        return Known(*row) if row else None

    def frontier(self, oid: str) -> int | None:
        """The highest aid of this office known to exist (ok or unsupported): where a walk goes on."""
        return _frontier(self.db, oid)

    def holders_of(self, content_hash: str, other_than: str) -> list[str]:
        """The paths of other articles' files that hold exactly this content."""
        return [row[0] for row in self.db.execute(
            "SELECT path FROM articles WHERE content_hash = ? AND id != ? AND alias_of IS NULL AND path IS NOT NULL",
            (content_hash, other_than))]

    def aliases_of(self, holder: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles WHERE alias_of = ?", (holder,))]

    def archived(self, ids: list[str], press: list[str], since: str, until: str) -> list[dict[str, str]]:
        """Articles (ok or failed) whose page is in the web archive (id, url, warc), optionally only these ids,
        offices, or publication days (`YYYY-MM-DD`, inclusive)."""
        sql, params = "SELECT id, url, warc FROM articles WHERE warc IS NOT NULL AND status IN ('ok', 'failed')", []
        for column, values in (("id", ids), ("oid", press)):
            if values:
                sql += f" AND {column} IN ({', '.join('?' * len(values))})"
                params += values
        if since:
            sql += " AND substr(published_at, 1, 10) >= ?"
            params.append(since)
        if until:
            sql += " AND substr(published_at, 1, 10) <= ?"
            params.append(until)
        return [dict(zip(("id", "url", "warc"), row)) for row in self.db.execute(sql + " ORDER BY id", params)]

    def file_is_whole(self, relative: str, content_hash: str) -> bool:
        """Whether the file at `relative` is whole and holds exactly this content."""
        try:
            with open(under(self.out_dir, relative), encoding="utf-8") as file:
                return is_whole(file.read(), content_hash)
        except (OSError, UnicodeDecodeError):
            return False

    def verified_file(self, relative: str, content_hash: str | None = None) -> ArticleFile | None:
        """The article file at `relative`, if it is whole: it reads as an article file, its body
        matches its own content_hash, and (if given) that is `content_hash`. None otherwise."""
        try:
            with open(under(self.out_dir, relative), encoding="utf-8") as file:
                article = read(file.read())
        except (OSError, UnicodeDecodeError, ArticleFileError):
            return None
        if not article.hash_ok or (content_hash and article.fields.get("content_hash") != content_hash):
            return None
        return article

    def is_due(self, article_id: str, now: datetime | None = None) -> bool:
        """Whether an article should be fetched: unknown, failed before, fresh and not checked
        lately, gone long enough ago (backing off per miss), or its file has disappeared."""
        known = self.known(article_id)
        last_fetched = korea_time(known.last_fetched) if known else None
        if known is None or known.status == FAILED or last_fetched is None:
            return True
        now = now or current_time()
        since_fetch = now - last_fetched
        if known.status == GONE:
            wait = min(self.policy.gone_retry * 2 ** max(known.misses - 1, 0), self.policy.gone_retry_max)
            return since_fetch >= wait
        if known.status != OK:
            return False  # unsupported: only a forced recrawl fetches it again
        if known.path and not os.path.exists(under(self.out_dir, known.path)):
            return True
        published = korea_time(known.published_at)
        fresh = published is not None and now - published < self.policy.refresh_window
        return fresh and since_fetch >= self.policy.recheck_interval

    # --- writing -------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...] | dict[str, Any]) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.db.execute(sql, params)
        self.pending += 1
        if self.pending >= self.commit_every or time.monotonic() - self.last_commit >= self.commit_seconds:
            self.commit()

    def commit(self) -> None:
        """Commit, then shorten the journal to the files still being written."""
        if self.db.in_transaction:
            for folder in self.unsynced_folders:
                sync_directory(folder)
            self.unsynced_folders.clear()
            for make_durable in self.before_commit:
                make_durable()
            self.db.execute("COMMIT")
        self.pending = 0
        self.last_commit = time.monotonic()
        if self.journal is not None:  # the journal is rewritten: appends go to the new file
            self.journal.close()
            self.journal = None
        if self.journal_path.exists() and (self.in_flight or self.journal_path.stat().st_size):
            write_atomically(self.journal_path, "".join(f"{path}\t{archived}\n"
                                                        for path, archived in sorted(self.in_flight.items())))

    def intend(self, path: str, archived: str = "") -> None:
        """A file is about to be written at `path` (read from the archived page `archived`):
        journaled first, so a kill cannot hide it."""
        self.in_flight[path] = archived
        if self.journal is None:
            self.journal = open(self.journal_path, "a", encoding="utf-8")  # noqa: SIM115 (closed at commit)
        self.journal.write(f"{path}\t{archived}\n")
        self.journal.flush()  # in the kernel's hands: a kill cannot lose it

    # One statement for every way an article comes to be held (written, aliased, reindexed):
    # a new row, or an update that keeps first_seen.
    _HOLD = ("INSERT INTO articles (id, oid, aid, url, status, published_at, modified_at, content_hash, revision,"
             " path, first_seen, last_fetched, last_changed, misses, detail, alias_of, warc)"
             " VALUES (:id, :oid, :aid, :url, 'ok', :published_at, :modified_at, :content_hash, :revision,"
             " :path, :when, :when, :when, 0, NULL, :alias_of, :warc)"
             " ON CONFLICT (id) DO UPDATE SET url = excluded.url, status = 'ok',"
             " published_at = excluded.published_at, modified_at = excluded.modified_at,"
             " content_hash = excluded.content_hash, revision = excluded.revision, path = excluded.path,"
             " last_fetched = excluded.last_fetched, last_changed = excluded.last_changed, misses = 0,"
             " detail = NULL, alias_of = excluded.alias_of, warc = coalesce(excluded.warc, articles.warc)")

    def _hold(self, article: Mapping[str, Any], revision: int, path: str | None, when: str,
              alias_of: str | None = None) -> None:
        self._write(self._HOLD, {
            "id": article["id"], "oid": article["oid"], "aid": article["aid"], "url": article["url"],
            "published_at": article.get("published_at"), "modified_at": article.get("modified_at") or None,
            "content_hash": article["content_hash"], "revision": revision, "path": path, "when": when,
            "alias_of": alias_of, "warc": article.get("archived") or None})

    def record_file(self, article: Mapping[str, Any], path: str, when: str | None = None) -> str:
        """An article's file is in place (its folder is synced, at the latest, by the commit):
        record it. Returns 'new', 'updated' (content changed: a new revision, the old hash kept
        in history) or 'restored' (same content, the file was missing or broken)."""
        now = when or timestamp()
        known = self.known(article["id"])
        previous = known.content_hash if known else None
        changed = bool(previous) and previous != article["content_hash"]
        if changed:
            self._write("INSERT OR REPLACE INTO history (id, revision, content_hash, replaced_at, warc)"
                        " VALUES (?, ?, ?, ?, ?)", (article["id"], known.revision, previous, now, known.warc))
        revision = known.revision + 1 if changed else max(known.revision, 1) if known else 1
        self._hold(article, revision, path, now)
        self.unsynced_folders.add(os.path.dirname(under(self.out_dir, path)))
        self.in_flight.pop(path, None)
        key = same_article(article)
        if self.claims.get(key) == article["id"]:
            del self.claims[key]  # from now on its twins find it here, by its content hash
        if known and known.path and known.path != path:
            with contextlib.suppress(FileNotFoundError):  # the article moved (its date changed)
                os.unlink(under(self.out_dir, known.path))
        return "new" if not previous else "updated" if changed else "restored"

    def claim(self, key: bytes, article_id: str) -> None:
        """An article (its `same_article` digest) is passed on for writing; the first claim holds."""
        self.claims.setdefault(key, article_id)

    def claimant(self, key: bytes, article_id: str) -> str | None:
        """Another id being written in this run that is the same article, if any."""
        holder = self.claims.get(key, article_id)
        return holder if holder != article_id else None

    def record_unchanged(self, article_id: str) -> None:
        self._write("UPDATE articles SET last_fetched = ?, status = 'ok', misses = 0, detail = NULL"
                    " WHERE id = ?", (timestamp(), article_id))

    def record_alias(self, article: Mapping[str, Any], holder: str) -> None:
        """The same article as `holder`'s file: remember the id, write no second file."""
        self._hold(article, 1, None, timestamp(), alias_of=holder)

    def forget_fetch(self, article_id: str) -> None:
        """Make an article due again (its file could not be trusted or kept)."""
        self._write("UPDATE articles SET last_fetched = NULL, alias_of = NULL WHERE id = ?", (article_id,))

    def record_unavailable(self, article_id: str, oid: str, aid: str, url: str, status: str, detail: str,
                           archived: str = "") -> None:
        """A gone, unsupported or failed answer. A known file stays; its row keeps its hash.
        A failed page's archived copy is kept, for a reparse with better rules."""
        now = timestamp()
        self._write(
            "INSERT INTO articles (id, oid, aid, url, status, first_seen, last_fetched, misses, detail, warc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status, last_fetched = excluded.last_fetched,"
            " misses = CASE WHEN excluded.status = 'gone' THEN articles.misses + 1 ELSE articles.misses END,"
            " detail = excluded.detail, warc = CASE WHEN articles.path IS NULL"
            " THEN coalesce(excluded.warc, articles.warc) ELSE articles.warc END",
            (article_id, oid, aid, url, status, now, now, 1 if status == GONE else 0, detail or None,
             archived or None))

    def record_indexed(self, fields: dict[str, str], path: str) -> None:
        """An article file found by `reindex`: trusted as of its own crawled_at."""
        known = self.known(fields["id"])
        self._hold(fields, known.revision if known and known.revision else 1, path,
                   fields.get("crawled_at") or timestamp())

    def start_run(self, arguments: Any, job: str | None = None) -> int:
        self.commit()
        cursor = self.db.execute("INSERT INTO runs (started_at, arguments, job) VALUES (?, ?, ?)",
                                 (timestamp(), json.dumps(arguments, ensure_ascii=False), job))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, Any], reason: str) -> None:
        self.commit()
        self.db.execute("UPDATE runs SET ended_at = ?, counts = ?, finish_reason = ? WHERE run_id = ?",
                        (timestamp(), json.dumps(counts), reason, run_id))

    def close(self) -> None:
        """Commit and let go of the folder; the lock is released even if the commit fails."""
        self.closed = True
        try:
            self.commit()
        finally:
            try:
                self.db.close()
                if self.journal is not None:  # the commit failed before it closed it
                    self.journal.close()
            finally:
                self.lock.release()


# The settings of the Policy, each a duration (`6h`).
DURATION_SETTINGS = ("REFRESH_WINDOW", "RECHECK_INTERVAL", "GONE_RETRY_INTERVAL", "GONE_RETRY_MAX")


def policy_from_settings(settings: BaseSettings) -> Policy:
    """The policy the settings name; ValueError names a bad setting and its value."""
    def duration(name: str) -> timedelta:
        try:
            return parse_duration(settings.get(name))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None

    return Policy(refresh_window=duration("REFRESH_WINDOW"), recheck_interval=duration("RECHECK_INTERVAL"),
                  gone_retry=duration("GONE_RETRY_INTERVAL"), gone_retry_max=duration("GONE_RETRY_MAX"))


# A write that fails for one of these fails every write after it.
STORAGE_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def stop_crawl(crawler: Crawler, message: str, reason: str) -> None:
    """End the crawl for what `message` says (the first such message is the run's error)."""
    stats = crawler.stats
    if not stats.get_value("run/error"):
        stats.set_value("run/error", message)
        if crawler.engine and crawler.engine.spider:
            deferred_from_coro(crawler.engine.close_spider_async(reason=reason))


class StateExtension:
    """Opens the output folder's state (and its lock) for a crawl, commits it every
    STATE_COMMIT_SECONDS, records the run, closes it.

    The known-articles middleware and the pipelines reach the one ArticleState through
    `crawler.get_extension(StateExtension).state`. A state that cannot be written (a full
    disk) stops the crawl: `run/error` in the stats says why, and the run is not `done`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.state = ArticleState(settings["OUTPUT_DIR"], policy_from_settings(settings),
                                  settings.getint("STATE_COMMIT_EVERY"), settings.getfloat("STATE_COMMIT_SECONDS"))
        if self.state.adopted:
            logger.info("adopted %d article files a killed run wrote but did not record", self.state.adopted)
        self.run_id = 0
        self.committer: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.run_id = self.guarded(self.state.start_run, {"spider": spider.name, "argv": sys.argv[1:]},
                                   self.crawler.settings.get("NAVER_NEWS_JOB") or None) or 0
        self.committer = task.LoopingCall(self.guarded, self.state.commit)
        self.committer.start(self.state.commit_seconds, now=False)

    def guarded(self, write: Any, *args: Any) -> Any:
        """Run a state write; if the state cannot be written, say so once and stop the crawl."""
        try:
            return write(*args)
        except (sqlite3.Error, OSError) as error:  # the database, or the journal beside it
            self.storage_failed(f"the state {self.state.path} could not be written: {error}")
            return None

    def storage_failed(self, message: str) -> None:
        """Nothing more can be kept (a full disk): fetching on would only waste Naver's answers."""
        stop_crawl(self.crawler, message, "storage_error")

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        """A pipeline raised something unforeseen: the article is failed, and retried next run."""
        if isinstance(item, (Article, UnavailableArticle)):
            self.not_kept(item, failure.value)

    def not_kept(self, item: Article | UnavailableArticle, error: BaseException) -> DropItem:
        """An article whose file or record could not be written: failed, and retried next run;
        a full disk or an unwritable state also stops the crawl. Returns the DropItem to raise."""
        detail = f"{type(error).__name__}: {error}"
        report_outcome(self.crawler, item["id"], FAILED, detail)
        if isinstance(error, sqlite3.Error):
            self.storage_failed(f"the state {self.state.path} could not be written: {error}")
        else:
            if isinstance(error, OSError) and error.errno in STORAGE_FULL:
                self.storage_failed(f"cannot write {error.filename or 'an article file'}: {error.strerror}")
            self.guarded(self.state.record_unavailable, item["id"], item["oid"], item["aid"], item["url"],
                         FAILED, detail)
        return DropItem(f"failed: {item['id']}: {detail}", log_level="DEBUG")

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.committer and self.committer.running:
            self.committer.stop()
        stats = self.crawler.stats.get_stats()
        counts: dict[str, Any] = {name: stats.get(f"articles/{name}", 0) for name in ("requested",) + OUTCOMES}
        counts.update(article_pages=stats.get("health/article_pages", 0),
                      failed_pages=stats.get("health/failed_pages", 0), health=stats.get("health/report", []))
        self.guarded(self.state.finish_run, self.run_id, counts, reason)
        self.guarded(self.state.close)


# What makes two ids the same article, so that one file may stand for both: everything their
# files say but the ids and the crawl time. Same text under another title or byline is not.
SAME_ARTICLE_FIELDS = ("content_hash", "title", "publisher", "author", "category", "published_at")


def same_article(fields: Mapping[str, Any]) -> bytes:
    """A digest of those fields: the state keeps one per article being written (`claims`),
    20 bytes, not the title and byline."""
    joined = "\0".join(str(fields.get(name) or "") for name in SAME_ARTICLE_FIELDS)
    return hashlib.sha1(joined.encode("utf-8")).digest()


class StatePipeline:
    """Edit detection and dedup: unchanged articles whose file is whole, and articles another
    file already holds, go no further; gone/unsupported/failed answers are recorded here."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.extension = crawler.get_extension(StateExtension)
        self.state = self.extension.state
        self.keep_duplicates = crawler.settings.getbool("KEEP_DUPLICATES")
        # A reparse fetches nothing: it must not make an article look freshly checked.
        self.reparse = crawler.settings.getbool("NAVER_NEWS_REPARSE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        return cls(crawler)

    def process_item(self, item: Article | UnavailableArticle) -> Article:
        try:
            return self.judge(item)
        except sqlite3.Error as error:
            raise self.extension.not_kept(item, error) from None

    def judge(self, item: Article | UnavailableArticle) -> Article:
        article_id = item["id"]
        if isinstance(item, UnavailableArticle):
            self.state.record_unavailable(article_id, item["oid"], item["aid"], item["url"], item["status"],
                                          item.get("detail", ""), item.get("archived", ""))
            return self._stop(item["status"], article_id, item.get("detail", ""))
        known = self.state.known(article_id)
        if known and known.content_hash == item["content_hash"] and (
                known.alias_of or (known.path and self.state.file_is_whole(known.path, known.content_hash))):
            if not self.reparse:
                self.state.record_unchanged(article_id)
            return self._stop("unchanged", article_id, known.path or f"same article as {known.alias_of}")
        # Else new, edited, or its file is missing or broken: it is written (again).
        key = same_article(item)
        if not (known and known.content_hash) and not self.keep_duplicates:
            holder = self.holder(item, key)
            if holder:
                self.state.record_alias(item, holder)
                return self._stop("duplicate", article_id, f"same article as {holder}")
        self.state.claim(key, article_id)
        return item

    def holder(self, item: Article, key: bytes) -> str | None:
        """Another id whose file holds this same article (`key`, its digest), if any."""
        claimant = self.state.claimant(key, item["id"])
        if claimant:
            return claimant
        for path in self.state.holders_of(item["content_hash"], item["id"]):
            article = self.state.verified_file(path, item["content_hash"])
            if article is not None and same_article(article.fields) == key:
                return article.fields["id"]
        return None

    def _stop(self, outcome: str, article_id: str, detail: str) -> None:
        report_outcome(self.crawler, article_id, outcome, detail)
        raise DropItem(f"{outcome}: {article_id}", log_level="DEBUG")
