"""The `naver-news` command: thin. It checks the input, builds settings, and hands over to
the runner (crawls), the scheduler, or the archive tools (reindex, export, status).

Exit codes: 0 the run completed (gone or unsupported articles included), 1 the run
crashed or did not finish (the state could not be written, or, for `schedule --once`, a
job failed), 2 bad input (one line naming the value; nothing crawled), 3 another run is
writing to the same folder, 4 the run completed but extraction looks broken (Naver changed
its pages: see the report), 5 Naver (or the mirror) could not be reached at all, 130
stopped by Ctrl-C/SIGTERM (`schedule`: 0, its normal end).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_CRASH, EXIT_USAGE, EXIT_BUSY, EXIT_UNHEALTHY, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130
# Outcomes worth a line of their own in a normal run; -v prints every one, recrawl too.
LISTED_OUTCOMES = frozenset({"new", "updated", "restored", "reparsed", "duplicate", "gone", "unsupported", "failed"})
DEFAULT_CONFIG = os.environ.get("NAVER_NEWS_CONFIG", "naver-news.yaml")


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="naver-news", description="Crawl Naver News articles into Markdown files.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sub: argparse.ArgumentParser, out_default: str | None, mirror: bool = True) -> None:
        sub.add_argument("--out", default=out_default, metavar="DIR",
                         help="Markdown folder (default: OUTPUT_DIR setting, 'output')")
        sub.add_argument("--path-template", metavar="T",
                         help="file path under --out, e.g. '{year}/{month}/{day}/{id}.md' (the default)")
        sub.add_argument("--user-agent", metavar="UA", help="User-Agent header to send")
        sub.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="any Scrapy setting, as with `scrapy crawl -s`")
        if mirror:
            sub.add_argument("--mirror", metavar="URL", help="send Naver requests to this mirror instead (offline)")
        level = sub.add_mutually_exclusive_group()
        level.add_argument("-v", "--verbose", action="store_true", help="every article, and Scrapy's log")
        level.add_argument("-q", "--quiet", action="store_true", help="only errors and the summary")

    crawl = commands.add_parser("crawl", help="fetch articles by id, URL, day lists or walks; skip what "
                                              "the folder has")
    crawl.add_argument("--id", action="append", default=[], dest="ids", metavar="OID/AID",
                       help="article id, e.g. 648/0000043044 (repeatable)")
    crawl.add_argument("--url", action="append", default=[], dest="urls", metavar="URL",
                       help="article URL in any Naver form (repeatable)")
    crawl.add_argument("--ids-file", metavar="FILE", help="file with one id or URL per line (# comments)")
    crawl.add_argument("--press", action="append", default=[], metavar="OID",
                       help="every article a press office listed on the days (repeatable)")
    crawl.add_argument("--section", action="append", default=[], metavar="SID1[/SID2]",
                       help="every article of a section (100-105, e.g. 105 or 105/230) on the days (repeatable)")
    crawl.add_argument("--entertain", action="store_true", help="every entertainment article of the days")
    crawl.add_argument("--sports", action="append", default=[], metavar="SPORT",
                       help="every article of a sport on the days: kbaseball, wfootball, general, … (repeatable)")
    crawl.add_argument("--date", metavar="DAY", help="first day for the day lists: YYYY-MM-DD, today, "
                                                     "yesterday (default: today, Korea time)")
    crawl.add_argument("--to", metavar="DAY", help="last day (default: --date)")
    crawl.add_argument("--since", metavar="Nd", help="the last N days, e.g. 2d for yesterday and today")
    crawl.add_argument("--yes", action="store_true", help="allow a date range longer than MAX_DATE_RANGE_DAYS")
    crawl.add_argument("--follow", action="append", default=[], metavar="OID",
                       help="walk the office's article numbers upwards from the highest known (repeatable)")
    crawl.add_argument("--start-aid", metavar="AID", help="first aid for --follow (default: above the highest known)")
    crawl.add_argument("--max-misses", metavar="N", help="stop --follow after N consecutive missing aids (20)")
    common(crawl, None)
    frontier(crawl)

    recrawl = commands.add_parser("recrawl", help="fetch articles again whatever the state says, and report "
                                                  "each as new/updated/unchanged/gone/unsupported")
    recrawl.add_argument("targets", nargs="+", metavar="URL_OR_ID")
    common(recrawl, None)
    frontier(recrawl)

    worker = commands.add_parser("worker", help="fetch for the runs an archive side announces on Redis "
                                                "(any number of machines)")
    worker.add_argument("--redis", metavar="URL", help="the frontier's Redis, e.g. redis://HOST:6379/0 "
                                                       "(or -s REDIS_URL=…)")
    worker.add_argument("--user-agent", metavar="UA", help="User-Agent header to send")
    worker.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="any Scrapy setting, as with `scrapy crawl -s`")
    worker.add_argument("--mirror", metavar="URL", help="send Naver requests to this mirror instead (offline)")
    level = worker.add_mutually_exclusive_group()
    level.add_argument("-v", "--verbose", action="store_true", help="Scrapy's log")
    level.add_argument("-q", "--quiet", action="store_true", help="only errors")

    schedule = commands.add_parser("schedule", help="run the jobs of a job file when they are due")
    schedule.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE",
                          help="job file (default: naver-news.yaml, or env NAVER_NEWS_CONFIG)")
    schedule.add_argument("--job", action="append", default=[], metavar="NAME", help="only this job (repeatable)")
    schedule.add_argument("--once", action="store_true", help="run what is due now, then exit (for cron)")
    common(schedule, None)

    status = commands.add_parser("status", help="articles, last runs and next due time per job or folder")
    status.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help="job file (naver-news.yaml)")
    status.add_argument("--job", action="append", default=[], metavar="NAME", help="only this job (repeatable)")
    status.add_argument("--out", action="append", default=[], metavar="DIR",
                        help="a folder instead of the job file's (repeatable)")

    export = commands.add_parser("export", help="copy selected articles to another folder, or to JSON lines")
    export.add_argument("--to", required=True, metavar="DIR_OR_FILE",
                        help="target folder (md, hugo) or file (jsonl, parquet; - is stdout for jsonl)")
    export.add_argument("--out", metavar="DIR", help="source folder (default: OUTPUT_DIR setting, 'output')")
    export.add_argument("--since", metavar="DAY", help="published on or after this day")
    export.add_argument("--until", metavar="DAY", help="published on or before this day")
    export.add_argument("--press", action="append", default=[], metavar="OID", help="only this office (repeatable)")
    export.add_argument("--section", action="append", default=[], metavar="SID1",
                        help="only this section: 100-105 or its name (repeatable)")
    export.add_argument("--layout", metavar="T", help="path template for the copies, or 'flat' ({id}.md); "
                                                     "default: as in the source")
    export.add_argument("--format", choices=("md", "jsonl", "parquet", "hugo"), default="md",
                        help="md: the files as they are; jsonl or parquet: one row per article; hugo: pages "
                             "of a Hugo site (--to site/content/news)")

    doctor = commands.add_parser("doctor", help="show what extraction finds on one page (id, URL or saved file)")
    doctor.add_argument("page", metavar="ID_URL_OR_FILE")
    doctor.add_argument("--mirror", metavar="URL", help="fetch through this mirror instead (offline)")
    doctor.add_argument("--out", metavar="DIR", help="show the page of this folder's web archive (PAGE is an id)")
    doctor.add_argument("--user-agent", metavar="UA", help="User-Agent header to send")

    reparse = commands.add_parser("reparse", help="read the archived pages again with today's rules; "
                                                  "rewrite only what changed; no network at all")
    reparse.add_argument("--id", action="append", default=[], dest="ids", metavar="OID/AID",
                         help="only this article (repeatable)")
    reparse.add_argument("--press", action="append", default=[], metavar="OID", help="only this office (repeatable)")
    reparse.add_argument("--since", metavar="DAY", help="published on or after this day")
    reparse.add_argument("--until", metavar="DAY", help="published on or before this day")
    common(reparse, None, mirror=False)

    reindex = commands.add_parser("reindex", help="rebuild the folder's state from its Markdown files")
    reindex.add_argument("--out", metavar="DIR", help="Markdown folder (default: OUTPUT_DIR setting, 'output')")

    demo = commands.add_parser("demo", help="crawl the bundled sample pages from a local mirror (offline)")
    common(demo, "output")
    return parser


def frontier(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--redis", metavar="URL", help="crawl with workers through this Redis (redis://HOST:6379/0): "
                                                    "this machine plans and writes, `naver-news worker`s fetch")
    sub.add_argument("--workers", type=int, metavar="N", help="start N workers on this machine for the run "
                                                              "(with --redis, or a redis-server started for it)")


def read_ids_file(path: str) -> list[str]:
    """Ids and URLs from a UTF-8 file (a BOM is fine), one per line; blank lines and comments
    (`#` at the start of a line or after a space) skipped."""
    import re

    from crawler.sources.ids import InvalidArticleId, parse_article_ref

    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise UsageError(f"cannot read ids file {path!r}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"ids file {path!r} is not UTF-8 text (byte {error.start})") from None
    values = []
    for number, line in enumerate(lines, 1):
        value = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()
        if value:
            try:
                parse_article_ref(value)
            except InvalidArticleId as error:
                raise UsageError(f"{error} ({path} line {number})") from None
            values.append(value)
    return values


def project_settings() -> Any:
    """crawler/settings.py, whatever scrapy.cfg the working directory has."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return settings


def build_settings(args: argparse.Namespace, mirror: str | None = None) -> Any:
    """Project settings, overridden by what the options say; every value checked before crawling."""
    from crawler.middlewares.mirror import MirrorError, check_mirror
    from crawler.running.jobs import check_setting
    from pipelines.markdown import PathTemplateError, check_path_template

    def option(name: str) -> Any:  # commands take different subsets of the options
        return getattr(args, name, None)

    settings = project_settings()
    for pair in option("set") or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"invalid setting {pair!r}: expected NAME=VALUE")
        try:
            settings.set(name, check_setting(name, value), priority="cmdline")
        except ValueError as error:
            raise UsageError(str(error)) from None
    options = {"OUTPUT_DIR": option("out"), "MARKDOWN_PATH_TEMPLATE": option("path_template"),
               "USER_AGENT": option("user_agent"), "NAVER_MIRROR": mirror or option("mirror"),
               "REDIS_URL": option("redis")}
    for name, value in options.items():
        if value:
            settings.set(name, value, priority="cmdline")
    quiet = getattr(args, "quiet", True)  # a command without -q/-v (doctor) keeps Scrapy quiet
    settings.set("LOG_LEVEL", "INFO" if option("verbose") else "ERROR" if quiet else "WARNING", priority="cmdline")
    settings.set("PROGRESS_ENABLED", not quiet, priority="cmdline")
    try:
        check_path_template(settings["MARKDOWN_PATH_TEMPLATE"])
        if settings["NAVER_MIRROR"]:
            check_mirror(settings["NAVER_MIRROR"])
    except (PathTemplateError, MirrorError) as error:
        raise UsageError(str(error)) from None
    return settings


def check_out_dir(out_dir: str) -> None:
    """A folder the crawler can write to (created if missing), else UsageError naming it."""
    from pipelines.folder import state_dir

    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise UsageError(f"invalid --out {out_dir!r}: it is a file, not a folder")
    try:
        state_dir(path).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"invalid --out {out_dir!r}: cannot create it ({error.strerror})") from None
    if not os.access(path, os.W_OK) or not os.access(state_dir(path), os.W_OK):
        raise UsageError(f"invalid --out {out_dir!r}: it is not writable")


def outcome_printer(args: argparse.Namespace, every: bool = False) -> Any:
    """A listener that prints one line per article outcome: none with -q, all with -v (or
    `every`), else LISTED_OUTCOMES. On a terminal it clears the progress line first."""
    from crawler.running.outcome import OUTCOMES
    from crawler.running.progress import CLEAR_LINE

    listed = frozenset() if args.quiet else frozenset(OUTCOMES) if args.verbose or every else LISTED_OUTCOMES
    clear = CLEAR_LINE if sys.stderr.isatty() else ""

    def print_outcome(article: Any, outcome: str, detail: str) -> None:
        if outcome in listed:
            if clear:
                sys.stderr.write(clear)
            print(f"{outcome:<11} {article}  {detail}".rstrip(), flush=True)

    return print_outcome


def run_crawl(settings: Any, jobs: list[Any], on_outcome: Any) -> int:
    """Run the jobs, print the summary; returns the exit code. The folder's lock is taken
    first, so a busy folder is refused with one line before Scrapy starts."""
    from crawler.running.runner import run_jobs
    from crawler.running.summary import format_sources, format_summary
    from pipelines.folder import FolderBusy, FolderLock
    from pipelines.state import ArticleState, StateError

    out_dir = settings["OUTPUT_DIR"]
    check_out_dir(out_dir)
    try:
        with FolderLock(out_dir):
            ArticleState(out_dir).close()  # a state that cannot be opened is refused before Scrapy starts
            result = run_jobs(settings, jobs, on_outcome)
    except FolderBusy as error:
        print(f"naver-news: {error}", file=sys.stderr)
        return EXIT_BUSY
    except StateError as error:
        raise UsageError(str(error)) from None
    for line in format_sources(result.stats):
        print(line)
    reason = result.finish_reason
    print(f"{'done' if reason == 'finished' else reason}: {format_summary(result.stats, out_dir)}", flush=True)
    for line in result.health:
        print(f"naver-news: {line}", file=sys.stderr)
    if result.error:
        print(f"naver-news: error: {result.error}", file=sys.stderr)
        return EXIT_CRASH
    if result.unreachable and reason == "finished":
        where = f"the mirror {settings['NAVER_MIRROR']}" if settings["NAVER_MIRROR"] else "Naver"
        print(f"naver-news: error: could not reach {where}: {result.unreachable}", file=sys.stderr)
        return EXIT_UNREACHABLE
    if reason == "finished":
        return EXIT_UNHEALTHY if result.health else EXIT_OK
    return EXIT_INTERRUPTED if reason == "shutdown" else EXIT_CRASH


def crawl_targets(args: argparse.Namespace, targets: Any, every: bool = False) -> int:
    """Plan the targets (refusing a bad value before anything is fetched) and run them."""
    from crawler.sources.ids import InvalidArticleId
    from crawler.sources.targets import plan

    settings = build_settings(args)
    try:
        jobs = plan(targets, settings)
    except (ValueError, InvalidArticleId) as error:
        raise UsageError(str(error)) from None
    if args.workers is None and not settings["REDIS_URL"]:
        return run_crawl(settings, jobs, outcome_printer(args, every))
    return crawl_with_workers(args, settings, jobs, outcome_printer(args, every))


def crawl_with_workers(args: argparse.Namespace, settings: Any, jobs: list[Any], on_outcome: Any) -> int:
    """The run as the archive side of a shared frontier: checked before anything starts (the
    Redis, the jobs), with `--workers N` started on this machine for it."""
    from crawler.frontier.addon import check_distributable
    from crawler.frontier.connection import FrontierError, redis_client, require_extra, shown
    from crawler.frontier.local import local_workers
    from crawler.frontier.run import Run, busy
    from scrapy.spiderloader import get_spider_loader

    if args.workers is not None and not 1 <= args.workers <= 64:
        raise UsageError(f"invalid --workers {args.workers}: expected 1 to 64")
    try:
        require_extra()
        for job in jobs:
            check_distributable(get_spider_loader(settings).load(job.spider))
        with local_workers(args.workers or 0, settings["REDIS_URL"], worker_options(args)) as url:
            settings.set("REDIS_URL", url, priority="cmdline")
            other = Run.current(redis_client(settings))
            if other is not None:
                print(f"naver-news: {busy(shown(url), other)}", file=sys.stderr)
                return EXIT_BUSY
            return run_crawl(settings, jobs, on_outcome)
    except FrontierError as error:
        print(f"naver-news: error: {error}", file=sys.stderr)
        return error.exit_code


def worker_options(args: argparse.Namespace) -> list[str]:
    """The transport options of this command, for the workers it starts."""
    options = ["-q"] if not args.verbose else ["-v"]
    for name in ("mirror", "user_agent"):
        if getattr(args, name, None):
            options += [f"--{name.replace('_', '-')}", getattr(args, name)]
    for pair in args.set:
        options += ["-s", pair]
    return options


def worker_command(args: argparse.Namespace) -> int:
    """Serve runs until stopped: 0 after Ctrl-C/SIGTERM (its normal end), 5 if Redis cannot
    be reached at the start."""
    from crawler.frontier.connection import FrontierError, redis_client
    from crawler.running.runner import CrawlSession
    from crawler.sources.targets import Job

    settings = build_settings(args)
    if not settings["REDIS_URL"]:
        raise UsageError("a worker needs the frontier's Redis: --redis redis://HOST:6379/0")
    settings.set("LOG_LEVEL", "INFO" if not args.quiet else "ERROR", priority="cmdline")
    try:
        redis_client(settings)
    except FrontierError as error:
        print(f"naver-news: error: {error}", file=sys.stderr)
        return error.exit_code
    session = CrawlSession(settings)
    result = session.run(lambda: session.crawl([Job("worker")]))
    if result is not None and result.finish_reason not in ("shutdown", "finished"):
        return EXIT_CRASH
    return EXIT_OK


def crawl_command(args: argparse.Namespace) -> int:
    from crawler.sources.targets import Targets

    ids = args.ids + (read_ids_file(args.ids_file) if args.ids_file else [])
    return crawl_targets(args, Targets(
        ids=ids, urls=args.urls, press=args.press, sections=args.section, follow=args.follow,
        entertain=args.entertain, sports=args.sports, date=args.date or "",
        to=args.to or "", since=args.since or "", yes=args.yes, start_aid=args.start_aid or "",
        max_misses=args.max_misses or ""))


def recrawl_command(args: argparse.Namespace) -> int:
    from crawler.sources.targets import Targets

    return crawl_targets(args, Targets(ids=args.targets, force=True), every=True)


def reparse_command(args: argparse.Namespace) -> int:
    """The reparse spider over the folder's archive; the archive also answers any request,
    so nothing can reach the network."""
    from crawler.archive.warc_files import warc_dir, warc_files
    from crawler.sources.dates import parse_day
    from crawler.sources.ids import InvalidArticleId, parse_article_ref, parse_oid
    from crawler.sources.targets import Job

    settings = build_settings(args)
    archive = warc_dir(settings["OUTPUT_DIR"])
    if not warc_files(archive):
        raise UsageError(f"no web archive in {settings['OUTPUT_DIR']!r} (.naver-news/warc/ is empty): "
                         "nothing to reparse")
    try:
        arguments = {"ids": [parse_article_ref(value).key for value in args.ids],
                     "press": [parse_oid(oid) for oid in args.press],
                     "since": parse_day(args.since).isoformat() if args.since else "",
                     "until": parse_day(args.until).isoformat() if args.until else ""}
    except (ValueError, InvalidArticleId) as error:
        raise UsageError(str(error)) from None
    settings.set("NAVER_MIRROR", f"warc:{archive}", priority="cmdline")
    return run_crawl(settings, [Job("reparse", arguments)], outcome_printer(args))


def demo_command(args: argparse.Namespace) -> int:
    from crawler.demo.server import serving
    from crawler.demo.site import DEMO_IDS, DEMO_URLS, demo_site
    from crawler.sources.targets import Job

    job = Job("article", {"ids": DEMO_IDS, "urls": DEMO_URLS})
    if args.mirror:  # e.g. warc:PATH, the archive of an earlier demo: no server at all
        code = run_crawl(build_settings(args), [job], outcome_printer(args))
    else:
        site = demo_site()
        with serving(site) as mirror:
            print(f"Serving {len(site.articles) + len(site.pages)} sample Naver pages at {mirror} "
                  "(a local mirror: nothing leaves this machine)", flush=True)
            code = run_crawl(build_settings(args, mirror), [job], outcome_printer(args))
    if code == EXIT_OK and not args.quiet:
        print(f"The files are in {args.out}/. Run the demo again: nothing known is fetched twice. "
              f"Then try: naver-news status --out {args.out}")
    return code


def load_job_file(path: str, only: list[str]) -> dict[str, Any]:
    from crawler.running.jobs import JobFileError, load_jobs

    try:
        jobs = load_jobs(path)
    except JobFileError as error:
        raise UsageError(str(error)) from None
    unknown = [name for name in only if name not in jobs]
    if unknown:
        raise UsageError(f"no job {unknown[0]!r} in {path} (jobs: {', '.join(jobs) or 'none'})")
    return {name: job for name, job in jobs.items() if not only or name in only}


def schedule_command(args: argparse.Namespace) -> int:
    from crawler.running.runner import CrawlSession
    from crawler.running.schedule import Scheduler
    from crawler.sources.dates import now

    jobs = load_job_file(args.config, args.job)
    settings = build_settings(args)

    def report(line: str) -> None:
        print(f"{now():%Y-%m-%d %H:%M:%S} {line}", flush=True)

    session = CrawlSession(settings)
    scheduler = Scheduler(jobs, settings, session, report, outcome_printer(args))
    report(f"scheduling {len(jobs)} job(s) from {args.config}" + (", once" if args.once else ""))
    endings = session.run(lambda: scheduler.loop(args.once))
    report("stopped" if endings is None or scheduler.stopped else "done")
    endings = endings or []
    if any(ending not in ("finished", "shutdown", "skipped", "unhealthy") for ending in endings):
        return EXIT_CRASH
    return EXIT_UNHEALTHY if "unhealthy" in endings else EXIT_OK


def status_command(args: argparse.Namespace) -> int:
    from crawler.running.schedule import next_due
    from crawler.running.status import folder_status, job_status
    from crawler.sources.dates import now
    from pipelines.state import StateError

    code = EXIT_OK
    if args.out or not (Path(args.config).exists() or args.job):
        for out_dir in args.out or [project_settings()["OUTPUT_DIR"]]:
            if not Path(out_dir).is_dir():
                raise UsageError(f"no such folder {out_dir!r}" if not Path(out_dir).exists()
                                 else f"invalid --out {out_dir!r}: it is a file, not a folder")
        for out_dir in args.out or [project_settings()["OUTPUT_DIR"]]:
            print(f"folder {out_dir}" + ("" if args.out else f" (no job file {args.config})"))
            try:
                print("\n".join(folder_status(out_dir)))
            except StateError as error:
                print(f"naver-news: error: {error}", file=sys.stderr)
                code = EXIT_CRASH
        return code
    jobs = load_job_file(args.config, args.job)
    for job in jobs.values():  # one folder's broken state never hides the other jobs
        try:
            print("\n".join(job_status(job, next_due(job, now()))))
        except StateError as error:
            print(f"job {job.name} → {job.out}\n  naver-news: error: {error}")
            code = EXIT_CRASH
    return code


def export_command(args: argparse.Namespace) -> int:
    from crawler.sources.dates import parse_day
    from crawler.sources.ids import SECTIONS, InvalidArticleId, parse_oid
    from pipelines.export import (
        MissingExtra,
        Selection,
        export_hugo,
        export_jsonl,
        export_markdown,
        export_parquet,
    )
    from pipelines.markdown import PathTemplateError

    source = Path(args.out or project_settings()["OUTPUT_DIR"])
    if not source.is_dir():
        raise UsageError(f"no such folder {str(source)!r}")
    try:
        selection = Selection(since=parse_day(args.since) if args.since else None,
                              until=parse_day(args.until) if args.until else None,
                              press={parse_oid(oid) for oid in args.press}, sections=set(args.section))
    except (ValueError, InvalidArticleId) as error:
        raise UsageError(str(error)) from None
    unknown = [s for s in args.section if s not in SECTIONS and s not in SECTIONS.values()]
    if unknown:
        raise UsageError(f"invalid section {unknown[0]!r}: expected 100-105 or a name like IT/과학")
    def warn(problem: str) -> None:
        print(f"naver-news: not exported: {problem}", file=sys.stderr)

    selection.on_problem = warn
    if args.format in ("jsonl", "parquet"):
        if args.layout:
            raise UsageError(f"--layout goes with a folder export (md, hugo), not --format {args.format}")
        if args.to == "-" and args.format == "jsonl":
            from crawler.running.stdout import binary_stdout, discard_stdout

            try:
                with binary_stdout() as stream:
                    count = export_jsonl(source, stream, selection)
            except BrokenPipeError:  # `| head`: the reader stopped reading, no error of ours
                discard_stdout()
                return EXIT_OK
        elif args.format == "jsonl":
            Path(args.to).parent.mkdir(parents=True, exist_ok=True)
            with open(args.to, "wb") as stream:
                count = export_jsonl(source, stream, selection)
        elif args.to == "-":
            raise UsageError("--to - (standard output) goes with --format jsonl; Parquet needs a file")
        else:
            try:
                count = export_parquet(source, Path(args.to), selection)
            except MissingExtra as error:
                raise UsageError(str(error)) from None
        print(f"exported {count} articles from {source} to {args.to}", file=sys.stderr)
        return EXIT_OK
    if args.to == "-":
        raise UsageError("--to - (standard output) goes with --format jsonl; Markdown export needs a folder")
    target = Path(args.to)
    if target.resolve() == source.resolve() or source.resolve() in target.resolve().parents:
        raise UsageError(f"invalid --to {args.to!r}: it must not be inside the source folder {str(source)!r}")
    try:
        count = (export_hugo if args.format == "hugo" else export_markdown)(source, target, selection, args.layout)
    except PathTemplateError as error:
        raise UsageError(str(error)) from None
    print(f"exported {count} articles from {source} to {target}")
    return EXIT_OK


def doctor_command(args: argparse.Namespace) -> int:
    """Diagnose a page: fetched like a crawl would (through --mirror if given), or read from a
    file (an evidence file from .naver-news/failed/ knows its URL)."""
    from scrapy.http import HtmlResponse

    from crawler.reading.doctor import diagnose
    from crawler.sources.ids import InvalidArticleId, parse_article_ref
    from pipelines.evidence import evidence_url

    path = Path(args.page)
    if args.out:
        verdict, lines = archived_diagnosis(args)
    elif "://" not in args.page and path.is_file():
        data = path.read_bytes()
        # The URL it was fetched from (kept evidence), else the one the page names for itself.
        verdict, lines = diagnose(HtmlResponse(f"file://{path.resolve()}", body=data), evidence_url(data) or "",
                                  saved=True)
    elif "://" in args.page:
        try:
            parse_article_ref(args.page)
        except InvalidArticleId:
            if "naver.com/" not in args.page:
                raise UsageError(f"invalid page {args.page!r}: expected a Naver URL or a saved file") from None
        verdict, lines = fetch_and_diagnose(args, args.page)
    else:
        try:
            article = parse_article_ref(args.page)  # an id: its page, fetched as a crawl would
        except InvalidArticleId:
            raise UsageError(f"no such file {args.page!r} (give a saved page, an id or a URL)") from None
        verdict, lines = fetch_and_diagnose(args, article.url)
    print("\n".join(lines))
    return EXIT_UNHEALTHY if verdict == "failed" else EXIT_OK


def archived_diagnosis(args: argparse.Namespace) -> tuple[str, list[str]]:
    """doctor ID --out DIR: the page the folder's state says the article was last read from."""
    from scrapy import Request

    from crawler.archive.replay import archived_response
    from crawler.archive.warc_files import archive_files, warc_dir
    from crawler.reading.doctor import diagnose
    from crawler.sources.ids import InvalidArticleId, parse_article_ref
    from pipelines.state import StateError, read_archived

    try:
        article = parse_article_ref(args.page)
        location = read_archived(args.out, article.key)
    except (InvalidArticleId, StateError) as error:
        raise UsageError(str(error)) from None
    if not location:
        raise UsageError(f"{article} has no page in the web archive of {args.out!r}")
    try:
        response = archived_response(archive_files(warc_dir(args.out)), location, Request(article.url))
    except ValueError as error:
        raise UsageError(f"{article}: {error}") from None
    verdict, lines = diagnose(response)
    return verdict, [*lines[:1], f"{'archived':<13} {location} (fetched {response.meta['warc_fetched_at']})",
                     *lines[1:]]


def fetch_and_diagnose(args: argparse.Namespace, url: str) -> tuple[str, list[str]]:
    from crawler.running.runner import CrawlSession
    from crawler.sources.targets import Job

    session = CrawlSession(build_settings(args))
    crawlers: list[Any] = []
    session.run(lambda: session.crawl([Job("doctor", {"url": url})], crawlers=crawlers))
    spider = crawlers[0].spider if crawlers else None
    return (spider.verdict, spider.report) if spider and spider.report else ("failed", [url, "not fetched"])


def reindex_command(args: argparse.Namespace) -> int:
    from pipelines.folder import FolderBusy
    from pipelines.reindex import reindex
    from pipelines.state import StateError

    out_dir = Path(args.out or project_settings()["OUTPUT_DIR"])
    if not out_dir.is_dir():
        raise UsageError(f"no such folder {str(out_dir)!r}")
    try:
        report = reindex(out_dir)
    except FolderBusy as error:
        print(f"naver-news: {error}", file=sys.stderr)
        return EXIT_BUSY
    except StateError as error:
        raise UsageError(str(error)) from None
    if report.moved_aside:
        print(f"the state was unreadable: kept as {report.moved_aside}, rebuilt from the files")
    for line in report.problems:
        print(f"not indexed {line}")
    print(f"reindexed {report.indexed} article files in {out_dir}; {len(report.problems)} not indexed, "
          f"{report.other_files} other files left alone")
    return EXIT_OK


COMMANDS = {"crawl": crawl_command, "recrawl": recrawl_command, "schedule": schedule_command,
            "status": status_command, "export": export_command, "reindex": reindex_command, "demo": demo_command,
            "reparse": reparse_command,
            "doctor": doctor_command, "worker": worker_command}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"naver-news: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
