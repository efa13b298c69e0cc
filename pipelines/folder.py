"""An output folder's own corner (`.naver-news/`), its one-writer lock, its Markdown files, and
how any file in it is written: atomically, never half."""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

STATE_DIR = ".naver-news"
# The crawler's own temporary files, exactly (mkstemp adds 8 of [a-z0-9_]): a user's
# `.tmp-draft.md` beside the articles is never taken for one.
TEMP_PREFIX, TEMP_SUFFIX = ".naver-news-", ".part"
TEMP_NAME = re.compile(rf"{re.escape(TEMP_PREFIX)}[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Files are created as open() would create them (mkstemp alone would make them 0600).
FILE_MODE = 0o666 & ~_umask()


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


def under(out_dir: str | Path, relative: str) -> str:
    """An article's file path: `out_dir/relative`, as a string. Per-article paths are never
    pathlib objects: Python 3.11's pathlib interns every part of a path it parses, so each
    file name of a long run passed through the interpreter's table of interned strings, and
    the table grew with the run (~2 MB by 8,000 articles)."""
    return os.path.join(out_dir, relative)


def write_atomically(path: str | Path, content: str | bytes, sync_folder: bool = True) -> None:
    """Temp file in the same folder, fsync, rename: a reader sees the old file or the new, never half.
    Text is written as UTF-8 with `\n` line ends; bytes as they are. The rename is durable once
    the folder is synced: at once, or (`sync_folder=False`) by a `sync_directory` call of the
    caller's before it relies on the file (the state's commit, for article files)."""
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    if sync_folder:
        sync_directory(folder)


def sync_directory(folder: str | Path) -> None:
    """Make the names in a folder durable (a rename into it)."""
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def remove_stray_temp_files(folder: Path) -> None:
    """The crawler's temp files a killed run left in one folder it writes to (not below it).
    Only safe while holding the output folder's lock."""
    if folder.is_dir():
        for temp in folder.glob(f"{TEMP_PREFIX}*"):
            if TEMP_NAME.fullmatch(temp.name):
                temp.unlink(missing_ok=True)
