"""Shared test helpers: a local Naver mirror, the real `naver-news` command, article-file checks."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from crawler.demo.server import serving
from crawler.demo.site import Site, demo_site
from pipelines.article_file import FRONT_MATTER_KEYS, ArticleFile, read

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
# The console script installed next to this Python (pip install -e .): the real command.
NAVER_NEWS = Path(sys.executable).parent / "naver-news"
# Loopback only: lift the polite delays so end-to-end runs take a second, not ten.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


# Files a test put in a folder itself (a legacy seed copy, notes, a README): not the crawler's.
_placed: set[Path] = set()


def place(path: Path, text: str) -> Path:
    """Write a file that is not the crawler's, so the check below leaves it alone."""
    path.write_text(text, encoding="utf-8")
    _placed.add(path)
    return path


@pytest.fixture(autouse=True)
def every_written_article_checks_out(tmp_path: Path) -> Iterator[None]:
    """After every test, every Markdown file in its folders loads with yaml.safe_load (ids as
    strings) and its content_hash matches its body: the contract, held by every test."""
    yield
    for path in tmp_path.rglob("*.md"):
        if path not in _placed and ".naver-news" not in path.parts:
            checked_article(path)


@pytest.fixture
def site() -> Site:
    return demo_site()


@pytest.fixture
def mirror(site: Site) -> Iterator[str]:
    with serving(site) as base:
        yield base


def naver_news(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    assert NAVER_NEWS.exists(), f"{NAVER_NEWS} missing: install the project with pip install -e ."
    return subprocess.run([str(NAVER_NEWS), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def checked_article(path: Path) -> ArticleFile:
    """Load a written article file the way users' tools will, and hold it to the contract."""
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n") and "\r" not in text
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert list(front) == list(FRONT_MATTER_KEYS), path
    for key in ("id", "oid", "aid", "crawled_at", "title"):
        assert isinstance(front[key], str), (path, key, front[key])
    assert front["id"] == f"{front['oid']}_{front['aid']}" == path.stem
    article = read(text)
    expected = {key: "" if value is None else str(value) for key, value in front.items()}
    expected["title"] = html.unescape(expected["title"])  # written escaped, read back as text
    assert article.fields == expected
    assert article.hash_ok, f"{path}: content_hash does not match the body"
    return article


def article_files(out: Path) -> dict[str, ArticleFile]:
    """Every article file under `out`, checked, by id; fails on leftover temp files."""
    assert not [p for p in out.rglob("*") if p.name.startswith(".naver-news-")], "temp files left behind"
    return {path.stem: checked_article(path) for path in sorted(out.rglob("*.md"))}


def summary(stdout: str) -> dict[str, int]:
    """The counts of the run summary line (`done: requested 9, written 6 (new 6, …) → out`)."""
    lines = [line for line in stdout.splitlines() if re.match(r"^\w+: requested \d+", line)]
    assert len(lines) == 1, stdout
    counts = {name: int(number) for name, number in re.findall(r"([a-z]+) (\d+)", lines[0].split(" → ")[0])}
    counts["finished"] = lines[0].startswith("done:")
    return counts
