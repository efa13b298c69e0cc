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
              whose file already holds this same content)
    history   each content hash an article had before an edit, with when it was replaced
    runs      one row per spider run: start, end, arguments, counts, finish reason, and
              the job (of the job file) it ran for, if any
"""
from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from crawler.dates import KST, timestamp
from crawler.dates import now as current_time
from crawler.durations import parse_duration
from crawler.extract import FAILED, GONE, OK
from crawler.items import Article, UnavailableArticle
from crawler.outcome import OUTCOMES, report_outcome
from pipelines.folder import FolderLock, state_dir

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


def _parse_time(value: str) -> datetime:
    """`YYYY-MM-DD HH:MM[:SS]` in Korea time."""
    return datetime.fromisoformat(value).replace(tzinfo=KST)


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
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return query(db)
    except sqlite3.OperationalError:  # an empty file, or one from before a migration
        return default
    finally:
        db.close()


def read_frontier(out_dir: str | Path, oid: str) -> int | None:
    """The frontier of an office (see ArticleState.frontier), read from outside a run."""
    return _read(out_dir, lambda db: _frontier(db, oid))


def read_last_start(out_dir: str | Path, job: str) -> datetime | None:
    """When a job last started a run in this folder (KST), or None."""
    row = _read(out_dir, lambda db: db.execute("SELECT max(started_at) FROM runs WHERE job = ?", (job,)).fetchone())
    return _parse_time(row[0]) if row and row[0] else None


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
    `commit_every` changes, committed at the latest when the state is closed."""

    def __init__(self, out_dir: str | Path, policy: Policy = Policy(), commit_every: int = 200) -> None:
        self.out_dir = Path(out_dir)
        self.policy = policy
        self.commit_every = commit_every
        self.lock = FolderLock(out_dir)
        self.lock.acquire()
        try:
            self.db = self._connect(state_dir(out_dir) / "state.sqlite")
        except BaseException:
            self.lock.release()
            raise
        self.pending = 0

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at each checkpoint, never corrupt
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{path} has schema version {version}; this naver-news knows up to "
                               f"{SCHEMA_VERSION}: upgrade naver-news")
        for number in range(version, SCHEMA_VERSION):
            db.executescript(f"BEGIN; {MIGRATIONS[number]}; PRAGMA user_version = {number + 1}; COMMIT;")
        return db

    # --- reading -------------------------------------------------------------------

    def known(self, article_id: str) -> Known | None:
        row = self.db.execute(
            "SELECT id, status, published_at, content_hash, revision, path, last_fetched, misses, alias_of"
            " FROM articles WHERE id = ?", (article_id,)).fetchone()
        return Known(*row) if row else None

    def frontier(self, oid: str) -> int | None:
        """The highest aid of this office known to exist (ok or unsupported): where a walk goes on."""
        return _frontier(self.db, oid)

    def holder_of(self, content_hash: str, other_than: str) -> str | None:
        """The id of another article whose file holds exactly this content, if any."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ? AND id != ? AND alias_of IS NULL AND path IS NOT NULL"
            " LIMIT 1", (content_hash, other_than)).fetchone()
        return row[0] if row else None

    def is_due(self, article_id: str, now: datetime | None = None) -> bool:
        """Whether an article should be fetched: unknown, failed before, fresh and not checked
        lately, gone long enough ago (backing off per miss), or its file has disappeared."""
        known = self.known(article_id)
        if known is None or known.status == FAILED or not known.last_fetched:
            return True
        now = now or current_time()
        since_fetch = now - _parse_time(known.last_fetched)
        if known.status == GONE:
            wait = min(self.policy.gone_retry * 2 ** max(known.misses - 1, 0), self.policy.gone_retry_max)
            return since_fetch >= wait
        if known.status != OK:
            return False  # unsupported: only a forced recrawl fetches it again
        if known.path and not (self.out_dir / known.path).exists():
            return True
        fresh = known.published_at and now - _parse_time(known.published_at) < self.policy.refresh_window
        return bool(fresh) and since_fetch >= self.policy.recheck_interval

    # --- writing -------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...] | dict[str, Any]) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.db.execute(sql, params)
        self.pending += 1
        if self.pending >= self.commit_every:
            self.commit()

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.pending = 0

    # One statement for every way an article comes to be held (written, aliased, reindexed):
    # a new row, or an update that keeps first_seen.
    _HOLD = ("INSERT INTO articles (id, oid, aid, url, status, published_at, modified_at, content_hash, revision,"
             " path, first_seen, last_fetched, last_changed, misses, detail, alias_of)"
             " VALUES (:id, :oid, :aid, :url, 'ok', :published_at, :modified_at, :content_hash, :revision,"
             " :path, :when, :when, :when, 0, NULL, :alias_of)"
             " ON CONFLICT (id) DO UPDATE SET url = excluded.url, status = 'ok',"
             " published_at = excluded.published_at, modified_at = excluded.modified_at,"
             " content_hash = excluded.content_hash, revision = excluded.revision, path = excluded.path,"
             " last_fetched = excluded.last_fetched, last_changed = excluded.last_changed, misses = 0,"
             " detail = NULL, alias_of = excluded.alias_of")

    def _hold(self, article: dict, revision: int, path: str | None, when: str, alias_of: str | None = None) -> None:
        self._write(self._HOLD, {
            "id": article["id"], "oid": article["oid"], "aid": article["aid"], "url": article["url"],
            "published_at": article.get("published_at"), "modified_at": article.get("modified_at") or None,
            "content_hash": article["content_hash"], "revision": revision, "path": path, "when": when,
            "alias_of": alias_of})

    def record_file(self, article: dict, path: str) -> str:
        """An article's file is in place: record it. Returns 'new', 'updated' (content changed:
        a new revision, the old hash kept in history) or 'restored' (same content, file was missing)."""
        now = timestamp()
        known = self.known(article["id"])
        previous = known.content_hash if known else None
        changed = bool(previous) and previous != article["content_hash"]
        if changed:
            self._write("INSERT OR REPLACE INTO history (id, revision, content_hash, replaced_at)"
                        " VALUES (?, ?, ?, ?)", (article["id"], known.revision, previous, now))
        revision = known.revision + 1 if changed else max(known.revision, 1) if known else 1
        self._hold(article, revision, path, now)
        if known and known.path and known.path != path:
            (self.out_dir / known.path).unlink(missing_ok=True)  # the article moved (its date changed)
        return "new" if not previous else "updated" if changed else "restored"

    def record_unchanged(self, article_id: str) -> None:
        self._write("UPDATE articles SET last_fetched = ?, status = 'ok', misses = 0, detail = NULL"
                    " WHERE id = ?", (timestamp(), article_id))

    def record_alias(self, article: dict, holder: str) -> None:
        """Same content as `holder`'s file: remember the id, write no second file."""
        self._hold(article, 1, None, timestamp(), alias_of=holder)

    def record_unavailable(self, article_id: str, oid: str, aid: str, url: str, status: str, detail: str) -> None:
        """A gone, unsupported or failed answer. A known file stays; its row keeps its hash."""
        now = timestamp()
        self._write(
            "INSERT INTO articles (id, oid, aid, url, status, first_seen, last_fetched, misses, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status, last_fetched = excluded.last_fetched,"
            " misses = CASE WHEN excluded.status = 'gone' THEN articles.misses + 1 ELSE articles.misses END,"
            " detail = excluded.detail",
            (article_id, oid, aid, url, status, now, now, 1 if status == GONE else 0, detail or None))

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
        try:
            self.commit()
            self.db.close()
        finally:
            self.lock.release()


def policy_from_settings(settings: BaseSettings) -> Policy:
    """The policy the settings name; ValueError names a bad setting and its value."""
    def duration(name: str) -> timedelta:
        try:
            return parse_duration(settings.get(name))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None

    return Policy(refresh_window=duration("REFRESH_WINDOW"), recheck_interval=duration("RECHECK_INTERVAL"),
                  gone_retry=duration("GONE_RETRY_INTERVAL"), gone_retry_max=duration("GONE_RETRY_MAX"))


class StateExtension:
    """Opens the output folder's state (and its lock) for a crawl, records the run, closes it.

    The known-articles middleware and the pipelines reach the one ArticleState through
    `crawler.get_extension(StateExtension).state`.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state = ArticleState(crawler.settings["OUTPUT_DIR"], policy_from_settings(crawler.settings),
                                  crawler.settings.getint("STATE_COMMIT_EVERY"))
        self.run_id = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.run_id = self.state.start_run({"spider": spider.name, "argv": sys.argv[1:]},
                                           self.crawler.settings.get("NAVER_NEWS_JOB") or None)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        """A pipeline raised (a full disk, say): the article is failed, and retried next run."""
        detail = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.state.record_unavailable(item["id"], item["oid"], item["aid"], item["url"], FAILED, detail)
        report_outcome(self.crawler, item["id"], FAILED, detail)

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        counts: dict[str, Any] = {name: stats.get(f"articles/{name}", 0) for name in ("requested",) + OUTCOMES}
        counts.update(article_pages=stats.get("health/article_pages", 0),
                      failed_pages=stats.get("health/failed_pages", 0), health=stats.get("health/report", []))
        try:
            self.state.finish_run(self.run_id, counts, reason)
        finally:
            self.state.close()


class StatePipeline:
    """Edit detection and dedup: unchanged content and content another file already holds
    go no further; gone/unsupported/failed answers are recorded here."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state = crawler.get_extension(StateExtension).state
        self.keep_duplicates = crawler.settings.getbool("KEEP_DUPLICATES")
        # Content passed on for writing in this run, by hash: its file may not be recorded
        # yet when a twin arrives, and the first to get here must win every time.
        self.claimed: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        return cls(crawler)

    def process_item(self, item: Article | UnavailableArticle) -> Article:
        article_id = item["id"]
        if isinstance(item, UnavailableArticle):
            self.state.record_unavailable(article_id, item["oid"], item["aid"], item["url"], item["status"],
                                          item.get("detail", ""))
            return self._stop(item["status"], article_id, item.get("detail", ""))
        known = self.state.known(article_id)
        if known and known.content_hash == item["content_hash"] and (
                known.alias_of or (known.path and (self.state.out_dir / known.path).exists())):
            self.state.record_unchanged(article_id)
            return self._stop("unchanged", article_id, known.path or f"same content as {known.alias_of}")
        if not (known and known.content_hash) and not self.keep_duplicates:
            claimed = self.claimed.get(item["content_hash"], article_id)
            holder = claimed if claimed != article_id else self.state.holder_of(item["content_hash"], article_id)
            if holder:
                self.state.record_alias(item, holder)
                return self._stop("duplicate", article_id, f"same content as {holder}")
        self.claimed.setdefault(item["content_hash"], article_id)
        return item

    def _stop(self, outcome: str, article_id: str, detail: str) -> None:
        report_outcome(self.crawler, article_id, outcome, detail)
        raise DropItem(f"{outcome}: {article_id}", log_level="DEBUG")
