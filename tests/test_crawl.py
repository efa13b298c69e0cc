"""End to end: the real `naver-news` command and `scrapy crawl` against a local mirror."""
import re
import subprocess
import sys

import pytest

from crawler.demo import build
from crawler.demo.site import (
    DELETED,
    DEMO_IDS,
    DEMO_URLS,
    ENTERTAINMENT,
    ENTERTAINMENT_URL,
    LEGACY_URL,
    SPORTS,
    UNKNOWN,
    Reply,
    html_reply,
    redirect,
)
from crawler.sources.ids import ArticleId, api_url
from pipelines.article_file import FRONT_MATTER_KEYS, read
from tests.conftest import (
    FAST,
    FIXTURES,
    REPO,
    article_files,
    checked_article,
    naver_news,
    summary,
)

SEED_ID = "648_0000043044"
SPORTS_URL = f"https://m.sports.naver.com/kbaseball/article/{SPORTS.article.oid}/{SPORTS.article.aid}"


def crawl(mirror, out, *targets, extra=()):
    args = ["crawl", "--mirror", mirror, "--out", str(out), *FAST, *extra]
    for target in targets:
        args += ["--url" if "://" in target else "--id", target]
    return naver_news(*args)


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    """One crawl of every demo target, shared by the tests that only read its result."""
    from crawler.demo.server import serving
    from crawler.demo.site import demo_site

    site, out = demo_site(), tmp_path_factory.mktemp("out")
    with serving(site) as mirror:
        result = crawl(mirror, out, *DEMO_IDS, *DEMO_URLS)
    return result, out, site


def test_every_sample_is_written_once_and_checks_out(demo_crawl):
    result, out, _ = demo_crawl
    assert result.returncode == 0, result.stderr
    files = article_files(out)
    assert sorted(files) == ["001_0015100001", "001_0016500001", "001_0016500002", "003_0013200004",
                             "015_0005000006", "018_0006100005", "020_0003900006", "029_0002700005",
                             "055_0001200002", "109_0005400009", "119_0003050003", "144_0001000008",
                             "421_0007300003", SEED_ID]
    assert (out / "2025/12/29/648_0000043044.md").exists()
    assert (out / "2020/11/23/029_0002700005.md").exists()  # legacy page, by its own date
    assert files["015_0005000006"].fields["category"] == "경제"  # from the given URL's ?sid=101
    assert summary(result.stdout) == dict(requested=16, written=14, new=14, updated=0, restored=0, reparsed=0,
                                          unchanged=0, duplicate=0, skipped=0, gone=2, unsupported=0, failed=0,
                                          finished=True)
    assert "Traceback" not in result.stderr


def test_only_the_given_articles_are_requested(demo_crawl):
    _, _, site = demo_crawl
    requested = set(site.hits)
    assert all(count == 1 for count in site.hits.values())
    # 015/0005000006 is also given as a URL with ?sid=: that form is fetched, once.
    expected = ({ArticleId(*target.split("/")).url for target in DEMO_IDS if target != "015/0005000006"}
                | set(DEMO_URLS) | {ENTERTAINMENT_URL, api_url(ENTERTAINMENT.article, "entertain"),
                                    SPORTS_URL, api_url(SPORTS.article, "sports")})
    assert requested == expected  # no sidebar, ranking or journalist-card link was followed


def test_golden_seed_file(demo_crawl):
    """The page rebuilt from the seed gives the corrected seed, and matches the seed where it fairly can."""
    _, out, _ = demo_crawl
    written = (out / "2025/12/29/648_0000043044.md").read_text(encoding="utf-8")
    corrected = (FIXTURES / "648_0000043044.corrected.md").read_text(encoding="utf-8")
    without_crawl_time = re.compile(r'crawled_at: "[^"]*"|\*Crawled at: [^*]*\*')
    assert without_crawl_time.sub("", written) == without_crawl_time.sub("", corrected)

    seed_text = (FIXTURES / "648_0000043044.md").read_text(encoding="utf-8")
    seed, ours = read(seed_text), checked_article(out / "2025/12/29/648_0000043044.md")
    seed_keys = [line.split(":")[0] for line in seed_text.split("\n---\n")[0].splitlines()[1:] if ":" in line]
    assert seed_keys == list(FRONT_MATTER_KEYS) == list(ours.fields)
    for key in ("title", "publisher", "published_at", "url", "oid", "aid", "id"):
        assert ours.fields[key] == seed.fields[key], key
    assert ours.fields["author"] == "왕보경 (king@bizwatch.co.kr)"

    def spaced(text):
        return " ".join(text.replace("\xa0", " ").split())

    seed_summary, seed_body = seed.content.split("\n\n", 1)
    our_summary, *our_body = ours.content.split("\n\n")
    assert spaced(our_summary) == spaced(seed_summary)
    assert spaced("".join(our_body)) == spaced(seed_body)
    assert len(our_body) == 8  # the seed's glued paragraphs, kept apart


def test_scrapy_crawl_works_like_the_command(mirror, site, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "article", "-a", "ids=648/43044,421_0007300003",
         "-a", f"urls={LEGACY_URL}", "-s", f"NAVER_MIRROR={mirror}", "-s", f"OUTPUT_DIR={tmp_path}", *FAST],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(article_files(tmp_path)) == ["029_0002700005", "421_0007300003", SEED_ID]
    assert "run summary (finished): requested 3, written 3 (new 3, updated 0, restored 0, reparsed 0)," in result.stderr


def test_redirect_to_entertainment_is_followed_to_its_api(mirror, site, tmp_path):
    result = crawl(mirror, tmp_path, str(ENTERTAINMENT.article), extra=["-v"])
    assert result.returncode == 0
    assert site.hits[ENTERTAINMENT_URL] == 1  # the redirect came back in mirror form and was followed
    assert site.hits[api_url(ENTERTAINMENT.article, "entertain")] == 1
    assert summary(result.stdout)["new"] == 1 and len(list(tmp_path.rglob("*.md"))) == 1


def test_entertainment_url_given_directly_goes_straight_to_the_api(mirror, site, tmp_path):
    result = crawl(mirror, tmp_path, ENTERTAINMENT_URL)
    assert result.returncode == 0 and summary(result.stdout)["new"] == 1
    assert list(site.hits) == [api_url(ENTERTAINMENT.article, "entertain")]


def test_deleted_and_unknown_articles_are_gone_and_the_run_goes_on(mirror, tmp_path):
    result = crawl(mirror, tmp_path, str(DELETED), str(UNKNOWN), SEED_ID)
    assert result.returncode == 0
    counts = summary(result.stdout)
    assert (counts["requested"], counts["written"], counts["gone"]) == (3, 1, 2)
    assert sorted(article_files(tmp_path)) == [SEED_ID]


def test_server_errors_are_retried_then_counted_as_failed(mirror, site, tmp_path):
    broken = ArticleId("001", "0000000500")
    site.add_article(broken, Reply(500, b"oops"))
    result = crawl(mirror, tmp_path, str(broken), SEED_ID, extra=["-s", "RETRY_TIMES=2"])
    assert result.returncode == 0
    assert site.hits[broken.url] == 3
    counts = summary(result.stdout)
    assert (counts["requested"], counts["written"], counts["failed"]) == (2, 1, 1)
    assert sorted(article_files(tmp_path)) == [SEED_ID]


def test_retry_after_is_honoured(mirror, site, tmp_path):
    article, name = ArticleId("001", "0015100001"), "001_0015100001.html"
    page = html_reply(build.current_page(build.load_sample(name), article))
    site.add_article(article, Reply(429, b"slow down", headers=(("Retry-After", "2"),)), page)
    result = crawl(mirror, tmp_path, str(article))
    assert result.returncode == 0 and summary(result.stdout)["written"] == 1
    (first, _), (second, _) = site.requests
    assert second - first >= 2.0
    assert sorted(article_files(tmp_path)) == ["001_0015100001"]


def test_path_template_setting(mirror, tmp_path):
    result = crawl(mirror, tmp_path, SEED_ID, extra=["--path-template", "{oid}/{id}.md"])
    assert result.returncode == 0
    assert checked_article(tmp_path / "648" / f"{SEED_ID}.md")


def test_ids_file(mirror, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# today's list\n648/0000043044\n\n{LEGACY_URL}\n421_0007300003  # hostile\n")
    out = tmp_path / "out"
    result = naver_news("crawl", "--ids-file", str(ids), "--mirror", mirror, "--out", str(out), *FAST)
    assert result.returncode == 0, result.stderr
    assert sorted(article_files(out)) == ["029_0002700005", "421_0007300003", SEED_ID]


def test_demo_command(tmp_path):
    result = naver_news("demo", "--out", str(tmp_path / "demo"), *FAST)
    assert result.returncode == 0, result.stderr
    assert len(re.findall(r"^new +\d{3}_\d{10} +\S+\.md$", result.stdout, re.M)) == 14
    counts = summary(result.stdout)
    assert (counts["requested"], counts["written"], counts["gone"], counts["unsupported"]) == (16, 14, 2, 0)
    assert len(article_files(tmp_path / "demo")) == 14


def test_a_page_redirecting_to_one_the_run_fetched_is_read_there(mirror, site, tmp_path):
    """Article requests skip Scrapy's URL dupefilter (the known-article check dedups by
    key): a redirect to a page the run already asked for is followed, not dropped without
    an outcome, and the article is judged against the file that page gave."""
    seed, merged = ArticleId("648", "0000043044"), ArticleId("648", "0000049999")
    site.add_article(merged, redirect(seed.url))
    result = crawl(mirror, tmp_path, SEED_ID, str(merged), extra=["-v"])
    assert result.returncode == 0, result.stderr
    counts = summary(result.stdout)
    assert (counts["requested"], counts["new"], counts["duplicate"]) == (2, 1, 1)
    assert site.hits[seed.url] == 2
    assert sorted(article_files(tmp_path)) == [SEED_ID]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's; elsewhere the extension is off")
def test_freed_page_memory_is_handed_back_unless_turned_off(mirror, tmp_path):
    """Its effect (a 20,000-article run's peak held to a 2,000-article run's) is measured by
    bench/memory.py; here, that a crawl runs it, and that the setting turns it off."""
    enabled = {}
    for name, extra in (("default", ()), ("off", ("-s", "HEAP_TRIM_INTERVAL=0"))):
        result = crawl(mirror, tmp_path / name, "648/0000043044", extra=("-v", *extra))
        assert result.returncode == 0, result.stderr
        extensions = re.search(r"Enabled extensions:\n(\[.*?\])", result.stderr, re.S)
        enabled[name] = "crawler.running.heap_trim.HeapTrim" in extensions[1]
    assert enabled == {"default": True, "off": False}
