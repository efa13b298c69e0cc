"""The web archive's helper process: on the other core, it builds the WARC record pairs
(`archived_pair`) of the crawl that started it, and reads the article pages among them
(`read_page`) from the same copy of the bytes.

Hashing and gzipping a 270 KB page takes ~1 ms, and most of it lets go of the GIL, so it
once ran in threads beside the reactor. Measured, those threads cost the crawl three times
their own work: every time one took the GIL back, the reactor waited for it. Here the
reactor only writes each exchange into a pipe and reads the answer back, without a thread.
Reading an article page (parse and extraction, ~1 ms, a quarter of the reactor's time per
article) rides along: the page is in the helper already, and the answer, a `Page`, is small.

In go pickled `Job`s, one after another; out come frames of a 4-byte length and `P` and
the pickled answer (the pair, and the `Page` or None), or `E` and what went wrong, in the
order asked. A page that fails to be read is answered with None: the spider reads it
again and fails as it would have. The helper ends when its input does (the crawl closed
it, or ended), and ignores Ctrl-C and SIGTERM, which are the crawl's to handle: it
answers what is in flight while the crawl stops.
"""
from __future__ import annotations

import fcntl
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import Any, NamedTuple

from twisted.internet import fdesc, main, protocol
from twisted.internet.defer import Deferred, succeed
from twisted.internet.error import ProcessExitedAlready
from twisted.internet.interfaces import IReadDescriptor
from twisted.python.failure import Failure
from zope.interface import implementer

from crawler.archive.warc_files import Exchange, archived_pair
from crawler.reading.article_page import Page, read_page
from crawler.running.stdout import binary_stdout, discard_stdout

HEADER = 4
# A pipe this large takes a page in one write instead of four (Linux; a default is 64 KB).
PIPE_BYTES = 1 << 20
# Jobs sent and not yet answered: enough that the helper never waits for the next one.
IN_FLIGHT = 8


class Job(NamedTuple):
    """One response for the helper: its exchange, and, when the spider will read it as an
    article page, how: (the response's encoding, the URL crawled)."""

    exchange: Exchange
    read_as: tuple[str, str] | None = None


class HelperError(RuntimeError):
    """The helper could not build a pair, or is gone; the message says which."""


class RecordHelper(protocol.ProcessProtocol):
    """The crawl's side: `build` sends a job and gives a Deferred of its answer: the record
    pair, and the page read (or None). The process starts with the first job (a run that
    fetches nothing starts none); `lost` is called once, with a message, if it ends before
    `close`."""

    def __init__(self, reactor: Any, lost: Callable[[str], None]) -> None:
        self.reactor = reactor
        self.lost = lost
        self.queued: deque[tuple[Job, Deferred[tuple[bytes, Page | None]]]] = deque()  # not sent yet
        self.waiting: deque[Deferred[tuple[bytes, Page | None]]] = deque()  # sent, in order
        self.received = bytearray()
        self.started = self.closing = self.ended = False
        self.exited: Deferred[None] = Deferred()  # fired once the process is reaped

    def build(self, job: Job) -> Deferred[tuple[bytes, Page | None]]:
        if self.ended:
            raise HelperError("the web archive's helper process has ended")
        if not self.started:
            self.start()
        answer: Deferred[tuple[bytes, Page | None]] = Deferred()
        self.queued.append((job, answer))
        self.send()
        return answer

    def send(self) -> None:
        """Hand the helper jobs while fewer than `IN_FLIGHT` are in its pipe. The others wait
        as they are: a job sent is a pickled copy of its page until the helper reads it."""
        while self.queued and len(self.waiting) < IN_FLIGHT:
            job, answer = self.queued.popleft()
            # One bytes object, and a pickle is its own frame: Twisted then hands it to the
            # pipe without joining it to anything, which would copy the page once more.
            self.transport.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            self.waiting.append(answer)

    def start(self) -> None:
        self.started = True
        # The helper imports what this process imports, from where it imports it; it starts
        # where this `crawler` package is, since `-m` looks in the working folder first.
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        answers, into = os.pipe()
        self.reactor.spawnProcess(self, sys.executable, [sys.executable, "-m", __name__], env=environment,
                                  path=package_root, childFDs={0: "w", 1: into, 2: 2})
        os.close(into)
        self.reactor.addReader(AnswerReader(answers, self.answered))

    def connectionMade(self) -> None:
        try:
            fcntl.fcntl(self.transport.pipes[0].fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (AttributeError, OSError):
            pass  # not Linux, or a lower limit: smaller writes, same answers

    def answered(self, data: bytes) -> None:
        self.received += data
        while len(self.received) >= HEADER and not self.ended:
            end = HEADER + int.from_bytes(self.received[:HEADER], "big")
            if len(self.received) < end:
                return
            kind, answer = self.received[HEADER:HEADER + 1], bytes(self.received[HEADER + 1:end])
            del self.received[:end]
            try:
                if kind not in (b"P", b"E") or not self.waiting:
                    raise ValueError(f"frame {bytes(kind)!r} with {len(self.waiting)} answers awaited")
                built = pickle.loads(answer) if kind == b"P" else None
            except Exception as error:  # whatever the bytes, what follows them cannot be trusted either
                with suppress(ProcessExitedAlready):
                    self.transport.signalProcess("KILL")
                self.end(f"the web archive's helper process gave an answer that cannot be read "
                         f"({type(error).__name__}: {error}): nothing more can be archived")
                return
            if kind == b"P":
                self.waiting.popleft().callback(built)
            else:
                self.waiting.popleft().errback(HelperError(answer.decode("utf-8", "replace")))
            self.send()

    def processEnded(self, reason: Failure) -> None:
        code = getattr(reason.value, "exitCode", None)
        signal_number = getattr(reason.value, "signal", None)
        how = f"killed by signal {signal_number}" if signal_number else f"exit code {code}"
        self.end(f"the web archive's helper process ended ({how}): nothing more can be archived")
        self.exited.callback(None)

    def end(self, message: str) -> None:
        """The helper is of no more use (gone, or its answers garbled): fail what waits for
        it, and, unless the crawl was closing it, say so once."""
        if self.ended:
            return
        self.ended = True
        self.waiting.extend(answer for _, answer in self.queued)
        self.queued.clear()
        while self.waiting:
            self.waiting.popleft().errback(HelperError(message))
        if not self.closing:
            self.lost(message)

    def close(self) -> Deferred[None]:
        """End the helper once it has answered what it was asked; the Deferred fires when it
        has, so a crawl leaves no process behind (and its CPU counts in the crawl's own)."""
        self.closing = True
        if not self.started:
            return succeed(None)
        if not self.ended:
            self.transport.closeStdin()
        return self.exited


@implementer(IReadDescriptor)
class AnswerReader:
    """The helper's answers, read a pipe's worth at a time. Twisted's own process pipes read
    8 KB per turn of the reactor: a pair of 32 KB waited four turns, and with it the request."""

    def __init__(self, fd: int, received: Callable[[bytes], None]) -> None:
        fdesc.setNonBlocking(fd)
        self.fd = fd
        self.received = received

    def fileno(self) -> int:
        return self.fd

    def doRead(self) -> Any:
        try:
            data = os.read(self.fd, PIPE_BYTES)
        except BlockingIOError:
            return None
        except OSError:
            return main.CONNECTION_LOST
        if not data:
            return main.CONNECTION_DONE  # the helper ended: processEnded says how
        self.received(data)
        return None

    def connectionLost(self, reason: Failure) -> None:
        os.close(self.fd)

    def logPrefix(self) -> str:
        return "warc-helper"


def handle(job: Job) -> tuple[bytes, Page | None]:
    """The record pair of a job's exchange, and its page read if asked (None if that fails)."""
    exchange, read_as = job
    pair = archived_pair(exchange)
    if read_as is None:
        return pair, None
    encoding, given_url = read_as
    try:
        return pair, read_page(exchange.body, encoding, exchange.url, given_url)
    except Exception:  # a bug: the spider reads it again, and fails where it can say so
        return pair, None


def serve() -> None:
    """The helper's loop: an answer for every frame, until the input ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    source, sink = sys.stdin.buffer, binary_stdout()
    while True:
        try:
            job = pickle.load(source)
        except (EOFError, pickle.UnpicklingError):
            return  # the crawl closed its end (or ended part way through a frame)
        try:
            frame = b"P" + pickle.dumps(handle(job), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a bug: the crawl fails that request and says why
            frame = b"E" + f"{job.exchange.url}: {type(error).__name__}: {error}".encode()
        try:
            sink.write(len(frame).to_bytes(HEADER, "big") + frame)
            sink.flush()
        except BrokenPipeError:  # the crawl is gone (killed, or forced to stop): nobody waits
            discard_stdout()
            return


if __name__ == "__main__":
    serve()
