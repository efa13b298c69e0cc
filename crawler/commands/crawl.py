"""`scrapy crawl`, Scrapy's own, with bad input refused as `naver-news` refuses it: one line
naming the value (`naver-news: error: …`), exit 2, no traceback, nothing fetched.

Spiders check their `-a` arguments when they are created, and the state and settings are
checked when the crawler starts; Scrapy would print those errors as tracebacks.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.frontier.connection import FrontierError
from crawler.running.jobs import check_setting
from pipelines.folder import FolderBusy
from pipelines.state import StateError

EXIT_USAGE, EXIT_BUSY = 2, 3


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        for pair in opts.set:
            name, _, value = pair.partition("=")
            try:
                check_setting(name, value)
            except ValueError as error:
                raise UsageError(str(error), print_help=False) from None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        assert self.crawler_process
        refusals: list[int] = []

        def refuse(error: BaseException) -> None:
            if not isinstance(error, (ValueError, StateError, FolderBusy, FrontierError)):
                raise error
            print(f"naver-news: error: {error}", file=sys.stderr)
            refusals.append(EXIT_BUSY if isinstance(error, FolderBusy) else error.exit_code
                            if isinstance(error, FrontierError) else EXIT_USAGE)

        started: Any = self.crawler_process.crawl(self._create_crawler(args[0]), **opts.spargs)
        if isinstance(started, Deferred):
            started.addErrback(lambda failure: refuse(failure.value) if isinstance(failure, Failure) else None)
        else:
            started.add_done_callback(lambda task: task.cancelled() or task.exception() is None
                                      or refuse(task.exception()))
        self.crawler_process.start()
        if refusals:
            self.exitcode = refusals[0]
        elif self.crawler_process.bootstrap_failed:
            self.exitcode = 1



