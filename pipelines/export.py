"""`naver-news export`: take a selection of an archive elsewhere, without the network.

Markdown files are copied byte for byte (atomically) into another folder, in the same
or another layout; or every selected article becomes one JSON object per line (Scrapy's
JSON lines exporter) or one row of a Parquet file, with every front-matter field and
the content; or a page of a Hugo site, whose front matter uses the keys Hugo reads
(`title` as text, `date`/`lastmod` as ISO 8601, `categories`, …) and never the ones it
owns (`url`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from scrapy.exporters import JsonLinesItemExporter

from crawler.sources.dates import korea_time
from crawler.sources.ids import SECTIONS
from pipelines.article_file import (
    FRONT_MATTER_KEYS,
    RULE,
    ArticleFile,
    ArticleFileError,
    read,
    yaml_quoted,
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


def record(article: ArticleFile) -> dict[str, str]:
    """Every front-matter field of an article, in the contract's order (then any extra keys),
    then `content`: one row of the JSON lines and Parquet exports."""
    row = {key: article.fields.get(key, "") for key in FRONT_MATTER_KEYS}
    row.update({key: value for key, value in article.fields.items() if key not in row})
    row["content"] = article.content
    return row


def export_jsonl(source: Path, stream: BinaryIO, selection: Selection) -> int:
    """One JSON object per selected article (`record`)."""
    exporter = JsonLinesItemExporter(stream, encoding="utf-8")
    exporter.start_exporting()
    count = 0
    for _, _, article in selected(source, selection):
        exporter.export_item(record(article))
        count += 1
    exporter.finish_exporting()
    return count


PARQUET_EXTRA = "naver-news[parquet]"
TIMES = ("published_at", "crawled_at", "modified_at")


class MissingExtra(RuntimeError):
    """An export that needs an optional package; the message names the extra to install."""


def export_parquet(source: Path, path: Path, selection: Selection) -> int:
    """One row per selected article (`record`): ids and text as strings, times as
    timestamps in Korea time (+09:00). Written atomically."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra(f"--format parquet needs pyarrow: pip install '{PARQUET_EXTRA}'") from None
    rows = [record(article) for _, _, article in selected(source, selection)]
    names = list(dict.fromkeys(name for row in rows for name in row)) or [*FRONT_MATTER_KEYS, "content"]
    columns = {}
    for name in names:
        values = [row.get(name, "") for row in rows]
        if name in TIMES:  # an empty time is null; an empty text stays "", as in the file
            columns[name] = pa.array([korea_time(value) for value in values], pa.timestamp("s", tz="+09:00"))
        else:
            columns[name] = pa.array(values, pa.string())
    buffer = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), buffer)
    write_atomically(path, buffer.getvalue().to_pybytes())
    return len(rows)


# Hugo's own keys for what the archive calls otherwise; `url` is Hugo's (the page's path).
HUGO_KEYS = ("title", "date", "lastmod", "categories", "authors", "publisher", "source", "id", "oid", "aid",
             "content_hash")


def hugo_page(article: ArticleFile, body: str) -> str:
    """An article as a Hugo page: front matter Hugo reads right, then the archive's own
    Markdown body (still escaped, so scraped text never becomes HTML)."""
    fields = article.fields
    published = korea_time(fields.get("published_at"))
    modified = korea_time(fields.get("modified_at")) or published
    values = {"title": yaml_quoted(fields.get("title", "")),
              "date": published.isoformat() if published else "",
              "lastmod": modified.isoformat() if modified else "",
              "categories": f"[{yaml_quoted(fields['category'])}]" if fields.get("category") else "[]",
              "authors": f"[{yaml_quoted(fields['author'])}]" if fields.get("author") else "[]",
              "publisher": yaml_quoted(fields.get("publisher", "")), "source": yaml_quoted(fields.get("url", "")),
              **{key: yaml_quoted(fields.get(key, "")) for key in ("id", "oid", "aid", "content_hash")}}
    return "\n".join([RULE, *(f"{key}: {values[key]}" for key in HUGO_KEYS), RULE, body])


def export_hugo(source: Path, target: Path, selection: Selection, layout: str | None = None) -> int:
    """One Hugo page per selected article, `{id}.md` under `target` (or `layout`)."""
    template = check_path_template(layout or FLAT)
    count = 0
    for _, data, article in selected(source, selection):
        text = data.decode("utf-8")
        body = text.split(f"\n{RULE}\n", 1)[1]  # everything after the front matter, as it is
        write_atomically(target / relative_path(template, article.fields), hugo_page(article, body))
        count += 1
    return count
