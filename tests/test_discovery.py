"""Discovery end to end: press and section day lists, the sequence walk, dates."""
import re
import subprocess
import sys

import pytest

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import Site, generated_site, html_reply, redirect
from crawler.sources.ids import ArticleId
from tests.conftest import FAST, REPO, article_files, naver_news, summary

DAY = "20251229"


def listed(article: ArticleId, form: str = "n.news", sid: str = "105") -> build.Listed:
    link = (f"https://news.naver.com/main/read.nhn?mode=LSD&mid=sec&sid1={sid}&oid={article.oid}&aid={article.aid}"
            if form == "read" else f"{article.url}?sid={sid}")
    return build.Listed(article, link, f"제목 {article.aid}", f"리드 {article.aid}", "비즈워치")


def press_site(count: int, oid: str = "648", endless_paging: bool = False) -> tuple[Site, list[ArticleId]]:
    """A press day list of `count` generated articles, links in two URL forms."""
    articles = [ArticleId(oid, f"{44000 + n:010d}") for n in range(count)]
    site = generated_site({article: "2025-12-29 09:00" for article in articles})
    entries = [listed(article, "read" if n % 3 == 0 else "n.news") for n, article in enumerate(articles)]
    site.add_day_list({"mode": "LPOD", "oid": oid, "date": DAY}, entries, endless_paging)
    return site, articles


def is_list(url: str) -> bool:
    return "list.naver" in url or "/section/" in url  # list.naver, and the 2026 section lists


def list_requests(site: Site) -> list[str]:
    return [url for _, url in site.requests if is_list(url)]


def article_requests(site: Site) -> list[str]:
    return [url for _, url in site.requests if not is_list(url)]


def crawl(mirror, out, *args):
    return naver_news("crawl", "--mirror", mirror, "--out", str(out), *FAST, *args)


def test_press_list_finds_exactly_the_listed_articles_once(tmp_path):
    site, articles = press_site(47)
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--press", "648", "--date", "2025-12-29")
    assert result.returncode == 0, result.stderr
    assert sorted(article_files(tmp_path)) == sorted(article.key for article in articles)
    fetched = article_requests(site)
    assert len(fetched) == len(set(fetched)) == 47  # each once; no sidebar or headline link followed
    assert {ArticleId(*re.search(r"/article/(\d+)/(\d+)", url).groups()) for url in fetched} == set(articles)
    assert [re.search(r"page=(\d+)", url).group(1) for url in list_requests(site)] == ["1", "2", "3"]
    assert "press 648: 3 pages listed, 47 links, 0 known skipped, 47 fetched" in result.stdout
    files = article_files(tmp_path)
    assert files[articles[0].key].fields["category"]  # generated pages have no label: from ?sid=105
    assert {f.fields["category"] for f in files.values()} == {"IT/과학"}


def test_paging_stops_when_the_list_repeats_its_last_page(tmp_path):
    site, articles = press_site(25, endless_paging=True)
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--press", "648", "--date", "2025-12-29")
    assert result.returncode == 0
    # page 3 is asked for (page 2 links to it) and shows page 2 again: the walk ends there
    assert [re.search(r"page=(\d+)", url).group(1) for url in list_requests(site)] == ["1", "2", "3"]
    assert len(article_files(tmp_path)) == 25 and len(article_requests(site)) == 25


def test_second_run_fetches_only_what_is_new(tmp_path):
    site, articles = press_site(300)
    with serving(site) as mirror:
        assert crawl(mirror, tmp_path, "--press", "648", "--date", "2025-12-29").returncode == 0
        new = [ArticleId("648", f"{45000 + n:010d}") for n in range(2)]
        for article in new:
            site.add_article(article, html_reply(build.current_page(
                build.generated_sample(article, "2025-12-29 23:00"), article)))
        entries, _ = site.day_lists[("LPOD", "648", "", "", DAY)]
        site.add_day_list({"mode": "LPOD", "oid": "648", "date": DAY}, [listed(a) for a in new] + entries)
        before = len(article_requests(site))
        second = crawl(mirror, tmp_path, "--press", "648", "--date", "2025-12-29")
    assert second.returncode == 0
    assert sorted(article_requests(site)[before:]) == sorted(f"{a.url}?sid=105" for a in new)
    assert "press 648: 16 pages listed, 302 links, 300 known skipped, 2 fetched" in second.stdout
    assert summary(second.stdout)["new"] == 2


def test_section_list_and_press_list_in_one_run_fetch_shared_articles_once(tmp_path):
    site, articles = press_site(30)
    site.add_day_list({"mode": "LS2D", "sid1": "105", "sid2": "230", "date": DAY},
                      [listed(article, sid="105") for article in articles[10:25]])
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--press", "648", "--section", "105/230", "--date", "20251229")
    assert result.returncode == 0, result.stderr
    fetched = article_requests(site)
    assert len(fetched) == len(set(fetched)) == 30
    assert "section 105/230: 1 pages listed, 15 links, 15 known skipped, 0 fetched" in result.stdout


def test_scrapy_crawl_press_and_section(tmp_path):
    site, articles = press_site(5)
    site.add_day_list({"mode": "LSD", "sid1": "101", "date": DAY}, [listed(articles[0], sid="101")])
    with serving(site) as mirror:
        for spider, arg in (("press", "oids=648"), ("section", "sections=101")):
            result = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", spider, "-a", arg, "-a", "date=2025-12-29",
                 "-s", f"NAVER_MIRROR={mirror}", "-s", f"OUTPUT_DIR={tmp_path}", *FAST],
                cwd=REPO, capture_output=True, text=True, timeout=120)
            assert result.returncode == 0 and "run summary (finished)" in result.stderr, result.stderr
    assert len(article_files(tmp_path)) == 5


def sequence_site() -> Site:
    """Office 081, aids 7000–7030 with gaps (404s, a deleted page, a redirect to a site naver-news does not read)."""
    aids = [aid for aid in range(7000, 7031) if aid not in (7003, 7015, 7016, 7007, 7010)]
    site = generated_site({ArticleId("081", f"{aid:010d}"): "2026-01-05 10:00" for aid in aids})
    site.add_article(ArticleId("081", "0000007007"), html_reply(build.error_page("deleted")))
    site.add_article(ArticleId("081", "0000007010"), redirect("https://m.post.naver.com/viewer/081/0000007010"))
    site.add_page("https://m.post.naver.com/viewer/081/0000007010",
                  html_reply(build.script_rendered_page(ArticleId("081", "0000007010"))))
    return site


def walked(site: Site, since: int = 0) -> list[int]:
    return [int(m.group(1)) for _, url in site.requests[since:]
            if (m := re.search(r"/article/081/(\d+)$", url))]


def test_sequence_walk_stops_after_max_misses_and_resumes_above_the_frontier(tmp_path):
    site = sequence_site()
    with serving(site) as mirror:
        first = crawl(mirror, tmp_path, "--follow", "81", "--start-aid", "7000", "--max-misses", "5")
        assert first.returncode == 0, first.stderr
        assert sorted(walked(site)) == list(range(7000, 7036))  # 7031–7035: exactly five misses
        counts = summary(first.stdout)
        assert (counts["new"], counts["gone"], counts["unsupported"]) == (26, 9, 1)
        assert len(article_files(tmp_path)) == 26
        assert "follow 081: 36 links, 0 known skipped, 36 fetched" in first.stdout

        before = len(site.requests)
        second = crawl(mirror, tmp_path, "--follow", "081", "--max-misses", "5")
        assert sorted(walked(site, before)) == list(range(7031, 7036))  # above the frontier only

        newcomer = ArticleId("081", "0000007033")
        site.add_article(newcomer, html_reply(build.current_page(
            build.generated_sample(newcomer, "2026-01-06 08:00"), newcomer)))
        before = len(site.requests)
        third = crawl(mirror, tmp_path, "--follow", "081", "--max-misses", "5")
    assert sorted(walked(site, before)) == list(range(7031, 7039))  # the hit at 7033 carries it to 7038
    assert summary(third.stdout)["new"] == 1 and second.returncode == third.returncode == 0


def test_sequence_walk_from_below_the_frontier_asks_the_state_not_the_site(tmp_path):
    site = sequence_site()
    with serving(site) as mirror:
        assert crawl(mirror, tmp_path, "--follow", "081", "--start-aid", "7000", "--max-misses", "5").returncode == 0
        before = len(site.requests)
        again = crawl(mirror, tmp_path, "--follow", "081", "--start-aid", "7020", "--max-misses", "5")
    assert sorted(walked(site, before)) == list(range(7031, 7036))
    assert "follow 081: 16 links, 11 known skipped, 5 fetched" in again.stdout


def test_sequence_walk_needs_a_start_in_an_empty_folder(tmp_path):
    result = naver_news("crawl", "--follow", "081", "--out", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "naver-news: error: no article of press 081 is known in this folder: " \
        "give a start aid (--start-aid, -a start_aid=)\n"
    spider = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "sequence", "-a", "oid=81",
                             "-s", f"OUTPUT_DIR={tmp_path}"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert "no article of press 081 is known" in spider.stderr and "Traceback" not in spider.stderr


@pytest.mark.parametrize("args, named", [
    (["--press", "6480"], "'6480'"),
    (["--press", "648", "--date", "2025-13-01"], "'2025-13-01'"),
    (["--section", "999"], "'999'"),
    (["--section", "105/23"], "'105/23'"),
    (["--press", "648", "--since", "two days"], "'two days'"),
    (["--press", "648", "--date", "2025-01-01", "--to", "2025-03-01"], "pass --yes"),
    (["--press", "648", "--date", "2025-01-02", "--to", "2025-01-01"], "before the start"),
    (["--follow", "81", "--start-aid", "abc"], "'abc'"),
    (["--follow", "81", "--max-misses", "0"], "'0'"),
    (["--date", "today"], "goes with press, section, entertainment or sports lists"),
])
def test_bad_discovery_input_is_refused(args, named, tmp_path):
    result = naver_news("crawl", "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and named in result.stderr, result.stderr


def test_spiders_run_under_scrapy_jobdir(tmp_path):
    """Scrapy's JOBDIR pickles the request queue and the spider's state: every spider survives it."""
    site = sequence_site()
    site.add_day_list({"mode": "LPOD", "oid": "081", "date": DAY},
                      [listed(ArticleId("081", "0000007001"), sid="102")])
    with serving(site) as mirror:
        for spider, *args in (("sequence", "oid=081", "start_aid=7000", "max_misses=3"),
                              ("press", "oids=081", "date=2025-12-29"), ("article", "ids=081/7002")):
            result = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", spider, *[part for arg in args for part in ("-a", arg)],
                 "-s", f"NAVER_MIRROR={mirror}", "-s", f"OUTPUT_DIR={tmp_path / 'out'}",
                 "-s", f"JOBDIR={tmp_path / spider}", *FAST], cwd=REPO, capture_output=True, text=True, timeout=120)
            assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
            assert "run summary (finished)" in result.stderr and (tmp_path / spider / "requests.seen").exists()
    assert len(article_files(tmp_path / "out")) == 26  # the walk found them all; the others knew them
