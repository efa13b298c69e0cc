"""`naver-news schedule`: run each job of the job file when it is due, in one process.

A job is due when its schedule says so after its last start (recorded in its folder's
state, so `--once` from cron and a long-running scheduler agree), or at once if it never
ran. Jobs run one at a time; a job whose folder another process is writing to is
skipped until its next check. A failed run is logged and retried at the next slot.
SIGTERM or Ctrl-C stops the running crawl gracefully (Scrapy's shutdown) and exits.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

from scrapy.settings import Settings

from crawler.running.jobs import JobSpec
from crawler.running.runner import CrawlSession
from crawler.running.summary import format_summary
from crawler.sources.dates import now
from crawler.sources.targets import plan
from pipelines.folder import FolderBusy, FolderLock
from pipelines.state import StateError, read_last_start, record_failed_run

logger = logging.getLogger(__name__)
# The longest nap between checks: a job file's schedule is re-read from the state this often.
MAX_NAP = 60.0

Report = Callable[[str], None]


def next_due(job: JobSpec, at: datetime, attempted: datetime | None = None) -> datetime:
    """When a job is due, from its last start in its folder's state (or a later attempt
    that never got that far)."""
    try:
        last_start = read_last_start(job.out, job.name)
    except StateError:  # the job's own run will say what is wrong with its folder
        last_start = None
    starts = [start for start in (last_start, attempted) if start]
    return job.schedule.next_due(max(starts) if starts else None, at)


class Scheduler:
    def __init__(self, jobs: dict[str, JobSpec], settings: Settings, session: CrawlSession, report: Report,
                 on_outcome: Any = None) -> None:
        self.jobs = jobs
        self.settings = settings
        self.session = session
        self.report = report
        self.on_outcome = on_outcome
        self.attempted: dict[str, datetime] = {}  # a start that may not have reached the state
        self.stopped = False

    def job_settings(self, job: JobSpec) -> dict[str, Any]:
        return {**job.settings, "OUTPUT_DIR": job.out, "NAVER_NEWS_JOB": job.name}

    def next_due(self, job: JobSpec, at: datetime) -> datetime:
        return next_due(job, at, self.attempted.get(job.name))

    async def run_job(self, job: JobSpec) -> str:
        """Run one job now; returns how it ended: finished, shutdown, skipped, failed, …"""
        started = now()
        self.attempted[job.name] = started
        settings = self.settings.copy()
        settings.update(self.job_settings(job), priority="cmdline")
        try:
            with FolderLock(job.out):
                self.report(f"job {job.name}: running ({job.schedule.text}) → {job.out}")
                result = await self.session.crawl(plan(job.targets, settings), self.job_settings(job),
                                                  self.on_outcome)
        except FolderBusy as error:
            self.report(f"job {job.name}: skipped: {error}")
            return "skipped"
        except Exception as error:  # a failed run must not end the scheduler: logged, retried next slot
            logger.debug("job %s failed", job.name, exc_info=True)
            self.report(f"job {job.name}: failed: {error}")
            with suppress(Exception):  # a folder that cannot take the record is reported above
                record_failed_run(job.out, job.name, f"failed: {error}")
            return "failed"
        seconds = (now() - started).total_seconds()
        self.report(f"job {job.name}: {result.finish_reason} in {seconds:.0f}s: {format_summary(result.stats, job.out)}")
        for line in result.health:
            self.report(f"job {job.name}: {line}")
        if result.finish_reason == "shutdown":
            self.stopped = True
        return "unhealthy" if result.health and result.finish_reason == "finished" else result.finish_reason

    async def loop(self, once: bool) -> list[str]:
        """Run what is due; with `once`, then return; else forever. Returns how the runs ended."""
        endings: list[str] = []
        while not self.stopped:
            moment = now()
            for job in sorted(self.jobs.values(), key=lambda job: self.next_due(job, moment)):
                if self.next_due(job, now()) <= now() and not self.stopped:
                    endings.append(await self.run_job(job))
            if once or self.stopped:
                return endings
            soonest = min(self.next_due(job, now()) for job in self.jobs.values())
            await asyncio.sleep(min(max((soonest - now()).total_seconds(), 0.2), MAX_NAP))
        return endings
