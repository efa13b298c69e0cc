"""An output folder's own corner (`.naver-news/`), its one-writer lock, and its Markdown files."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

STATE_DIR = ".naver-news"


def state_dir(out_dir: str | Path) -> Path:
    """Where a folder keeps its state, lock, and evidence of failed pages."""
    return Path(out_dir) / STATE_DIR


def markdown_files(out_dir: Path) -> Iterator[Path]:
    """Every Markdown file of a folder, in path order, outside its state folder."""
    for path in sorted(out_dir.rglob("*.md")):
        if STATE_DIR not in path.relative_to(out_dir).parts:
            yield path


class FolderBusy(RuntimeError):
    """Another process is writing to this output folder; the message names it."""


class FolderLock:
    """An exclusive flock on `{out}/.naver-news/lock`: the kernel drops it when the holder dies,
    so a crashed run never leaves it stuck. Re-entrant within one process."""

    _held: dict[Path, tuple[int, int]] = {}  # lock path → (fd, holders)

    def __init__(self, out_dir: str | Path) -> None:
        self.path = (state_dir(out_dir) / "lock").resolve()

    def acquire(self) -> None:
        if self.path in self._held:
            fd, holders = self._held[self.path]
            self._held[self.path] = (fd, holders + 1)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 100).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise FolderBusy(f"another naver-news run (pid {holder}) is writing to "
                             f"{self.path.parent.parent}; try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._held[self.path] = (fd, 1)

    def release(self) -> None:
        fd, holders = self._held.pop(self.path)
        if holders > 1:
            self._held[self.path] = (fd, holders - 1)
        else:
            os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
