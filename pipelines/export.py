"""`naver-news export`: take a selection of an archive elsewhere, without the network.

Markdown files are copied byte for byte (atomically) into another folder, in the same
or another layout; or every selected article becomes one JSON object per line (Scrapy's
JSON lines exporter) with every front-matter field and the content.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from scrapy.exporters import JsonLinesItemExporter

from crawler.sources.ids import SECTIONS
from pipelines.article_file import (
    FRONT_MATTER_KEYS,
    ArticleFile,
    ArticleFileError,
    read,
)
from pipelines.folder import markdown_files, write_atomically
from pipelines.markdown import check_path_template, relative_path

FLAT = "{id}.md"


@dataclass
class Selection:
    since: date | None = None        # published on or after (KST)
    until: date | None = None        # published on or before
    press: set[str] = field(default_factory=set)      # oids
    sections: set[str] = field(default_factory=set)   # sid1 numbers or section names
    # Told of each article file left out because it is broken (`path: why`).
    on_problem: Callable[[str], None] = field(default=lambda problem: None, repr=False)

    def __post_init__(self) -> None:
        self.categories = {SECTIONS.get(section, section) for section in self.sections}

    def wants(self, fields: dict[str, str]) -> bool:
        day = fields.get("published_at", "")[:10]
        return ((not self.since or day >= self.since.isoformat())
                and (not self.until or day <= self.until.isoformat())
                and (not self.press or fields.get("oid") in self.press)
                and (not self.categories or fields.get("category") in self.categories))


def selected(source: Path, selection: Selection) -> Iterator[tuple[Path, bytes, ArticleFile]]:
    """The article files under `source` the selection wants, in path order."""
    for path in markdown_files(source):
        data = path.read_bytes()
        if not data.startswith(b"---"):
            continue  # a README or notes: not an article
        try:
            article = read(data.decode("utf-8"))
        except (ArticleFileError, UnicodeDecodeError) as error:
            selection.on_problem(f"{path}: {error}")
            continue
        if not article.hash_ok:
            selection.on_problem(f"{path}: content_hash does not match the body (a damaged file)")
        elif selection.wants(article.fields):
            yield path, data, article


def export_markdown(source: Path, target: Path, selection: Selection, layout: str | None = None) -> int:
    """Copy the selected files; `layout` is a path template ('flat' for `{id}.md`), or keep
    each file's path as it is under `source`. Returns how many were copied."""
    template = check_path_template(FLAT if layout == "flat" else layout) if layout else None
    count = 0
    for path, data, article in selected(source, selection):
        relative = relative_path(template, article.fields) if template else path.relative_to(source).as_posix()
        write_atomically(target / relative, data)
        count += 1
    return count


def export_jsonl(source: Path, stream: BinaryIO, selection: Selection) -> int:
    """One JSON object per selected article: every front-matter field, then `content`."""
    exporter = JsonLinesItemExporter(stream, encoding="utf-8")
    exporter.start_exporting()
    count = 0
    for _, _, article in selected(source, selection):
        record = {key: article.fields.get(key, "") for key in FRONT_MATTER_KEYS}
        record.update({key: value for key, value in article.fields.items() if key not in record})
        record["content"] = article.content
        exporter.export_item(record)
        count += 1
    exporter.finish_exporting()
    return count
