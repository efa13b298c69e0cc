"""Never silent when Naver changes its pages: failed verdicts, the health report, evidence, doctor."""
import re
import sqlite3

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import (
    DELETED,
    ENTERTAINMENT,
    Site,
    euc_kr_reply,
    generated_site,
    html_reply,
)
from crawler.sources.ids import ArticleId
from tests.conftest import FAST, article_files, naver_news, summary

CHANGES = list(build.LAYOUT_CHANGES)


def articles(count: int, oid: str = "001", first: int = 30_000) -> dict[ArticleId, str]:
    return {ArticleId(oid, f"{first + n:010d}"): "2026-02-01 10:00" for n in range(count)}


def break_layout(site: Site, broken: dict[ArticleId, str]) -> None:
    """Serve these articles in a changed layout."""
    for article, change in broken.items():
        page = build.changed_page(build.generated_sample(article, "2026-02-01 10:00"), article, change)
        site.add_article(article, html_reply(page))


def crawl(mirror, out, ids, *extra):
    return naver_news("crawl", "--mirror", mirror, "--out", str(out), *FAST, *extra,
                      *[arg for article in ids for arg in ("--id", str(article))])


def test_changed_layout_is_reported_with_fields_selectors_and_examples(tmp_path):
    pages = articles(20)
    site = generated_site(pages)
    broken = {article: CHANGES[n % 3] for n, article in enumerate(list(pages)[:18])}
    break_layout(site, broken)
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, pages)
    assert result.returncode == 4, result.stderr
    report = [line for line in result.stderr.splitlines() if line.startswith("naver-news: page layout")]
    assert len(report) == 3
    body = next(line for line in report if "had no body" in line)
    assert body.startswith("naver-news: page layout may have changed: 6 of 20 article pages had no body "
                           "(article#dic_area, div#articleBodyContents, em.img_desc (a photo-only body) not found); e.g. https://")
    assert len(re.findall(r"https://n\.news\.naver\.com/mnews/article/001/\d+", body)) == 3
    assert any("6 of 20 article pages had no date (span._ARTICLE_DATE_TIME[data-date-time], span.t11" in line
               for line in report)
    assert any("6 of 20 article pages had no title (h2#title_area, h3#articleTitle" in line for line in report)
    assert summary(result.stdout)["failed"] == 18 and summary(result.stdout)["new"] == 2
    assert sorted(article_files(tmp_path)) == sorted(a.key for a in list(pages)[18:])  # no file for broken pages

    evidence = sorted((tmp_path / ".naver-news" / "failed").iterdir())
    assert len(evidence) == 18
    first = evidence[0].read_text(encoding="utf-8")
    assert re.match(r"<!-- naver-news evidence\nurl: https://n\.news\.naver\.com/mnews/article/001/\d{10}\n"
                    r"fetched: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\nreason: missing (content|published_at|title)\n-->\n",
                    first)
    assert len(first) > 120_000  # the whole page, as served

    with sqlite3.connect(tmp_path / ".naver-news" / "state.sqlite") as db:
        rows = dict(db.execute("SELECT id, detail FROM articles WHERE status = 'failed'").fetchall())
    assert len(rows) == 18 and set(rows.values()) == {"missing content", "missing published_at", "missing title"}
    status = naver_news("status", "--out", str(tmp_path))
    assert "extraction: 18 of 20 article pages failed" in status.stdout
    assert "! page layout may have changed: 6 of 20 article pages had no body" in status.stdout


def test_normal_gone_and_unsupported_pages_are_healthy(tmp_path, mirror):
    result = crawl(mirror, tmp_path, [ArticleId("648", "0000043044"), DELETED, ENTERTAINMENT.article,
                                      ArticleId("001", "0099999999")])
    assert result.returncode == 0, result.stderr
    assert "layout" not in result.stderr and not (tmp_path / ".naver-news" / "failed").exists()


def test_one_odd_page_does_not_trip_the_alarm_and_is_retried(tmp_path):
    pages = articles(30)
    site = generated_site(pages)
    odd = list(pages)[7]
    break_layout(site, {odd: "body renamed"})
    with serving(site) as mirror:
        first = crawl(mirror, tmp_path, pages)
        assert first.returncode == 0, first.stderr
        assert summary(first.stdout)["failed"] == 1 and summary(first.stdout)["new"] == 29
        assert re.search(rf"^failed +{odd.key} +missing content$", first.stdout, re.M)
        site.add_article(odd, html_reply(build.current_page(build.generated_sample(odd, "2026-02-01 10:00"), odd)))
        second = crawl(mirror, tmp_path, pages)
    assert second.returncode == 0
    counts = summary(second.stdout)
    assert (counts["new"], counts["skipped"], counts["failed"]) == (1, 29, 0)  # only the failed one again
    assert site.hits[odd.url] == 2 and odd.key in article_files(tmp_path)


def test_list_pages_that_stop_giving_links_are_reported(tmp_path):
    listed = list(articles(45, oid="648"))
    site = generated_site(dict.fromkeys(listed, "2025-12-29 09:00"))
    entries = [build.Listed(a, f"{a.url}?sid=101", f"제목 {a.aid}", "리드", "비즈워치") for a in listed]
    site.add_day_list({"mode": "LPOD", "oid": "648", "date": "20251229"}, entries)
    query = "mode=LPOD&mid=sec&oid=648&date=20251229"
    renamed = build.list_page("2025-12-29", query, entries, 3).replace("list_body", "list_area_v2")
    site.add_page(f"https://news.naver.com/main/list.naver?{query}&page=3", euc_kr_reply(renamed))
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                            "--press", "648", "--date", "2025-12-29")
    assert result.returncode == 4, result.stderr
    assert ("naver-news: list layout may have changed: 1 of 3 list pages had no article links "
            "(div.list_body ul.type06_headline/ul.type06 li dl dt a, div.list_body ul.type02 li a, "
            "div.section_latest li.sa_item a.sa_text_title not found); e.g. https://news.naver.com/main/"
            "list.naver?mode=LPOD") in result.stderr
    assert len(article_files(tmp_path)) == 40
    assert [p.name for p in (tmp_path / ".naver-news" / "failed").iterdir()][0].endswith(".html")


def test_a_day_without_articles_is_not_an_alarm_but_a_run_of_bare_lists_is(tmp_path):
    site = generated_site({})
    site.add_day_list({"mode": "LSD", "sid1": "105", "date": "20251229"}, [])  # says 기사가 없습니다
    with serving(site) as mirror:
        quiet_day = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                               "--section", "105", "--date", "2025-12-29")
        assert quiet_day.returncode == 0, quiet_day.stderr
        site.add_page("https://news.naver.com/main/list.naver?mode=LSD&mid=sec&sid1=104&date=20251229&page=1",
                      html_reply(build.error_page("x").replace("error_wrap", "container")))
        bare = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                          "--section", "104", "--date", "2025-12-29")
    assert bare.returncode == 4 and "1 of 1 list pages had no article links" in bare.stderr


def test_doctor_on_a_page_and_on_saved_evidence(tmp_path, site, mirror):
    good = naver_news("doctor", "https://n.news.naver.com/mnews/article/001/0015100001", "--mirror", mirror)
    assert good.returncode == 0, good.stderr
    for line in ("verdict       ok", "title         12월 소비자물가 2.1% 상승…석 달 만에 다시 2%대  ← h2#title_area",
                 "publisher     연합뉴스  ← img.media_end_head_top_logo_img[alt]",
                 "published_at  2026-01-02 08:05  ← span._ARTICLE_DATE_TIME[data-date-time]",
                 "modified_at   2026-01-02 10:41", "category      경제  ← .media_end_categorize_item",
                 "author        송지윤(jiyoon@yna.co.kr)  ← span.byline_s"):
        assert line in good.stdout, good.stdout
    assert re.search(r"^content       1\d paragraphs, [\d,]+ characters  ← article#dic_area$", good.stdout, re.M)

    article = ArticleId("001", "0000031000")
    site.add_article(article, html_reply(build.changed_page(build.generated_sample(article, "2026-02-01 10:00"),
                                                           article, "body renamed")))
    broken = naver_news("doctor", article.url, "--mirror", mirror)
    assert broken.returncode == 4
    assert "verdict       failed: missing content" in broken.stdout
    assert "content       MISSING (not found: article#dic_area, div#articleBodyContents, em.img_desc (a photo-only body))" \
        in broken.stdout

    assert crawl(mirror, tmp_path, [article]).returncode == 0  # one failure alone is not an alarm
    (saved,) = (tmp_path / ".naver-news" / "failed").iterdir()
    offline = naver_news("doctor", str(saved))
    assert offline.returncode == 4 and offline.stdout.startswith(article.url + "\n")
    assert "content       MISSING" in offline.stdout and "title         " in offline.stdout

    legacy = naver_news("doctor", "https://news.naver.com/main/read.nhn?oid=029&aid=0002700005", "--mirror", mirror)
    assert "published_at  2020-11-23 12:07  ← span.t11" in legacy.stdout


def test_doctor_refuses_what_it_cannot_read(tmp_path):
    for page, named in (("nothing-here.html", "no such file"), ("https://example.com/x", "invalid page")):
        result = naver_news("doctor", page)
        assert result.returncode == 2 and named in result.stderr and result.stderr.count("\n") == 1
