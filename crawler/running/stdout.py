"""Bytes to standard output, for what other programs read: the archive's helper answering
its crawl, and `export --to -` feeding a pipe."""
from __future__ import annotations

import io
import os
import sys


def binary_stdout() -> io.BufferedWriter:
    """Standard output as a BufferedWriter, whatever PYTHONUNBUFFERED says (many containers
    set it): under it `sys.stdout.buffer` is the raw file, whose write stops short when a
    signal (Ctrl-Z, a profiler attaching) interrupts it with the pipe full, and the rest
    was lost. A BufferedWriter writes every byte. Closing it leaves the descriptor open."""
    return open(sys.stdout.fileno(), "wb", closefd=False)


def discard_stdout() -> None:
    """The reader is gone (a broken pipe): whatever is still buffered for it goes nowhere,
    so that no flush at exit fails and prints a traceback."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
