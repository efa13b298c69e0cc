"""The job file and cron expressions, on their own."""
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crawler.running.cron import Cron, CronError
from crawler.running.jobs import JobFileError, load_jobs
from tests.conftest import REPO

GOOD = """\
offices:
  "999": 새 언론사
jobs:
  lists:
    schedule: 30m
    out: archive/lists
    press: ["648", 999]
    sections: [105, 101/258]
    settings:
      DOWNLOAD_DELAY: 1.5
      USER_AGENT: test
  walk:
    schedule: "*/15 6-23 * * mon-fri"
    out: /abs/walk
    follow: "081"
    start_aid: 7000
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "naver-news.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file(tmp_path):
    jobs = load_jobs(write(tmp_path, GOOD))
    lists, walk = jobs["lists"], jobs["walk"]
    assert lists.schedule.interval == timedelta(minutes=30) and walk.schedule.cron is not None
    assert lists.out == str(tmp_path / "archive/lists") and walk.out == "/abs/walk"
    assert lists.targets.press == ["648", "999"] and lists.targets.sections == ["105", "101/258"]
    assert lists.targets.since == "2d" and walk.targets.since == ""
    assert lists.settings == {"DOWNLOAD_DELAY": 1.5, "USER_AGENT": "test"}
    assert walk.targets.follow == ["081"] and walk.targets.start_aid == "7000"


def test_the_shipped_example_loads():
    jobs = load_jobs(REPO / "naver-news.example.yaml")
    assert len(jobs) == 5
    assert jobs["entertainment-and-sports"].targets.entertain
    assert jobs["entertainment-and-sports"].targets.sports == ["kbaseball", "wfootball"]


@pytest.mark.parametrize("change, line, job, key, problem", [
    (("    press:", "    presss:"), 7, "lists", "presss", "unknown key"),
    (("schedule: 30m", "schedule: 30x"), 5, "lists", "schedule", "invalid duration '30x'"),
    (("schedule: 30m", "schedule: 0s"), 5, "lists", "schedule", "longer than zero"),
    (("*/15 6-23", "*/15 6-24"), 13, "walk", "schedule", "bad hour field '6-24'"),
    (("* * mon-fri", "* * mon-fry"), 13, "walk", "schedule", "bad day of week field value 'fry'"),
    (("*/15 6-23 * * mon-fri", "*/15 6-23 * *"), 13, "walk", "schedule", "invalid schedule"),
    (('["648", 999]', '["648", 998]'), 7, "lists", "press", "unknown office '998'"),
    (('["648", 999]', '["6480"]'), 7, "lists", "press", "invalid press '6480'"),
    (("[105, 101/258]", "[999]"), 8, "lists", "sections", "invalid section '999'"),
    (("DOWNLOAD_DELAY: 1.5", "DOWNLOAD_DELAYS: 1.5"), 10, "lists", "settings.DOWNLOAD_DELAYS", "unknown setting"),
    (("follow: \"081\"", "follow: \"081\"\n    since: 2d"), 16, "walk", "since", "goes with press, sections, entertain or sports"),
    (("start_aid: 7000", "start_aid: abc"), 16, "walk", "start_aid", "invalid aid 'abc'"),
])
def test_mistakes_name_line_job_and_key(tmp_path, change, line, job, key, problem):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(JobFileError) as error:
        load_jobs(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: job {job!r}, key {key!r}: "), message
    assert problem in message


@pytest.mark.parametrize("text, expected", [
    ("", "empty job file"), ("jobs: [1, 2]", "jobs must be a mapping"), ("job:\n  a: 1", "unknown key 'job'"),
    ("jobs:\n  a:\n    out: x\n    press: [648]", "missing 'schedule'"), ("jobs:\n  a: [", "not valid YAML"),
    ("jobs:\n  a:\n    schedule: 1h\n    out: x", "nothing to crawl"),
])
def test_broken_files(tmp_path, text, expected):
    with pytest.raises(JobFileError, match=expected):
        load_jobs(write(tmp_path, text))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("expression, after, expected", [
    ("*/30 * * * *", "2025-01-01 10:14", "2025-01-01 10:30"),
    ("*/30 * * * *", "2025-01-01 10:30", "2025-01-01 11:00"),
    ("0 6 * * mon-fri", "2025-01-03 07:00", "2025-01-06 06:00"),  # Friday after 6 → Monday
    ("15 2 1 * *", "2025-01-03 07:00", "2025-02-01 02:15"),
    ("0 0 1 1 *", "2025-06-01 00:00", "2026-01-01 00:00"),
    ("0 12 13 * 5", "2025-01-01 00:00", "2025-01-03 12:00"),  # day 13 OR a Friday
    ("0 0 * * 7", "2025-01-01 00:00", "2025-01-05 00:00"),  # 7 is Sunday too
    ("5,35 9-10 * jan,dec *", "2025-01-31 10:40", "2025-12-01 09:05"),
])
def test_cron_next_after(expression, after, expected):
    assert Cron.parse(expression).next_after(at(after)) == at(expected)


def test_cron_that_never_fires():
    with pytest.raises(CronError, match="never fires"):
        Cron.parse("0 0 31 2 *").next_after(at("2025-01-01 00:00"))
