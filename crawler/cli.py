"""The `naver-news` command: thin. It checks the input, builds settings, starts a CrawlerProcess.

Exit codes: 0 the run completed (gone or unsupported articles included), 1 the run
crashed or did not finish, 2 bad input (one line naming the value; nothing crawled),
130 stopped by Ctrl-C/SIGTERM after a graceful shutdown.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Sequence

EXIT_OK, EXIT_CRASH, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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

    crawl = commands.add_parser("crawl", help="fetch articles by id or URL")
    crawl.add_argument("--id", action="append", default=[], dest="ids", metavar="OID/AID",
                       help="article id, e.g. 648/0000043044 (repeatable)")
    crawl.add_argument("--url", action="append", default=[], dest="urls", metavar="URL",
                       help="article URL in any Naver form (repeatable)")
    crawl.add_argument("--ids-file", metavar="FILE", help="file with one id or URL per line (# comments)")
    crawl.add_argument("--mirror", metavar="URL", help="send Naver requests to this mirror instead (offline)")
    common(crawl, None)

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


def build_settings(args: argparse.Namespace, mirror: str | None) -> Any:
    """Project settings, overridden by what the options say; every value checked before crawling."""
    from scrapy.settings import Settings

    from crawler.middlewares.mirror import MirrorError, check_mirror
    from pipelines.markdown import PathTemplateError, check_path_template

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
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
    except (PathTemplateError, MirrorError) as error:
        raise UsageError(str(error)) from None
    return settings


def run_crawl(settings: Any, spider: str, quiet: bool, **spider_args: Any) -> int:
    """Run one spider to the end, print each file written and the summary; the exit code."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.summary import format_summary
    from pipelines.markdown import relative_path

    out_dir = settings["OUTPUT_DIR"]
    template = settings["MARKDOWN_PATH_TEMPLATE"]
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)

    def written(item: Any) -> None:
        if not quiet:
            print(f"wrote {os.path.join(out_dir, relative_path(template, item))}", flush=True)

    crawler.signals.connect(written, signal=signals.item_scraped)
    process.crawl(crawler, **spider_args)
    process.start()
    stats = crawler.stats.get_stats()
    reason = stats.get("finish_reason")
    print(f"{'done' if reason == 'finished' else reason}: {format_summary(stats, out_dir)}", flush=True)
    if reason == "finished":
        return EXIT_OK
    return EXIT_INTERRUPTED if reason == "shutdown" else EXIT_CRASH


def crawl_command(args: argparse.Namespace) -> int:
    from crawler.ids import InvalidArticleId, parse_article_ref

    ids = args.ids + (read_ids_file(args.ids_file) if args.ids_file else [])
    if not ids and not args.urls:
        raise UsageError("nothing to crawl: give --id, --url or --ids-file")
    try:
        for value in ids + args.urls:  # refuse the whole run on the first bad value
            parse_article_ref(value)
    except InvalidArticleId as error:
        raise UsageError(str(error)) from None
    settings = build_settings(args, args.mirror)
    return run_crawl(settings, "article", args.quiet, ids=ids, urls=args.urls)


def demo_command(args: argparse.Namespace) -> int:
    from crawler.demo.server import serving
    from crawler.demo.site import DEMO_IDS, DEMO_URLS, demo_site

    site = demo_site()
    with serving(site) as mirror:
        print(f"Serving {len(site.articles) + len(site.pages)} sample Naver pages at {mirror} "
              "(a local mirror: nothing leaves this machine)", flush=True)
        settings = build_settings(args, mirror)
        return run_crawl(settings, "article", args.quiet, ids=DEMO_IDS, urls=DEMO_URLS)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return {"crawl": crawl_command, "demo": demo_command}[args.command](args)
    except UsageError as error:
        print(f"naver-news: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
