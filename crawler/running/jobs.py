"""The job file (`naver-news.yaml`): named jobs, each with its targets, schedule, folder
and Scrapy setting overrides. See `naver-news.example.yaml` for every key.

Checked when it is loaded: an unknown key, a bad interval or cron field, an unknown
office, a bad section, id or setting is an error that names the file, the line, the
job and the key, before anything runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from crawler.frontier.connection import FrontierError, check_url
from crawler.reading.list_pages import parse_section
from crawler.running.cron import Cron, CronError
from crawler.running.durations import parse_duration
from crawler.sources.dates import now
from crawler.sources.ids import InvalidArticleId, parse_article_ref, parse_oid
from crawler.sources.offices import OFFICES
from crawler.sources.targets import Targets
from crawler.spiders.api_lists import parse_sport
from crawler.spiders.day_list import crawl_days
from crawler.spiders.sequence import parse_aid, parse_max_misses
from pipelines.state import DURATION_SETTINGS

# Yesterday and today: a run just after midnight still sees the end of yesterday's lists.
DEFAULT_SINCE = "2d"
JOB_KEYS = {
    "schedule": "an interval (30m, 6h, 1d) or a 5-field cron line in Korea time",
    "out": "the Markdown folder of this job (relative to the job file)",
    "press": "offices whose day lists to crawl",
    "sections": "sections (105, 105/230) whose day lists to crawl",
    "follow": "offices whose article numbers to walk",
    "entertain": "true: crawl the entertainment day lists",
    "sports": "sports (kbaseball, wfootball, general, …) whose day lists to crawl",
    "ids": "article ids or URLs to fetch",
    "since": "days of lists per run (default 2d: yesterday and today, Korea time)",
    "start_aid": "where a walk starts while the folder knows no article of the office",
    "max_misses": "consecutive missing aids that end a walk",
    "redis": "crawl with workers through this Redis (redis://HOST:6379/0): this machine writes, they fetch",
    "settings": "Scrapy setting overrides (CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY, USER_AGENT, …)",
}


class JobFileError(ValueError):
    """A job file that cannot be used; the message names file, line, job and key."""


@dataclass(frozen=True)
class Schedule:
    text: str
    interval: timedelta | None = None
    cron: Cron | None = None

    def next_due(self, last_start: datetime | None, now: datetime) -> datetime:
        """When the job is due next: now if it never ran."""
        if last_start is None:
            return now
        if self.interval is not None:
            return last_start + self.interval
        assert self.cron is not None
        return self.cron.next_after(last_start)


@dataclass
class JobSpec:
    name: str
    schedule: Schedule
    out: str
    targets: Targets
    settings: dict[str, Any] = field(default_factory=dict)


def as_written(check: Any) -> Any:
    """A parser that checks a value and keeps it as written (the spiders parse it again)."""
    def parse(value: str) -> str:
        check(value)
        return value
    return parse


def check_redis_url(value: str) -> None:
    try:
        check_url(value)
    except FrontierError as error:
        raise ValueError(str(error)) from None


def yes_or_no(value: str) -> str:
    if value.lower() not in ("true", "false", "yes", "no"):
        raise ValueError(f"invalid value {value!r}: expected true or false")
    return "true" if value.lower() in ("true", "yes") else "false"


def parse_schedule(text: str) -> Schedule:
    fields = len(text.split())
    if fields == 5:
        cron = Cron.parse(text)
        cron.next_after(now())  # a line that never fires (`0 0 31 2 *`) is refused now, not after a run
        return Schedule(text, cron=cron)
    if fields != 1:
        raise ValueError(f"invalid schedule {text!r}: expected an interval (30m, 6h, 1d) or a cron line "
                         "of 5 fields (minute hour day-of-month month day-of-week)")
    if not text.strip()[-1:].isalpha():
        raise ValueError(f"invalid interval {text!r}: give its unit, like {text.strip()}m or {text.strip()}s")
    interval = parse_duration(text)
    if interval <= timedelta(0):
        raise ValueError(f"invalid interval {text!r}: it must be longer than zero")
    return Schedule(text, interval=interval)


def setting_defaults() -> dict[str, Any]:
    """Every setting naver-news knows (Scrapy's and its own), with its default."""
    from scrapy.settings import default_settings

    import crawler.settings as ours

    return {name: getattr(module, name) for module in (default_settings, ours) for name in dir(module)
            if name.isupper()}


def _whole(settings: Any, name: str) -> int:
    return int(str(settings[name]))  # getint would take 1.5 as 1


_KINDS = ((bool, lambda settings, name: settings.getbool(name), "true or false"),
          (int, _whole, "a whole number"),
          (float, lambda settings, name: settings.getfloat(name), "a number"),
          (dict, lambda settings, name: settings.getdict(name), "a mapping"),
          ((list, tuple), lambda settings, name: settings.getlist(name), "a list"))


def check_setting(name: str, value: Any) -> Any:
    """A setting override (text from `-s`, any YAML value from a job file): its name must be
    known and its value read as its default's type. ValueError names the setting and value."""
    from scrapy.settings import BaseSettings

    defaults = setting_defaults()
    if name not in defaults:
        raise ValueError(f"unknown setting {name!r} (not a Scrapy or naver-news setting)")
    if name in DURATION_SETTINGS:
        try:
            parse_duration(value)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    default = defaults[name]
    for kind, read_as, expected in _KINDS:
        if isinstance(default, kind):
            try:
                read_as(BaseSettings({name: value}), name)
            except (ValueError, TypeError):
                raise ValueError(f"invalid setting {name}={value!r}: expected {expected}") from None
            break
    return value


class _Reader:
    """Walks the composed YAML nodes, so every error can name its line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node, message: str, job: str | None = None, key: str | None = None) -> JobFileError:
        where = "".join(part for part in (f" job {job!r}," if job else "", f" key {key!r}:" if key else ""))
        return JobFileError(f"{self.path}:{node.start_mark.line + 1}:{where} {message}".replace(",:", ":"))

    def mapping(self, node: yaml.Node, what: str, job: str | None = None, key: str | None = None,
                ) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (name: value lines)", job, key)
        return node.value

    def scalars(self, node: yaml.Node, job: str, key: str) -> list[tuple[str, yaml.Node]]:
        """A scalar or a list of scalars, each as written (so `010` stays `010`)."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for item in items:
            if not isinstance(item, yaml.ScalarNode) or item.value == "":
                raise self.fail(item, "expected a value or a list of values", job, key)
        return [(item.value, item) for item in items]


def load_jobs(path: str | Path) -> dict[str, JobSpec]:
    """Read and check a job file. Raises JobFileError naming file, line, job and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise JobFileError(f"cannot read job file {str(path)!r}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise JobFileError(f"{path}: not UTF-8 text (byte {error.start}): save it as UTF-8") from None
    reader = _Reader(path)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise JobFileError(f"{path}{line}: not valid YAML: {getattr(error, 'problem', error)}") from None
    if root is None:
        raise JobFileError(f"{path}: empty job file: it needs a 'jobs:' mapping")
    offices = dict(OFFICES)
    jobs_node = None
    for key_node, value in reader.mapping(root, "the job file"):
        if key_node.value == "offices":
            for oid_node, name_node in reader.mapping(value, "offices", key="offices"):
                try:
                    offices[parse_oid(oid_node.value)] = name_node.value
                except InvalidArticleId as error:
                    raise reader.fail(oid_node, str(error), key="offices") from None
        elif key_node.value == "jobs":
            jobs_node = value
        else:
            raise reader.fail(key_node, f"unknown key {key_node.value!r} (known: jobs, offices)")
    if jobs_node is None:
        raise JobFileError(f"{path}: no 'jobs:' mapping")
    jobs = {}
    for name_node, job_node in reader.mapping(jobs_node, "jobs", key="jobs"):
        if name_node.value in jobs:
            raise reader.fail(name_node, "a second job of this name", name_node.value)
        jobs[name_node.value] = _job(reader, name_node, job_node, offices)
    return jobs


def _job(reader: _Reader, name_node: yaml.ScalarNode, node: yaml.Node, offices: dict[str, str]) -> JobSpec:
    name = name_node.value
    entries: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
    for key_node, value_node in reader.mapping(node, "a job", job=name):
        if key_node.value in entries:
            raise reader.fail(key_node, "given twice", name, key_node.value)
        entries[key_node.value] = (key_node, value_node)
    for key, (key_node, _) in entries.items():
        if key not in JOB_KEYS:
            raise reader.fail(key_node, f"unknown key (known: {', '.join(JOB_KEYS)})", name, key)
    for required in ("schedule", "out"):
        if required not in entries:
            raise reader.fail(name_node, f"missing {required!r}: {JOB_KEYS[required]}", name)

    def check(key: str, parse: Any) -> list[str]:
        if key not in entries:
            return []
        values = []
        for value, value_node in reader.scalars(entries[key][1], name, key):
            try:
                values.append(parse(value))
            except (ValueError, InvalidArticleId, CronError) as error:
                raise reader.fail(value_node, str(error), name, key) from None
        return values

    def office(value: str) -> str:
        oid = parse_oid(value)
        if oid not in offices:
            raise ValueError(f"unknown office {value!r} (not a Naver press office naver-news knows; "
                             "if it is one, add it under 'offices:' at the top of the file)")
        return oid

    def one(key: str, parse: Any) -> str:
        values = check(key, parse)
        if len(values) > 1:
            raise reader.fail(entries[key][1], "expected one value", name, key)
        return values[0] if values else ""

    schedule = check("schedule", parse_schedule)[0]
    out = str(reader.path.parent / one("out", str))  # relative to the job file, whatever the working directory
    targets = Targets(
        ids=check("ids", as_written(parse_article_ref)),
        press=check("press", office), sections=check("sections", as_written(parse_section)),
        follow=check("follow", office), sports=check("sports", parse_sport),
        entertain=one("entertain", yes_or_no) == "true",
        since=one("since", as_written(lambda v: crawl_days(since=v))),
        start_aid=one("start_aid", lambda v: str(parse_aid(v))), start_aid_if_unknown=True,
        max_misses=one("max_misses", lambda v: str(parse_max_misses(v))))
    if not targets:
        raise reader.fail(name_node, "nothing to crawl: give press, sections, entertain, sports, follow or ids", name)
    lists = targets.press or targets.sections or targets.entertain or targets.sports
    if targets.since and not lists:
        raise reader.fail(entries["since"][0], "since goes with press, sections, entertain or sports", name, "since")
    if lists:
        targets.since = targets.since or DEFAULT_SINCE
    if targets.start_aid and len(targets.follow) != 1:
        raise reader.fail(entries["start_aid"][0], "start_aid goes with exactly one office to follow", name,
                          "start_aid")
    settings = _settings(reader, entries.get("settings"), name)
    redis = one("redis", as_written(check_redis_url))
    if redis:
        if targets.follow:
            raise reader.fail(entries["redis"][0], "follow walks one office's numbers in order: it runs "
                                                   "without redis", name, "redis")
        settings["REDIS_URL"] = redis
    return JobSpec(name, schedule, out, targets, settings)


def _settings(reader: _Reader, entry: tuple[yaml.Node, yaml.Node] | None, job: str) -> dict[str, Any]:
    if entry is None:
        return {}
    overrides: dict[str, Any] = {}
    for key_node, value_node in reader.mapping(entry[1], "settings", job, "settings"):
        key = f"settings.{key_node.value}"
        if key_node.value in ("OUTPUT_DIR", "NAVER_NEWS_JOB"):
            raise reader.fail(key_node, "set by the job itself (use 'out:')", job, key)
        if key_node.value in overrides:
            raise reader.fail(key_node, "given twice", job, key)
        try:
            overrides[key_node.value] = check_setting(key_node.value, yaml.safe_load(yaml.serialize(value_node)))
        except ValueError as error:
            raise reader.fail(value_node, str(error), job, key) from None
    return overrides
