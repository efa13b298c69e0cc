"""The archive in the tools people read it with (issue 13): the real Hugo, pandas over
JSON lines and Parquet, python-frontmatter over the folder."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, article_files, naver_news
from tests.test_warc import demo_crawl

HUGO = Path(sys.executable).parent / "hugo"
MARKDOWN_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "em", "hr", "a", "br", "ul", "ol", "li",
                 "blockquote", "code", "pre"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("archive") / "output"
    demo_crawl(out)
    return out


def test_the_real_hugo_builds_the_exported_demo(archive, tmp_path_factory):
    site = tmp_path_factory.mktemp("hugo") / "site"  # Hugo pages, not archive files: outside the archive check
    exported = naver_news("export", "--out", str(archive), "--to", str(site / "content" / "news"), "--format", "hugo")
    assert exported.returncode == 0, exported.stderr
    (site / "hugo.toml").write_text('baseURL = "https://archive.example/"\ntitle = "archive"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(
        '<!doctype html><html><head><title>{{ .Title }}</title></head><body>'
        '<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}"></time>'
        '<p class="source">{{ .Params.source }}</p><main>{{ .Content }}</main></body></html>\n')
    (layouts / "list.html").write_text("<html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n")
    built = subprocess.run([str(HUGO), "--source", str(site), "--quiet"], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr
    files = article_files(archive)
    assert len(files) == 14
    for key, article in files.items():
        page = (site / "public" / "news" / key / "index.html").read_text()
        title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
        assert html.unescape(title) == article.fields["title"] and "&amp;" not in title, key
        published = article.fields["published_at"]
        assert f'datetime="{published.replace(" ", "T")}:00&#43;09:00"' in page, key
        assert article.fields["url"] in page
        main = re.search(r"<main>(.*)</main>", page, re.S)[1]
        # Scraped text stays text: the only markup is what the archive's Markdown makes.
        # Markdown's own structure, and never HTML of the page's (a script, an image, a frame).
        assert set(re.findall(r"<([a-z0-9]+)", main)) <= MARKDOWN_TAGS, key
        # Hugo links bare URLs and mail addresses; no link of scraped text has another scheme.
        assert all(re.match(r"(https?://|mailto:)", href) for href in re.findall(r'href="([^"]*)"', main)), key
        assert "javascript:" not in main


def test_pandas_reads_jsonl_parquet_and_the_folder_as_the_readme_says(archive, tmp_path):
    for name, fmt in (("articles.jsonl", "jsonl"), ("articles.parquet", "parquet")):
        result = naver_news("export", "--out", str(archive), "--to", str(tmp_path / name), "--format", fmt)
        assert result.returncode == 0, result.stderr
    os.symlink(archive, tmp_path / "output")
    readme = (REPO / "README.md").read_text()
    block = re.search(r"## Reading the archive.*?```python\n(.*?)```", readme, re.S)[1]
    names: dict = {}
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        exec(compile(block, "README.md", "exec"), names)  # the README's own lines, as a reader types them
    finally:
        os.chdir(cwd)
    files = article_files(archive)
    jsonl, parquet, folder = names["jsonl"], names["parquet"], names["folder"]
    for frame in (jsonl, parquet, folder):
        assert sorted(frame["id"]) == sorted(files)
        assert all(isinstance(value, str) for column in ("id", "oid", "aid") for value in frame[column])
        assert sorted(frame["aid"])[0].startswith("000")  # zero-padded
    for frame in (jsonl, parquet):
        rows = frame.set_index("id")
        for key, article in files.items():
            assert rows.loc[key, "content"] == article.content
            for field in ("title", "author", "publisher", "category", "url", "content_hash"):
                assert (rows.loc[key, field] or "") == article.fields[field], (key, field)
    assert parquet["published_at"].dt.tz is not None and all(offset.total_seconds() == 9 * 3600
                                            for offset in parquet["published_at"].map(lambda t: t.utcoffset()))
    seed = parquet.set_index("id").loc["648_0000043044"]
    assert seed["published_at"].isoformat() == "2025-12-29T00:00:00+09:00"
    assert jsonl.set_index("id").loc["648_0000043044", "published_at"] == "2025-12-29 00:00"
    assert folder.set_index("id").loc["648_0000043044", "published_at"] == "2025-12-29 00:00"


def test_parquet_without_pyarrow_says_which_extra(archive, tmp_path):
    blocker = tmp_path / "no-pyarrow" / "pyarrow"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("pyarrow is not installed")\n')
    env = {**os.environ, "PYTHONPATH": str(blocker.parent)}
    result = subprocess.run([str(Path(sys.executable).parent / "naver-news"), "export", "--out", str(archive),
                             "--to", str(tmp_path / "a.parquet"), "--format", "parquet"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "naver-news: error: --format parquet needs pyarrow: pip install 'naver-news[parquet]'"
