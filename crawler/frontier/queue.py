"""The shared queue's entries: scrapy-redis's FIFO queue, with callbacks named cheaply.

Scrapy's `Request.to_dict(spider=…)` finds a callback's name by walking every member of
the spider (`inspect.getmembers`), a tenth of a millisecond per request: on the archive
side, which seeds and checks every request of a run, that is a good part of its work."""
from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy_redis.queue import FifoQueue


class _Callbacks:
    """Where `to_dict` looks a callback's name up: just the request's own, by their names
    (the spider's methods they are, as the receiving side looks them up by that name)."""

    def __init__(self, request: Request) -> None:
        for method in (request.callback, request.errback):
            if method is not None and hasattr(method, "__func__"):
                setattr(self, method.__name__, method)


def request_dict(request: Request) -> dict[str, Any]:
    """`request.to_dict(spider=…)` for a request whose callbacks are its spider's methods."""
    return request.to_dict(spider=_Callbacks(request))  # type: ignore[arg-type]


class SharedQueue(FifoQueue):
    def _encode_request(self, request: Request) -> bytes:
        return self.serializer.dumps(request_dict(request))

    def push_all(self, requests: list[Request]) -> None:
        """Many requests in one round trip, in order."""
        if requests:
            self.server.lpush(self.key, *(self._encode_request(request) for request in requests))
