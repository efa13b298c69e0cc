"""The `worker` spider: fetch for whatever run the archive side announces on Redis.

    naver-news worker --redis redis://HOST:6379/0
    scrapy crawl worker -s REDIS_URL=redis://HOST:6379/0

It has no folder and writes nothing: its scheduler (crawler.frontier.scheduler) takes
requests from the run's shared queue and delivers what the job spider's callbacks make
of them. It serves run after run until it is stopped (Ctrl-C, SIGTERM), and then gives
back what it holds.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from crawler import settings as project
from crawler.spiders.article import ArticlePageSpider


class WorkerSpider(scrapy.Spider):
    name = "worker"
    # What the archive side alone does (the state, the files, the summary) is off here.
    custom_settings = {
        "NAVER_NEWS_WORKER": True,
        "SCHEDULER": "crawler.frontier.scheduler.WorkerScheduler",
        "ITEM_PIPELINES": {path: None for path in project.ITEM_PIPELINES},
        "SPIDER_MIDDLEWARES": {path: None for path in project.SPIDER_MIDDLEWARES},
        "EXTENSIONS": {path: None for path in project.EXTENSIONS},
    }
    handle_httpstatus_list = ArticlePageSpider.handle_httpstatus_list

    async def start(self) -> AsyncIterator[Any]:
        return  # the work comes from the shared queue
        yield
