"""Markdown export: one file per article, written atomically where the path template puts it."""
from __future__ import annotations

import sqlite3
import string
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.items import Article
from crawler.running.outcome import report_outcome
from crawler.sources.ids import parse_article_ref
from pipelines.article_file import render
from pipelines.folder import STATE_DIR, under, write_atomically
from pipelines.state import StateExtension

TEMPLATE_FIELDS = frozenset({"year", "month", "day", "id", "oid", "aid"})


class PathTemplateError(ValueError):
    """A MARKDOWN_PATH_TEMPLATE that cannot name article files; the message quotes it."""


def check_path_template(template: str) -> str:
    """Accept only templates that name `.md` files inside the folder, outside its state
    folder, by plain field substitution (no format specs or conversions)."""
    try:
        parsed = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError as error:
        raise PathTemplateError(f"invalid path template {template!r}: {error}") from None
    names = {name for name, _, _ in parsed}
    if any(spec or conversion for _, spec, conversion in parsed):
        raise PathTemplateError(f"invalid path template {template!r}: only plain fields like {{id}}, "
                                "no format specs or conversions")
    unknown = names - TEMPLATE_FIELDS
    if unknown:
        raise PathTemplateError(f"invalid path template {template!r}: unknown field "
                                f"{{{sorted(unknown)[0]}}} (known: {', '.join(sorted(TEMPLATE_FIELDS))})")
    if "id" not in names and not {"oid", "aid"} <= names:
        raise PathTemplateError(f"invalid path template {template!r}: it must contain {{id}} or both "
                                "{oid} and {aid}, or articles would overwrite each other")
    parts = Path(template).parts
    if template.startswith("/") or ".." in parts or (parts and parts[0] == STATE_DIR):
        raise PathTemplateError(f"invalid path template {template!r}: it must stay inside the output folder, "
                                f"outside {STATE_DIR}/")
    if not template.endswith(".md") or template.endswith("/.md"):
        raise PathTemplateError(f"invalid path template {template!r}: it must name .md files, like {{id}}.md")
    return template


def relative_path(template: str, article: Article) -> str:
    """Where an article goes under the output folder: by its publication date (KST) and id."""
    date = article["published_at"]
    return template.format(year=date[:4], month=date[5:7], day=date[8:10],
                           id=article["id"], oid=article["oid"], aid=article["aid"])


class MarkdownExportPipeline:
    """Renders each new or edited article per the output contract and writes it under
    OUTPUT_DIR; the state records the file only once it is in place."""

    def __init__(self, out_dir: Path, template: str, extra_keys: tuple[str, ...], crawler: Crawler) -> None:
        self.out_dir = out_dir
        self.template = template
        self.extra_keys = extra_keys
        self.crawler = crawler
        self.extension = crawler.get_extension(StateExtension)
        self.state = self.extension.state
        # A reparse says so of every file it writes.
        self.reparse = crawler.settings.getbool("NAVER_NEWS_REPARSE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkdownExportPipeline:
        settings = crawler.settings
        extra_keys = ("modified_at",) if settings.getbool("MARKDOWN_WRITE_MODIFIED_AT") else ()
        return cls(Path(settings["OUTPUT_DIR"]), check_path_template(settings["MARKDOWN_PATH_TEMPLATE"]),
                   extra_keys, crawler)

    def process_item(self, item: Article) -> Article:
        path = relative_path(self.template, item)
        target = under(self.out_dir, path)
        try:
            self.keep_aliases(item)
            self.state.intend(path, item.get("archived", ""))
            # The folder is synced by the state's commit, once for the files it records.
            write_atomically(target, render(item, self.extra_keys), sync_folder=False)
            # A reparsed page was fetched when it was archived, not now.
            outcome = self.state.record_file(item, path, when=item["crawled_at"] if self.reparse else None)
        except (OSError, sqlite3.Error) as error:
            raise self.extension.not_kept(item, error) from None
        outcome = "reparsed" if self.reparse else outcome
        report_outcome(self.crawler, item["id"], outcome, target)
        return item

    def keep_aliases(self, item: Article) -> None:
        """An alias must never be the only copy of anything: before its holder's file takes
        new content, each alias gets a file of its own from the holder's current one."""
        known = self.state.known(item["id"])
        if not known or not known.path or known.content_hash == item["content_hash"]:
            return
        aliases = self.state.aliases_of(item["id"])
        holder = self.state.verified_file(known.path, known.content_hash) if aliases else None
        for alias_id in aliases:
            if holder is None:  # the holder's file is broken: fetch the alias again instead
                self.state.forget_fetch(alias_id)
                continue
            alias = parse_article_ref(alias_id)
            fields = {**holder.fields, "id": alias.key, "oid": alias.oid, "aid": alias.aid, "url": alias.url,
                      "content": holder.content}
            path = relative_path(self.template, fields)
            target = under(self.out_dir, path)
            self.state.intend(path)
            write_atomically(target, render(fields, self.extra_keys))
            outcome = self.state.record_file(fields, path, when=holder.fields.get("crawled_at"))
            report_outcome(self.crawler, alias.key, outcome, f"{target} (its twin {item['id']} changed)")
