"""What one run crawls, from the command line or a job file, planned into spider jobs.

Every value is checked here, before anything is fetched: a bad one raises ValueError
naming it. The plan is one spider per kind of source (article, press, section,
sequence), run in turn by `crawler.running.runner`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from crawler.reading.list_pages import parse_section
from crawler.sources.ids import parse_article_ref, parse_oid
from crawler.spiders.api_lists import parse_sport
from crawler.spiders.day_list import crawl_days
from crawler.spiders.sequence import no_frontier_message, parse_aid, parse_max_misses
from pipelines.state import read_frontier


@dataclass
class Job:
    """One spider run: its name and its arguments (what `scrapy crawl NAME -a …` takes)."""

    spider: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Targets:
    ids: list[str] = field(default_factory=list)       # ids or URLs, any form
    urls: list[str] = field(default_factory=list)
    press: list[str] = field(default_factory=list)     # office numbers
    sections: list[str] = field(default_factory=list)  # 105 or 105/230
    follow: list[str] = field(default_factory=list)    # office numbers to walk
    entertain: bool = False                             # the entertainment day lists
    sports: list[str] = field(default_factory=list)    # sports whose day lists to crawl (kbaseball, …)
    date: str = ""
    to: str = ""
    since: str = ""
    yes: bool = False
    start_aid: str = ""
    max_misses: str = ""
    force: bool = False  # fetch the ids and URLs whatever the state says (recrawl)
    # Jobs (unlike a command line) name a start aid only for a folder that knows no article of the office yet.
    start_aid_if_unknown: bool = False

    def __bool__(self) -> bool:
        return bool(self.ids or self.urls or self.press or self.sections or self.follow or self.entertain
                    or self.sports)


def plan(targets: Targets, settings: BaseSettings) -> list[Job]:
    """The spider jobs for these targets; ValueError (or InvalidArticleId) names a bad value."""
    jobs = []
    for value in targets.ids + targets.urls:
        parse_article_ref(value)
    if targets.ids or targets.urls:
        jobs.append(Job("article", {"ids": targets.ids, "urls": targets.urls, "force": targets.force}))
    if targets.press or targets.sections or targets.entertain or targets.sports:
        days = crawl_days(targets.date, targets.to, targets.since, targets.yes,
                          limit=settings.getint("MAX_DATE_RANGE_DAYS"))
        if targets.entertain:
            jobs.append(Job("entertain", {"date": days}))
        if targets.sports:
            jobs.append(Job("sports", {"sports": [parse_sport(sport) for sport in targets.sports], "date": days}))
        if targets.press:
            jobs.append(Job("press", {"oids": [parse_oid(oid) for oid in targets.press], "date": days}))
        if targets.sections:
            for section in targets.sections:
                parse_section(section)
            jobs.append(Job("section", {"sections": targets.sections, "date": days}))
    elif targets.date or targets.to or targets.since:
        raise ValueError("a date (--date, --to, --since) goes with press, section, entertainment or sports lists")
    if targets.start_aid and len(targets.follow) != 1:
        raise ValueError("a start aid (--start-aid) goes with exactly one office to follow")
    start_aid = str(parse_aid(targets.start_aid)) if targets.start_aid else ""
    max_misses = parse_max_misses(targets.max_misses) if targets.max_misses else ""
    for oid in map(parse_oid, targets.follow):
        frontier = read_frontier(Path(settings["OUTPUT_DIR"]), oid)
        if frontier is None and not start_aid:
            raise ValueError(no_frontier_message(oid))
        start = "" if frontier is not None and targets.start_aid_if_unknown else start_aid
        jobs.append(Job("sequence", {"oid": oid, "start_aid": start, "max_misses": max_misses}))
    if not jobs:
        raise ValueError("nothing to crawl: give ids, URLs, presses, sections, entertainment or sports lists, "
                         "or offices to follow")
    return jobs
