"""FRONTIER_MAX_RPS: a cap on requests per second across every worker of a Redis, on top
of each worker's own pace (delay, concurrency, AutoThrottle, backoff). Counted in Redis,
in windows of Redis's own clock, so the workers' clocks do not matter."""
from __future__ import annotations

import math
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from crawler.frontier.connection import redis_client
from crawler.frontier.run import PREFIX

# The count of the current window, and the microseconds left in it.
COUNT = """
local now = redis.call('TIME')
local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
local window = tonumber(ARGV[1])
local key = KEYS[1] .. ':' .. math.floor(micros / window)
local count = redis.call('INCR', key)
if count == 1 then redis.call('PEXPIRE', key, math.ceil(window / 1000) + 1000) end
return {count, window - micros % window}
"""


class SharedRateLimit:
    def __init__(self, server: Any, rps: float) -> None:
        self.window = 1_000_000 if rps >= 1 else int(1_000_000 / rps)  # microseconds
        self.allowed = max(1, math.floor(rps * self.window / 1_000_000))
        self.count = server.register_script(COUNT)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRateLimit:
        rps = crawler.settings.getfloat("FRONTIER_MAX_RPS")
        if rps <= 0 or not crawler.settings.getbool("NAVER_NEWS_WORKER"):
            raise NotConfigured
        return cls(redis_client(crawler.settings), rps)

    async def process_request(self, request: Request) -> None:
        while True:
            count, left = self.count(keys=[f"{PREFIX}:rate"], args=[self.window])
            if count <= self.allowed:
                return
            await maybe_deferred_to_future(deferLater(reactor, left / 1_000_000, lambda: None))
