"""Serve a Site on 127.0.0.1 as a Naver mirror: GET /HOST/PATH?QUERY answers for https://HOST/PATH?QUERY."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.demo.site import Site


class _MirrorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's client expects of a real site
    site: Site
    base: str

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.site.delay:
            time.sleep(self.site.delay)
        reply = self.site.reply("https://" + self.path.lstrip("/"))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.location:
            self.send_header("Location", f"{self.base}/{reply.location.split('://', 1)[1]}")
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawler's own log says what was fetched."""


@contextmanager
def serving(site: Site, port: int = 0) -> Iterator[str]:
    """Run the mirror in a background thread for the duration; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _MirrorHandler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = type("Handler", (_MirrorHandler,), {"site": site, "base": base})
    thread = threading.Thread(target=server.serve_forever, name="naver-mirror", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
