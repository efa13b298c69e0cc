"""The pieces under the crawl: mirror addressing, Retry-After parsing, atomic writes, path templates."""
import json
import os
import subprocess
from datetime import datetime, timezone

import pytest

from crawler.demo.server import serving
from crawler.demo.site import demo_site, generated_site, html_reply
from crawler.middlewares.mirror import (
    MirrorError,
    check_mirror,
    from_mirror,
    is_naver_url,
    to_mirror,
)
from crawler.middlewares.retry_after import retry_after_seconds
from crawler.settings import EXTENSIONS
from crawler.sources.ids import ArticleId
from pipelines.folder import write_atomically
from pipelines.markdown import PathTemplateError, check_path_template, relative_path
from tests.conftest import FAST, NAVER_NEWS, REPO, naver_news, summary

MIRROR = "http://127.0.0.1:8080/naver"


def test_mirror_addresses_round_trip():
    url = "https://news.naver.com/main/read.nhn?mode=LSD&oid=029&aid=0002700005"
    mirrored = to_mirror(MIRROR, url)
    assert mirrored == "http://127.0.0.1:8080/naver/news.naver.com/main/read.nhn?mode=LSD&oid=029&aid=0002700005"
    assert from_mirror(MIRROR, mirrored) == url
    assert from_mirror(MIRROR, "http://127.0.0.1:8080/other/x") is None
    assert from_mirror(MIRROR, MIRROR + "/example.com/x") == "https://example.com/x"  # an offsite target, named


def test_only_naver_hosts_are_mirrored():
    assert is_naver_url("https://m.entertain.naver.com/article/1/2")
    assert is_naver_url("https://naver.com/")
    assert not is_naver_url("https://notnaver.com/")
    assert not is_naver_url("https://naver.com.evil.example/")


@pytest.mark.parametrize("value", ["127.0.0.1:8080", "ftp://host", "http://", "http://host/?q=1"])
def test_bad_mirror_is_refused(value):
    with pytest.raises(MirrorError, match=repr(value).replace("?", r"\?")):
        check_mirror(value)


def test_retry_after_values():
    now = datetime(2025, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 01 Jan 2025 00:00:30 GMT", now) == 30
    assert retry_after_seconds("Tue, 31 Dec 2024 23:00:00 GMT", now) == 0
    assert retry_after_seconds("soon") is None


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path):
    path = tmp_path / "2025" / "01" / "a.txt"
    write_atomically(path, "첫 판\n")
    write_atomically(path, "둘째 판\n")
    assert path.read_text(encoding="utf-8") == "둘째 판\n"
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "깨진 \ud800 글자")  # fails half-way through writing
    assert path.read_text(encoding="utf-8") == "둘째 판\n"
    assert [p.name for p in path.parent.iterdir()] == ["a.txt"]


def test_path_template():
    article = {"published_at": "2025-12-29 00:00", "id": "648_0000043044", "oid": "648", "aid": "0000043044"}
    assert relative_path(check_path_template("{year}/{month}/{day}/{id}.md"), article) == \
        "2025/12/29/648_0000043044.md"
    assert relative_path(check_path_template("{oid}/{aid}.md"), article) == "648/0000043044.md"
    for bad in ("{title}.md", "{year}.md", "/abs/{id}.md", "../{id}.md", "{id"):
        with pytest.raises(PathTemplateError):
            check_path_template(bad)


def test_a_meta_refresh_in_a_large_page_is_still_followed(tmp_path):
    """Scrapy's meta-refresh redirects, from the first 16 KB of a 300 KB page (the
    middleware reads only the head); a refresh without a URL (a page that reloads) is not
    a redirect."""
    site = demo_site()
    moved, reloading = ArticleId("648", "0000043990"), ArticleId("648", "0000043991")
    padding = "<!-- " + "x" * 300_000 + " -->"
    site.add_article(moved, html_reply(f'<html><head><meta charset="utf-8"><meta http-equiv="refresh" '
                                       f'content="0; url={ArticleId("648", "0000043044").url}"></head>'
                                       f"<body>{padding}</body></html>"))
    site.add_article(reloading, html_reply(f'<html><head><meta http-equiv="refresh" content="600"></head>'
                                           f"<body>{padding}</body></html>"))
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST, "--id", str(moved),
                            "--id", str(reloading))
    assert result.returncode == 0, result.stderr
    asked = [url for _, url in site.requests]
    assert asked.count(ArticleId("648", "0000043044").url) == 1  # where the refresh pointed
    assert len(asked) == 3  # the reloading page was read as it is (and has no article)
    assert summary(result.stdout)["new"] == 1 and summary(result.stdout)["failed"] == 1, result.stdout


def test_start_requests_are_taken_only_as_fast_as_they_are_sent(tmp_path):
    """A long id list is not poured into the scheduler while the downloader is busy: the
    scheduler holds a few requests at a time, not the whole run (whose memory would then
    grow with the run's size)."""
    articles = {ArticleId("001", f"{15_000_000 + n:010d}"): "2025-11-01 09:00" for n in range(60)}
    site = generated_site(articles)
    site.delay = 0.02
    (tmp_path / "ids.txt").write_text("\n".join(str(article) for article in articles))
    probe = tmp_path / "peak"
    extensions = json.dumps({**EXTENSIONS, "tests.scheduler_probe.SchedulerPeak": 0})
    with serving(site) as mirror:
        result = subprocess.run([str(NAVER_NEWS), "crawl", "--ids-file", str(tmp_path / "ids.txt"), "--mirror", mirror,
                                 "--out", str(tmp_path / "out"), *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                                 "-s", f"EXTENSIONS={extensions}"],
                                capture_output=True, text=True, timeout=120, cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(REPO), "SCHEDULER_PROBE": str(probe)})
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout)["new"] == 60
    assert int(probe.read_text()) <= 4
