"""Evidence: the raw HTML of pages that broke extraction, under `{out}/.naver-news/failed/`.

Each file is the page as served (any charset), after a comment with its URL, when it was
fetched and why it was kept, so a developer can write the fix and a regression test from
the real page (`naver-news doctor FILE` reads it back). Bounded: the newest
FAILED_PAGES_KEEP files, each at most FAILED_PAGE_MAX_BYTES.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import PageEvidence
from crawler.sources.dates import now
from crawler.sources.ids import InvalidArticleId, id_from_url
from pipelines.folder import remove_stray_temp_files, state_dir, write_atomically

HEADER = re.compile(rb"\A<!-- naver-news evidence\nurl: (?P<url>\S+)\n")


def evidence_dir(out_dir: str | Path) -> Path:
    return state_dir(out_dir) / "failed"


def evidence_url(data: bytes) -> str | None:
    """The URL an evidence file was fetched from, or None for any other file."""
    match = HEADER.match(data)
    return match.group("url").decode() if match else None


def _name(url: str, when: datetime) -> str:
    try:
        article = id_from_url(url)
    except InvalidArticleId:
        article = None
    slug = article.key if article else "page-" + hashlib.sha1(url.encode()).hexdigest()[:10]
    return f"{when:%Y%m%d-%H%M%S}-{slug}.html"


class EvidencePipeline:
    def __init__(self, out_dir: Path, keep: int, max_bytes: int) -> None:
        self.folder = evidence_dir(out_dir)
        self.keep = keep
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidencePipeline:
        settings = crawler.settings
        return cls(Path(settings["OUTPUT_DIR"]), settings.getint("FAILED_PAGES_KEEP"),
                   settings.getint("FAILED_PAGE_MAX_BYTES"))

    def open_spider(self) -> None:
        remove_stray_temp_files(self.folder)

    def process_item(self, item: object) -> object:
        if not isinstance(item, PageEvidence):
            return item
        when = now()
        header = (f"<!-- naver-news evidence\nurl: {item['url']}\nfetched: {when:%Y-%m-%d %H:%M:%S}\n"
                  f"reason: {item['reason']}\n-->\n").encode()
        write_atomically(self.folder / _name(item["url"], when), header + item["body"][:self.max_bytes])
        for old in sorted(self.folder.glob("*.html"))[:-self.keep or None]:
            old.unlink(missing_ok=True)
        raise DropItem(f"evidence kept: {item['url']}", log_level="DEBUG")
