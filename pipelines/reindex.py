"""Archive import: rebuild a folder's state from the Markdown files in it.

A lost state database is recoverable, and an archive made by an older tool (like the
seed file: unquoted ids, multi-line author) is adopted instead of re-downloaded. A file
is trusted only when its content_hash matches its body; others are reported, and
their articles stay unknown, so the next crawl fetches them again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crawler.ids import InvalidArticleId, article_id
from pipelines.article_file import ArticleFileError, read
from pipelines.folder import markdown_files
from pipelines.state import ArticleState


@dataclass
class ReindexReport:
    indexed: int = 0
    other_files: int = 0  # Markdown files that are not article files (a README, notes)
    problems: list[str] = field(default_factory=list)  # "path: why", for files not trusted


def reindex(out_dir: Path) -> ReindexReport:
    report = ReindexReport()
    state = ArticleState(out_dir)
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
            elif canonical.key in seen:
                report.problems.append(f"{relative}: {canonical.key} is already in {seen[canonical.key]}")
            else:
                seen[canonical.key] = relative
                state.record_indexed({**fields, "url": canonical.url}, relative)
                report.indexed += 1
    finally:
        state.close()
    return report
