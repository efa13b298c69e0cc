"""Archive import: rebuild a folder's state from the Markdown files in it.

A lost state database is recoverable, and an archive made by an older tool (like the
seed file: unquoted ids, multi-line author) is adopted instead of re-downloaded. A file
is trusted only when its content_hash matches its body; others are reported, and
their articles stay unknown, so the next crawl fetches them again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crawler.sources.dates import now
from crawler.sources.ids import InvalidArticleId, article_id
from pipelines.article_file import ArticleFileError, read
from pipelines.folder import FolderLock, markdown_files, state_dir
from pipelines.state import ArticleState, CorruptState


@dataclass
class ReindexReport:
    moved_aside: str = ""  # where an unreadable state file was put before the rebuild
    indexed: int = 0
    other_files: int = 0  # Markdown files that are not article files (a README, notes)
    problems: list[str] = field(default_factory=list)  # "path: why", for files not trusted


def open_or_replace(out_dir: Path, report: ReindexReport) -> ArticleState:
    """The folder's state; one that is no database any more is moved aside (kept, not
    deleted) and a new one started, which the files then fill."""
    try:
        return ArticleState(out_dir)
    except CorruptState:
        with FolderLock(out_dir):
            broken = state_dir(out_dir) / "state.sqlite"
            aside = broken.with_name(f"state.sqlite.unreadable-{now():%Y%m%d-%H%M%S}")
            for suffix in ("-wal", "-shm"):
                broken.with_name(broken.name + suffix).unlink(missing_ok=True)
            broken.rename(aside)
            report.moved_aside = str(aside)
            return ArticleState(out_dir)


def reindex(out_dir: Path) -> ReindexReport:
    report = ReindexReport()
    state = open_or_replace(out_dir, report)
    seen: dict[str, str] = {}
    try:
        for path in markdown_files(out_dir):
            relative = path.relative_to(out_dir).as_posix()
            text = path.read_text(encoding="utf-8", errors="replace")
            if not text.startswith("---"):
                report.other_files += 1
                continue
            try:
                article = read(text)
                fields = article.fields
                canonical = article_id(fields.get("oid", ""), fields.get("aid", ""), value=fields.get("id"))
            except (ArticleFileError, InvalidArticleId) as error:
                report.problems.append(f"{relative}: {error}")
                continue
            if fields.get("id") != canonical.key:
                report.problems.append(f"{relative}: id {fields.get('id')!r} does not match oid/aid")
            elif not article.hash_ok:
                report.problems.append(f"{relative}: content_hash does not match the body")
                if state.known(canonical.key):
                    state.forget_fetch(canonical.key)  # so the next crawl fetches it and writes it whole
            elif canonical.key in seen:
                report.problems.append(f"{relative}: {canonical.key} is already in {seen[canonical.key]}")
            else:
                seen[canonical.key] = relative
                state.record_indexed({**fields, "url": canonical.url}, relative)
                report.indexed += 1
    finally:
        state.close()
    return report
