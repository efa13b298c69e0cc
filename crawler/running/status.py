"""`naver-news status`: what a folder holds and how its runs went, and when each job is due."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from crawler.archive.warc_files import archive_size
from crawler.running.jobs import JobSpec
from crawler.running.summary import format_summary
from crawler.sources.dates import now
from pipelines.state import read_article_counts, read_runs


def _duration(started: str, ended: str | None) -> str:
    if not ended:
        return "running or killed"
    seconds = (datetime.fromisoformat(ended) - datetime.fromisoformat(started)).total_seconds()
    return f"{seconds:.0f}s" if seconds < 120 else f"{seconds / 60:.0f}m"


def folder_status(out_dir: str | Path, job: str | None = None) -> list[str]:
    """Raises StateError for a folder whose state cannot be read."""
    counts = read_article_counts(out_dir)
    lines = ["  articles: " + (", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
                               or "none yet")]
    files, size = archive_size(out_dir)
    if files:
        lines.append(f"  web archive: {files} WARC file{'s' if files > 1 else ''}, {size / 1e6:.1f} MB")
    runs = read_runs(out_dir, job)
    lines.append("  last runs:" if runs else "  no runs yet")
    for run in runs:
        stats = {f"articles/{name}": value for name, value in run.counts.items()}
        summary = format_summary(stats, "").removesuffix(" → ")
        lines.append(f"    {run.started_at}  {_duration(run.started_at, run.ended_at):>8}  "
                     f"{run.finish_reason or '?'}  {run.spider}: {summary}")
        if run.counts.get("article_pages"):
            lines.append(f"      extraction: {run.counts['failed_pages']} of {run.counts['article_pages']} "
                         "article pages failed")
        lines.extend(f"      ! {line}" for line in run.counts.get("health", []))
    return lines


def job_status(job: JobSpec, next_due: datetime) -> list[str]:
    wait = (next_due - now()).total_seconds()
    due = "due now" if wait <= 0 else f"next due {next_due:%Y-%m-%d %H:%M:%S} (in {wait / 60:.0f}m)" \
        if wait >= 60 else f"next due {next_due:%Y-%m-%d %H:%M:%S} (in {wait:.0f}s)"
    return [f"job {job.name} → {job.out} (schedule {job.schedule.text}; {due})", *folder_status(job.out, job.name)]
