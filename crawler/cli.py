"""The `naver-news` command: thin. It checks the input, builds settings, starts a CrawlerProcess.

Exit codes: 0 the run completed (gone or unsupported articles included), 1 the run
crashed or did not finish, 2 bad input (one line naming the value; nothing crawled),
3 another run is writing to the same folder, 130 stopped by Ctrl-C/SIGTERM after a
graceful shutdown.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_CRASH, EXIT_USAGE, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# Outcomes worth a line of their own in a normal run; -v prints every one, recrawl too.
LISTED_OUTCOMES = frozenset({"new", "updated", "restored", "duplicate", "gone", "unsupported", "failed"})


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="naver-news", description="Crawl Naver News articles into Markdown files.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sub: argparse.ArgumentParser, out_default: str | None) -> None:
        sub.add_argument("--out", default=out_default, metavar="DIR",
                         help="Markdown folder (default: OUTPUT_DIR setting, 'output')")
        sub.add_argument("--path-template", metavar="T",
                         help="file path under --out, e.g. '{year}/{month}/{day}/{id}.md' (the default)")
        sub.add_argument("--user-agent", metavar="UA", help="User-Agent header to send")
        sub.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="any Scrapy setting, as with `scrapy crawl -s`")
        level = sub.add_mutually_exclusive_group()
        level.add_argument("-v", "--verbose", action="store_true", help="log every article and Scrapy's own lines")
        level.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")

    crawl = commands.add_parser("crawl", help="fetch articles by id or URL, skipping what the folder has")
    crawl.add_argument("--id", action="append", default=[], dest="ids", metavar="OID/AID",
                       help="article id, e.g. 648/0000043044 (repeatable)")
    crawl.add_argument("--url", action="append", default=[], dest="urls", metavar="URL",
                       help="article URL in any Naver form (repeatable)")
    crawl.add_argument("--ids-file", metavar="FILE", help="file with one id or URL per line (# comments)")
    crawl.add_argument("--press", action="append", default=[], metavar="OID",
                       help="every article a press office listed on the days (repeatable)")
    crawl.add_argument("--section", action="append", default=[], metavar="SID1[/SID2]",
                       help="every article of a section (100-105, e.g. 105 or 105/230) on the days (repeatable)")
    crawl.add_argument("--date", metavar="DAY", help="first day for --press/--section: YYYY-MM-DD, today, "
                                                     "yesterday (default: today, Korea time)")
    crawl.add_argument("--to", metavar="DAY", help="last day (default: --date)")
    crawl.add_argument("--since", metavar="Nd", help="the last N days, e.g. 2d for yesterday and today")
    crawl.add_argument("--yes", action="store_true", help="allow a date range longer than MAX_DATE_RANGE_DAYS")
    crawl.add_argument("--follow", action="append", default=[], metavar="OID",
                       help="walk the office's article numbers upwards from the highest known (repeatable)")
    crawl.add_argument("--start-aid", metavar="AID", help="first aid for --follow (default: above the highest known)")
    crawl.add_argument("--max-misses", metavar="N", help="stop --follow after N consecutive missing aids (20)")
    crawl.add_argument("--mirror", metavar="URL", help="send Naver requests to this mirror instead (offline)")
    common(crawl, None)

    recrawl = commands.add_parser("recrawl", help="fetch articles again whatever the state says, and report "
                                                  "each as new/updated/unchanged/gone/unsupported")
    recrawl.add_argument("targets", nargs="+", metavar="URL_OR_ID")
    recrawl.add_argument("--mirror", metavar="URL", help="send Naver requests to this mirror instead (offline)")
    common(recrawl, None)

    reindex = commands.add_parser("reindex", help="rebuild the folder's state from its Markdown files")
    reindex.add_argument("--out", metavar="DIR", help="Markdown folder (default: OUTPUT_DIR setting, 'output')")

    demo = commands.add_parser("demo", help="crawl the bundled sample pages from a local mirror (offline)")
    common(demo, "output")
    return parser


def read_ids_file(path: str) -> list[str]:
    """Ids and URLs from a file, one per line; blank lines and # comments skipped."""
    from crawler.ids import InvalidArticleId, parse_article_ref

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UsageError(f"cannot read ids file {path!r}: {error.strerror}") from None
    values = []
    for number, line in enumerate(lines, 1):
        value = line.split("#", 1)[0].strip() if not line.lstrip().startswith("http") else line.strip()
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


def build_settings(args: argparse.Namespace, mirror: str | None) -> Any:
    """Project settings, overridden by what the options say; every value checked before crawling."""
    from crawler.durations import parse_duration
    from crawler.middlewares.mirror import MirrorError, check_mirror
    from pipelines.markdown import PathTemplateError, check_path_template

    settings = project_settings()
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"invalid setting {pair!r}: expected NAME=VALUE")
        settings.set(name, value, priority="cmdline")
    if args.out:
        settings.set("OUTPUT_DIR", args.out, priority="cmdline")
    if args.path_template:
        settings.set("MARKDOWN_PATH_TEMPLATE", args.path_template, priority="cmdline")
    if args.user_agent:
        settings.set("USER_AGENT", args.user_agent, priority="cmdline")
    if mirror:
        settings.set("NAVER_MIRROR", mirror, priority="cmdline")
    settings.set("LOG_LEVEL", "DEBUG" if args.verbose else "ERROR" if args.quiet else "WARNING", priority="cmdline")
    try:
        check_path_template(settings["MARKDOWN_PATH_TEMPLATE"])
        if settings["NAVER_MIRROR"]:
            check_mirror(settings["NAVER_MIRROR"])
        for name in ("REFRESH_WINDOW", "RECHECK_INTERVAL", "GONE_RETRY_INTERVAL", "GONE_RETRY_MAX"):
            try:
                parse_duration(settings[name])
            except ValueError as error:
                raise UsageError(f"{name}: {error}") from None
    except (PathTemplateError, MirrorError) as error:
        raise UsageError(str(error)) from None
    return settings


def run_crawl(settings: Any, jobs: list[Any], listed: frozenset[str] | None) -> int:
    """Run the jobs, print a line per article outcome in `listed`, and the summary.

    Returns the exit code. The folder's lock is taken first, so a busy folder is refused
    with one line before Scrapy starts.
    """
    from crawler.runner import run_jobs
    from crawler.summary import format_sources, format_summary
    from pipelines.state import FolderBusy, FolderLock

    out_dir = settings["OUTPUT_DIR"]

    def print_outcome(article: Any, outcome: str, detail: str) -> None:
        if listed is None or outcome in listed:
            print(f"{outcome:<11} {article}  {detail}".rstrip(), flush=True)

    try:
        with FolderLock(out_dir):
            result = run_jobs(settings, jobs, print_outcome)
    except FolderBusy as error:
        print(f"naver-news: {error}", file=sys.stderr)
        return EXIT_BUSY
    for line in format_sources(result.stats):
        print(line)
    reason = result.finish_reason
    print(f"{'done' if reason == 'finished' else reason}: {format_summary(result.stats, out_dir)}", flush=True)
    if reason == "finished":
        return EXIT_OK
    return EXIT_INTERRUPTED if reason == "shutdown" else EXIT_CRASH


def listed_outcomes(args: argparse.Namespace, every: bool = False) -> frozenset[str] | None:
    """Which outcomes get a line: none with -q, all with -v (or `every`), else LISTED_OUTCOMES."""
    from crawler.outcome import OUTCOMES

    if args.quiet:
        return frozenset()
    return frozenset(OUTCOMES) if args.verbose or every else LISTED_OUTCOMES


def checked_targets(values: list[str]) -> list[str]:
    """The values, once each is known to name an article; else UsageError naming the first bad one."""
    from crawler.ids import InvalidArticleId, parse_article_ref

    try:
        for value in values:
            parse_article_ref(value)
    except InvalidArticleId as error:
        raise UsageError(str(error)) from None
    return values


def crawl_command(args: argparse.Namespace) -> int:
    from crawler.ids import InvalidArticleId
    from crawler.targets import Targets, plan

    ids = args.ids + (read_ids_file(args.ids_file) if args.ids_file else [])
    targets = Targets(ids=ids, urls=args.urls, press=args.press, sections=args.section, follow=args.follow,
                      date=args.date or "", to=args.to or "", since=args.since or "", yes=args.yes,
                      start_aid=args.start_aid or "", max_misses=args.max_misses or "")
    settings = build_settings(args, args.mirror)
    try:
        jobs = plan(targets, settings)
    except (ValueError, InvalidArticleId) as error:
        raise UsageError(str(error)) from None
    return run_crawl(settings, jobs, listed_outcomes(args))


def recrawl_command(args: argparse.Namespace) -> int:
    from crawler.targets import Job

    targets = checked_targets(args.targets)
    urls = [value for value in targets if "://" in value]
    ids = [value for value in targets if "://" not in value]
    settings = build_settings(args, args.mirror)
    return run_crawl(settings, [Job("article", {"ids": ids, "urls": urls, "force": True})],
                     listed_outcomes(args, every=True))


def demo_command(args: argparse.Namespace) -> int:
    from crawler.demo.server import serving
    from crawler.demo.site import DEMO_IDS, DEMO_URLS, demo_site
    from crawler.targets import Job

    site = demo_site()
    with serving(site) as mirror:
        print(f"Serving {len(site.articles) + len(site.pages)} sample Naver pages at {mirror} "
              "(a local mirror: nothing leaves this machine)", flush=True)
        settings = build_settings(args, mirror)
        return run_crawl(settings, [Job("article", {"ids": DEMO_IDS, "urls": DEMO_URLS})], listed_outcomes(args))


def reindex_command(args: argparse.Namespace) -> int:
    from pipelines.reindex import reindex
    from pipelines.state import FolderBusy

    out_dir = Path(args.out or project_settings()["OUTPUT_DIR"])
    if not out_dir.is_dir():
        raise UsageError(f"no such folder {str(out_dir)!r}")
    try:
        report = reindex(out_dir)
    except FolderBusy as error:
        print(f"naver-news: {error}", file=sys.stderr)
        return EXIT_BUSY
    for line in report.problems:
        print(f"not indexed {line}")
    print(f"reindexed {report.indexed} article files in {out_dir}; {len(report.problems)} not indexed, "
          f"{report.other_files} other files left alone")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        commands = {"crawl": crawl_command, "recrawl": recrawl_command, "reindex": reindex_command,
                    "demo": demo_command}
        return commands[args.command](args)
    except UsageError as error:
        print(f"naver-news: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
