"""Serve a Site on 127.0.0.1 as a Naver mirror: GET /HOST/PATH?QUERY answers for https://HOST/PATH?QUERY."""
from __future__ import annotations

import sys
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
        # A reply may claim more than it sends (a connection cut mid-page): then it is closed.
        length = dict(reply.headers).get("Content-Length", str(len(reply.body)))
        self.close_connection = int(length) != len(reply.body)
        self.send_header("Content-Length", length)
        for name, value in reply.headers:
            if name != "Content-Length":
                self.send_header(name, value)
        if reply.location:
            self.send_header("Location", f"{self.base}/{reply.location.split('://', 1)[1]}")
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawler's own log says what was fetched."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A crawler that hangs up (killed, or done with a slow answer) is no error of the mirror's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(site: Site, port: int = 0) -> Iterator[str]:
    """Run the mirror in a background thread for the duration; yields its base URL."""
    server = _Server(("127.0.0.1", port), _MirrorHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = type("Handler", (_MirrorHandler,), {"site": site, "base": base})
    thread = threading.Thread(target=server.serve_forever, name="naver-mirror", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
