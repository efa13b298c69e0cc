"""Entertainment and sports articles through the article API (issue 12)."""
from __future__ import annotations

import re
import subprocess
import sys

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import ENTERTAINMENT, SPORTS, Site, json_reply, redirect
from crawler.reading.api_article import extract_api
from crawler.sources.ids import ArticleId, api_url
from pipelines.normalize import content_text
from tests.conftest import FAST, REPO, article_files, naver_news, summary
from tests.test_incremental import snapshot

DAY = "20261120"


def crawl(mirror, out, *args):
    return naver_news("crawl", "--mirror", mirror, "--out", str(out), *FAST, *args)


def api_site_of(*items: tuple[build.ApiArticle, str]) -> Site:
    site = Site()
    for item, kind in items:
        site.add_api_article(item, kind)
    return site


def fetched(site: Site) -> list[str]:
    return [url for _, url in site.requests if "/news/article/" in url]


def test_an_entertainment_article_becomes_the_exact_file(tmp_path):
    site = api_site_of((ENTERTAINMENT, "entertain"))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--id", str(ENTERTAINMENT.article))
    assert result.returncode == 0, result.stderr
    (path,) = tmp_path.rglob("*.md")
    assert path.relative_to(tmp_path).as_posix() == "2026/11/20/144_0001000008.md"
    text = re.sub(r'(crawled_at: "|Crawled at: )[0-9: -]+', r"\1…", path.read_text())
    assert text == """---
id: "144_0001000008"
title: "신인 밴드 &#x27;새벽정류장&#x27;, 데뷔 앨범 발매 첫 주 1위"
category: 연예
publisher: 스포츠경향
author: 윤소희 기자 (sohee@sportskyunghyang.example)
published_at: 2026-11-20 18:05
crawled_at: "…"
url: https://n.news.naver.com/mnews/article/144/0001000008
oid: "144"
aid: "0001000008"
content_hash: {hash}
---

# 신인 밴드 &#x27;새벽정류장&#x27;, 데뷔 앨범 발매 첫 주 1위

**스포츠경향** | 2026-11-20 18:05 | 연예

---

타이틀곡 &#x27;첫차&#x27; 음원 차트 정상
&quot;무대에서 답하겠다&quot;

신인 밴드 새벽정류장이 데뷔 앨범으로 발매 첫 주 음반 판매 차트 1위에 올랐다.

20일 음반 집계 사이트에 따르면 이들의 첫 정규 앨범은 지난주에만 4만 장이 넘게 팔렸다.

멤버들은 &quot;무대에서 더 좋은 음악으로 답하겠다&quot;고 말했다.

---

*Crawled at: …*
*Source: [원문 보기](https://n.news.naver.com/mnews/article/144/0001000008)*
""".replace("{hash}", article_files(tmp_path)["144_0001000008"].fields["content_hash"])


def test_a_sports_article_with_a_results_table_and_bylines(tmp_path):
    site = api_site_of((SPORTS, "sports"))
    with serving(site) as mirror:
        assert crawl(mirror, tmp_path, "--id", str(SPORTS.article)).returncode == 0
    article = article_files(tmp_path)["109_0005400009"]
    assert article.fields["author"] == "OSEN 스포츠부 (sports@osen.example)"  # no reporter: the bylines
    assert article.fields["category"] == "스포츠" and article.fields["publisher"] == "OSEN"
    assert article.content.split("\n\n") == [
        "▲ 잠실전적(21일)", "한빛 001 200 030 - 6\n바다 100 000 002 - 3",
        "△ 승리투수 = 김도윤(5승 2패) △ 패전투수 = 이서준(3승 4패)", "△ 홈런 = 박지훈 1호(3회 2점·한빛)"]


def test_recrawl_of_an_edited_sports_article_rewrites_only_it_and_a_second_run_fetches_nothing(tmp_path):
    site = api_site_of((SPORTS, "sports"), (ENTERTAINMENT, "entertain"))
    edited = build.ApiArticle(**{**SPORTS.__dict__, "content": SPORTS.content.replace("- 6", "- 7")})
    api = api_url(SPORTS.article, "sports")
    site.add_page(api, site.pages[api][0], json_reply(build.api_answer(edited)))
    ids = ["--id", str(SPORTS.article), "--id", str(ENTERTAINMENT.article)]
    with serving(site) as mirror:
        assert summary(crawl(mirror, tmp_path, *ids).stdout)["new"] == 2
        before, asked = snapshot(tmp_path), len(site.requests)
        again = crawl(mirror, tmp_path, *ids)
        assert len(site.requests) == asked and summary(again.stdout)["skipped"] == 2
        recrawl = naver_news("recrawl", str(SPORTS.article), str(ENTERTAINMENT.article), "--mirror", mirror,
                             "--out", str(tmp_path), *FAST)
    assert summary(recrawl.stdout)["updated"] == 1 and summary(recrawl.stdout)["unchanged"] == 1
    after = snapshot(tmp_path)
    assert [path.name for path in after if after[path] != before[path]] == ["109_0005400009.md"]
    assert "한빛 001 200 030 - 7" in article_files(tmp_path)["109_0005400009"].content


def day_of(count: int, first: int = 2000) -> list[build.ApiArticle]:
    return [build.ApiArticle(ArticleId("144", f"{first + n:010d}"), f"연예 소식 {n}", f"연예 본문 {n}입니다.<br><br>둘째 문단.",
                             "2026-11-20 10:00:00", "스포츠경향", "연예", "방송/TV", reporter="김하늘 기자")
            for n in range(count)]


def test_an_entertainment_day_of_three_api_pages(tmp_path):
    items = day_of(75)  # pages of 30: 30, 30, 15
    site = api_site_of(*((item, "entertain") for item in items))
    site.add_api_day("entertain", DAY, items)
    other = day_of(5, first=9000)  # another day: never asked for
    site.add_api_day("entertain", "20261121", other)
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--entertain", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    lists = [url for _, url in site.requests if "/news/articles" in url]
    assert [re.search(r"page=(\d+)", url)[1] for url in lists] == ["1", "2", "3"]
    assert sorted(fetched(site)) == sorted(api_url(item.article, "entertain") for item in items)
    assert "entertain: 3 pages listed, 75 links, 0 known skipped, 75 fetched" in result.stdout
    assert summary(result.stdout)["new"] == 75


def test_a_sports_day_ends_at_its_total(tmp_path):
    items = [build.ApiArticle(ArticleId("109", f"{5500000 + n:010d}"), f"야구 {n}", f"경기 {n}.", "2026-11-20 21:00:00",
                              "OSEN", "스포츠", "야구", reporter="이도윤 기자") for n in range(60)]
    site = api_site_of(*((item, "sports") for item in items))
    site.add_api_day("sports", DAY, items, sport="kbaseball")
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--sports", "kbaseball", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert len([url for _, url in site.requests if "/news/articles/kbaseball" in url]) == 2  # 60 = 2 x 30: no third
    assert len(set(fetched(site))) == 60


def test_broken_api_answers_fail_and_past_the_threshold_raise_the_alarm(tmp_path):
    items = day_of(10)
    site = api_site_of(*((item, "entertain") for item in items))
    broken = {0: json_reply("<html>not json</html>"), 1: json_reply('{"code": 500, "success": false}'),
              2: json_reply('{"code": 200, "success": true, "result": {"articleInfo": {}}}'),
              3: json_reply("oops", status=503)}
    for n, reply in broken.items():
        site.add_page(api_url(items[n].article, "entertain"), reply)
    site.add_page(api_url(items[4].article, "entertain"), json_reply('{"code": 404, "success": false}'))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, *[arg for item in items for arg in ("--id", str(item.article))],
                       "-s", "RETRY_TIMES=0")
    counts = summary(result.stdout)
    assert (counts["failed"], counts["gone"], counts["new"]) == (4, 1, 5)
    assert result.returncode == 4, result.stderr
    assert re.search(r"page layout may have changed: 4 of 9 article pages had no body", result.stderr)
    kept = list((tmp_path / ".naver-news" / "failed").iterdir())
    assert len(kept) == 4
    assert "not JSON" in result.stdout and "HTTP 503" in result.stdout


def test_an_api_body_of_one_photo_takes_its_caption():
    item = build.ApiArticle(ArticleId("144", "0000003000"), "[포토] 레드카펫", '<span class="end_photo_org"><div class="nbd_im_w">'
                            '<img src="x.jpg"></div><em class="img_desc">레드카펫에 선 배우들<br>(사진=주최 측 제공)</em></span>',
                            "2026-11-20 19:00:00", "스포츠경향", "연예", "영화", reporter="")
    page = extract_api(build.api_answer(item))
    assert page.verdict == "ok" and content_text(page.paragraphs) == "레드카펫에 선 배우들\n(사진=주최 측 제공)"
    assert page.author == ""


def test_unsupported_is_only_for_sites_naver_news_does_not_read(tmp_path):
    site = Site()
    article = ArticleId("001", "0017000999")
    site.add_article(article, redirect("https://m.post.naver.com/viewer/postView.naver?volumeNo=1"))
    with serving(site) as mirror:
        result = crawl(mirror, tmp_path, "--id", str(article))
    assert summary(result.stdout)["unsupported"] == 1
    assert "redirected to m.post.naver.com, a site naver-news does not read" in result.stdout


def test_doctor_shows_the_api_fields_and_their_sources():
    site = api_site_of((ENTERTAINMENT, "entertain"))
    with serving(site) as mirror:
        result = naver_news("doctor", str(ENTERTAINMENT.article), "--mirror", mirror)  # an id, as users type it
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("https://api-gw.entertain.naver.com/news/article/144/0001000008\n")
    for line in ("publisher     스포츠경향  ← officeInfo.hname", "category      연예  ← article.sections[0].firstSectionName",
                 "author        윤소희 기자 (sohee@sportskyunghyang.example)  ← article.reporter"):
        assert line in result.stdout


def test_job_files_and_scrapy_crawl_take_the_api_lists(tmp_path):
    items = day_of(3)
    site = api_site_of(*((item, "entertain") for item in items))
    site.add_api_day("entertain", DAY, items)
    with serving(site) as mirror:
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "entertain", "-a", "date=2026-11-20",
                                 "-s", f"NAVER_MIRROR={mirror}", "-s", f"OUTPUT_DIR={tmp_path}", *FAST],
                                cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "run summary (finished)" in result.stderr, result.stderr
    assert len(article_files(tmp_path)) == 3
    config = tmp_path / "jobs.yaml"
    config.write_text("jobs:\n  fun:\n    schedule: 1h\n    out: fun\n    entertain: true\n"
                      "    sports: [kbaseball, wfootball]\n")
    status = naver_news("status", "--config", str(config))
    assert status.returncode == 0, status.stderr
    bad = config.read_text().replace("kbaseball", "K-Baseball!")
    config.write_text(bad)
    refused = naver_news("status", "--config", str(config))
    assert refused.returncode == 2 and "'K-Baseball!'" in refused.stderr
