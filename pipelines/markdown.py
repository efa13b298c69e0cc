"""Markdown export: one file per article, written atomically where the path template puts it."""
from __future__ import annotations

import os
import string
import tempfile
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.items import Article
from crawler.outcome import report_outcome
from pipelines.article_file import render
from pipelines.state import StateExtension

TEMPLATE_FIELDS = frozenset({"year", "month", "day", "id", "oid", "aid"})
TEMP_PREFIX = ".tmp-"


class PathTemplateError(ValueError):
    """A MARKDOWN_PATH_TEMPLATE that cannot name article files; the message quotes it."""


def check_path_template(template: str) -> str:
    """Reject templates with unknown fields or that could write outside the folder."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise PathTemplateError(f"invalid path template {template!r}: {error}") from None
    unknown = names - TEMPLATE_FIELDS
    if unknown:
        raise PathTemplateError(f"invalid path template {template!r}: unknown field "
                                f"{{{sorted(unknown)[0]}}} (known: {', '.join(sorted(TEMPLATE_FIELDS))})")
    if "id" not in names and not {"oid", "aid"} <= names:
        raise PathTemplateError(f"invalid path template {template!r}: it must contain {{id}} or both "
                                "{oid} and {aid}, or articles would overwrite each other")
    if template.startswith("/") or ".." in Path(template).parts:
        raise PathTemplateError(f"invalid path template {template!r}: it must stay inside the output folder")
    return template


def relative_path(template: str, article: Article) -> str:
    """Where an article goes under the output folder: by its publication date (KST) and id."""
    date = article["published_at"]
    return template.format(year=date[:4], month=date[5:7], day=date[8:10],
                           id=article["id"], oid=article["oid"], aid=article["aid"])


def write_atomically(path: Path, content: str | bytes) -> None:
    """Temp file in the same folder, fsync, rename: a reader sees the old file or the new, never half.
    Text is written as UTF-8 with `\n` line ends; bytes as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def remove_stray_temp_files(out_dir: Path) -> None:
    """Temp files a killed run left behind. Only safe while holding the folder's lock."""
    for temp in out_dir.rglob(f"{TEMP_PREFIX}*"):
        temp.unlink(missing_ok=True)


class MarkdownExportPipeline:
    """Renders each new or edited article per the output contract and writes it under
    OUTPUT_DIR; the state records the file only once it is in place."""

    def __init__(self, out_dir: Path, template: str, extra_keys: tuple[str, ...], crawler: Crawler) -> None:
        self.out_dir = out_dir
        self.template = template
        self.extra_keys = extra_keys
        self.crawler = crawler
        self.state = crawler.get_extension(StateExtension).state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkdownExportPipeline:
        settings = crawler.settings
        extra_keys = ("modified_at",) if settings.getbool("MARKDOWN_WRITE_MODIFIED_AT") else ()
        return cls(Path(settings["OUTPUT_DIR"]), check_path_template(settings["MARKDOWN_PATH_TEMPLATE"]),
                   extra_keys, crawler)

    def open_spider(self) -> None:
        remove_stray_temp_files(self.out_dir)

    async def process_item(self, item: Article) -> Article:
        path = relative_path(self.template, item)
        # In a thread: open, write, fsync and rename wait on the disk, and the crawl goes on meanwhile.
        await maybe_deferred_to_future(deferToThread(write_atomically, self.out_dir / path,
                                                     render(item, self.extra_keys)))
        outcome = self.state.record_file(item, path)
        report_outcome(self.crawler, item["id"], outcome, str(self.out_dir / path))
        return item
