"""Today's Naver (issue 10): the 2026 layout, photo-only articles, dateline authors, and the
health check that tells a photo flash from a broken page."""
from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse

from crawler.demo import build
from crawler.demo.server import serving
from crawler.demo.site import SAMPLES_2026, Site, html_reply
from crawler.reading.article_page import CAPTIONS, DATELINE, OK, extract_page
from crawler.reading.dateline import dateline_author
from crawler.sources.ids import ArticleId
from pipelines.normalize import content_text
from tests.conftest import FAST, article_files, naver_news, summary

BY_NAME = {name: article for article, name in SAMPLES_2026.items()}


def page_of(name: str) -> tuple[ArticleId, str]:
    article = BY_NAME[name]
    return article, build.page_2026(build.load_sample(name), article)


def extracted(name: str):
    article, html = page_of(name)
    response = HtmlResponse(article.url, body=html.encode())
    return extract_page(response.selector.root, response.url, response.url, len(response.body))


# The contract's table (output-format.md, amendments of 2026-12-01), every row.
@pytest.mark.parametrize("line, author", [
    ("[데일리안 = 김효경 기자] 나이가 들면서…", "김효경 기자"),
    ("(서울=연합뉴스) 김경윤 기자 = 정부가…", "김경윤 기자"),
    ("[서울=뉴시스]박나리 기자 = 삼성전자가…", "박나리 기자"),
    ("[이데일리 김소연 기자] 삼성전자 목표주가는…", "김소연 기자"),
    ("(워싱턴=연합뉴스) 김동현 특파원 = 미국…", "김동현 특파원"),
    ("(서울=연합뉴스) 7일 오전 전남광주 고흥…", ""),
    ("경기 시흥시의 한 아파트에서…", ""),
    # and what must not pass for a dateline
    ("정부가 김경윤 기자 = 발표했다", ""),             # not at the start
    ("한 관계자는 이지현 기자에게 말했다.", ""),         # a 기자 in the text
    ("[단독] 반도체 수출 사상 최대", ""),               # a label, no reporter
    ("[앵커리포트] 손흥민의 소감", ""),
    ("김경윤 기자 = 정부가…", "김경윤 기자"),           # NAME 기자 = at the very start
    ("[연합뉴스 남궁민수기자] 정부가", "남궁민수 기자"),   # 4 syllables, no space before 기자
    ("[기자수첩] 오늘의 국회", ""),
])
def test_dateline_rule(line, author):
    assert dateline_author(line) == author


def test_fixture_pages_are_the_size_of_real_ones():
    for name in SAMPLES_2026.values():
        assert len(page_of(name)[1].encode()) > 230_000, name


def test_photo_only_flash_takes_its_caption_as_content():
    page = extracted("2026_001_0016500001.html")
    assert page.verdict == OK and page.sources["content"] == CAPTIONS
    assert content_text(page.paragraphs) == (
        "다누리 2호, 발사대 기립 완료\n"
        "(고흥=연합뉴스) 18일 오전 전남 고흥 나로우주센터 발사대에 달 궤도선 다누리 2호를 실은 발사체가 기립해 있다.\n"
        "항공우주 당국은 기상 조건과 장비 점검 결과를 다시 살핀 뒤 발사 예정 시각을 오후 3시 10분으로 정했다. "
        "2026.11.18 [우주항공청 제공. 재판매 및 DB 금지] photo@yna.co.kr")
    assert page.author == ""  # a caption's "(고흥=연합뉴스)" names no reporter
    assert (page.title, page.publisher, page.category, page.published_at, page.modified_at) == (
        "[1보] 다누리 2호 발사 카운트다운 재개…오후 3시 10분 목표", "연합뉴스", "IT", "2026-11-18 13:02",
        "2026-11-18 13:20")
    assert page.sources["publisher"] == "span.media_end_head_top_press"


def test_two_photos_in_ab_photo_wrappers_are_two_caption_paragraphs():
    page = extracted("2026_001_0016500002.html")
    assert page.verdict == OK
    assert content_text(page.paragraphs) == ("18일 오전 짙은 안개 속 서해안고속도로 하행선에서 차량 12대가 잇따라 부딪혔다.\n"
                                            "[독자 제공. 재판매 및 DB 금지]\n\n사고 수습 현장 (화성=연합뉴스)")


def test_dateline_author_and_every_body_variation():
    page = extracted("2026_119_0003050003.html")
    assert (page.author, page.sources["author"]) == ("한지우 기자", DATELINE)  # not 김민석, named later
    paragraphs = content_text(page.paragraphs).split("\n\n")
    assert paragraphs == [
        "[데일리안 = 한지우 기자] 올겨울 첫 한파가 예보되면서 전력 당국이 수급 점검에 나섰다.",  # <br>  <br> with spaces
        "산업통상자원부는 17일 겨울철 전력 수급 대책을 발표하고 최대 전력 수요가 다음 달 셋째 주에 정점을 찍을 것으로 내다봤다.",
        "당국은 예비 전력이 한때 한 자릿수로 떨어질 수 있다고 보고 발전소 정비 일정을 앞당기기로 했다. "
        "석탄 발전 상한제도 한파 기간에는 일부 풀기로 했다.",  # the comment between is nothing
        "수요 관리 얼마나 빠질까?",  # one subheading split over two <strong>s
        "공장과 대형 건물의 자발적 절전에 참여하면 요금을 깎아 주는 제도도 이번 겨울 처음으로 가정까지 넓힌다. "
        "당국은 참여 가구가 30만 곳을 넘으면 최대 수요를 1기가와트가량 낮출 수 있다고 봤다.",
        "\"피크 시간대만 줄여도 효과\"",  # a <div style> subheading, glued to the next paragraph
        "한 에너지 연구기관 관계자는 \"저녁 6시부터 8시까지만 사용을 줄여도 계통 부담이 크게 준다\"고 말했다. "
        "관계자는 김민석 기자에게 이같이 설명했다.",
    ]


def test_summary_video_and_newsis_dateline():
    page = extracted("2026_003_0013200004.html")
    assert page.author == "박나리 기자"
    paragraphs = content_text(page.paragraphs).split("\n\n")
    assert paragraphs[0] == "평택 라인에 20조원 추가 투자\n\"고대역폭 메모리 수요 대응\""
    assert paragraphs[1].startswith("[서울=뉴시스]박나리 기자 = 삼성전자가")  # the dateline stays in the text
    assert "\"공급 부족 2년은 더 간다\"" in paragraphs  # div.navernews_end_title
    assert paragraphs[-1] == "※ 뉴시스 제보\n[전화] 02-721-7400\n[메일] jebo@newsis.com"
    assert not any("pzp" in p or "coverImage" in p or "평택=뉴시스" in p for p in paragraphs)  # video, caption


def test_series_label_summary_and_text_in_one_div():
    page = extracted("2026_018_0006100005.html")
    assert page.author == "김소연 기자"
    paragraphs = content_text(page.paragraphs).split("\n\n")
    assert paragraphs[0] == "[스타의 건강]" and len(paragraphs) == 4


def test_no_dateline_no_author_and_the_credit_caption_is_not_text():
    page = extracted("2026_020_0003900006.html")
    assert page.author == "" and page.verdict == OK
    assert content_text(page.paragraphs).startswith("서울시가 도심 공원")
    assert "뉴스1" not in content_text(page.paragraphs)


def test_the_2026_fixtures_end_to_end_through_the_mirror(tmp_path):
    site = Site()
    for article, name in SAMPLES_2026.items():
        site.add_article(article, html_reply(page_of(name)[1]))
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                            *[arg for article in SAMPLES_2026 for arg in ("--id", str(article))])
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout)["new"] == 6 and not result.stderr
    files = article_files(tmp_path)
    flash = files["001_0016500001"]
    assert flash.fields["author"] == "" and flash.content.startswith("다누리 2호, 발사대 기립 완료\n")
    assert files["119_0003050003"].fields["author"] == "한지우 기자"
    assert files["003_0013200004"].fields["publisher"] == "뉴시스"
    assert files["018_0006100005"].fields["category"] == "생활"
    assert (tmp_path / "2026/11/18/001_0016500001.md").exists()


def flashes_and_articles(flashes: int, articles: int) -> tuple[Site, list[ArticleId]]:
    """A day whose flashes are photo-only pages and the rest ordinary 2026 articles."""
    site, ids = Site(), []
    flash = build.load_sample("2026_001_0016500001.html")
    story = build.load_sample("2026_020_0003900006.html")
    for n in range(flashes + articles):
        article = ArticleId("001", f"{16600000 + n:010d}")
        sample = flash if n < flashes else story
        meta = {**sample.meta, "title": f"{sample.meta['title']} ({n})"}
        core = sample.core.replace("발사대 기립 완료", f"발사대 기립 완료 {n}").replace("열두 곳", f"{n + 12}곳")
        site.add_article(article, html_reply(build.page_2026(build.Sample(meta, core), article)))
        ids.append(article)
    return site, ids


def test_a_day_of_photo_flashes_is_no_alarm(tmp_path):
    site, ids = flashes_and_articles(5, 15)  # a quarter are flashes
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                            *[arg for article in ids for arg in ("--id", str(article))])
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout)["new"] == 20 and "layout may have changed" not in result.stderr


def test_2026_pages_that_lose_their_body_still_raise_the_alarm(tmp_path):
    site, ids = flashes_and_articles(2, 8)
    for article in ids[:6]:
        html = site.articles[article][0].body.decode()
        site.articles[article] = [html_reply(re.sub(r'<article id="dic_area"', '<article id="dic_area_v2"', html))]
    with serving(site) as mirror:
        result = naver_news("crawl", "--mirror", mirror, "--out", str(tmp_path), *FAST,
                            *[arg for article in ids for arg in ("--id", str(article))])
    assert result.returncode == 4, result.stderr
    assert "6 of 10 article pages had no body" in result.stderr


def test_doctor_on_a_saved_2026_page(tmp_path):
    article, html = page_of("2026_001_0016500001.html")
    saved = tmp_path / "page.html"
    saved.write_text(html, encoding="utf-8")
    result = naver_news("doctor", str(saved))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(article.url + "\n")
    assert "content       1 paragraphs" in result.stdout and CAPTIONS in result.stdout
    assert f"author        — (not found: span.byline_s, em.media_end_head_journalist_name, {DATELINE})" \
        in result.stdout
    empty = tmp_path / "empty.html"
    empty.write_text(re.sub(r"<em class=\"img_desc\">.*?</em>", "", html, flags=re.S), encoding="utf-8")
    broken = naver_news("doctor", str(empty))
    assert broken.returncode == 4
    assert "content       MISSING (body found, no text" in broken.stdout
