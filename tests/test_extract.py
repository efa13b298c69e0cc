"""Extraction on whole fixture pages (as Scrapy hands them over) and on the body rules one by one."""
import lxml.html
import pytest
from scrapy.http import HtmlResponse

from crawler.demo import build
from crawler.demo.site import CURRENT_SAMPLES, LEGACY_SAMPLE, euc_kr_reply
from crawler.reading.article_page import (
    FAILED,
    GONE,
    OK,
    extract_page,
    legacy_time,
    page_tree,
)
from crawler.reading.body_text import read_body
from pipelines.normalize import content_text

SAMPLE_BY_OID = {article.oid: (article, name) for article, name in CURRENT_SAMPLES.items()}


def response_for(html: str | bytes, url: str, content_type: str = "text/html; charset=UTF-8") -> HtmlResponse:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return HtmlResponse(url, body=body, headers={"Content-Type": content_type})


def current(oid: str, url_suffix: str = ""):
    article, name = SAMPLE_BY_OID[oid]
    response = response_for(build.current_page(build.load_sample(name), article), article.url + url_suffix)
    return extract_page(response.selector.root, response.url)


def body(html: str) -> str:
    return content_text(read_body(lxml.html.fragment_fromstring(f"<article>{html}</article>")).paragraphs)


def test_fixture_pages_are_as_large_as_real_ones():
    for article, name in CURRENT_SAMPLES.items():
        assert len(build.current_page(build.load_sample(name), article).encode()) > 120_000, name


def test_seed_page_fields():
    page = current("648")
    assert page.verdict == OK
    assert page.title == '"KT 과실"…이용자 모두 위약금 면제 대상'
    assert page.publisher == "비즈워치"
    assert " ".join(page.author.split()) == "왕보경 (king@bizwatch.co.kr)"
    assert (page.published_at, page.modified_at, page.category) == ("2025-12-29 00:00", "", "")


def test_summary_lines_table_rows_and_modified_date():
    page = current("001")
    assert page.modified_at == "2026-01-02 10:41"
    assert page.category == "경제"
    text = content_text(page.paragraphs)
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == '농축수산물 1.4%↑·석유류 3.8%↑\n근원물가 1.9%…"새해 공공요금 인상이 변수"'
    assert "구분 | 11월 | 12월" in paragraphs and "석유류 | 1.2% | 3.8%" in paragraphs
    # a <div> with a single <br> inside is one paragraph of two lines
    assert any(p.startswith("품목별로 보면") and p.count("\n") == 1 for p in paragraphs)
    # the tip line is all link text: promotion, dropped; the empty table row is dropped too
    assert "okjebo" not in text and "|  |" not in text


def test_photos_captions_video_and_hidden_text_are_not_text():
    page = current("055")
    text = content_text(page.paragraphs)
    for not_text in ("사진=시청자 제공", "복구 작업 중인", "새벽 3시 전력이 복구된", "02:14", "재생", "영상편집 : 최민호\n"):
        assert not_text not in text
    assert "(영상취재 : 김태윤, 영상편집 : 최민호)" in text
    assert page.author == "박서준 기자(seojun@sbs.co.kr), 이도현 기자(dohyun@sbs.co.kr)"


def test_hostile_characters_survive_as_text():
    page = current("421")
    assert page.title == '#단독: "C:\\Windows\\Temp" 폴더 비우면 업데이트 실패…MS \'주의\' 공지 🚨'
    text = content_text(page.paragraphs)
    assert "\n\n---\n\n" in text and "\n\n# 이 줄은 샵(#)으로 시작하지만 제목이 아니다 & 본문이다.\n\n" in text
    # a sentence with one short link keeps it; a line that is mostly links is promotion
    assert "자세한 내용은 MS 지원 페이지에서 확인할 수 있다." in text
    assert "홈페이지 바로가기" not in text and "jebo@news1.kr" not in text


def test_no_logo_no_journalist_and_category_from_sid():
    page = current("015", "?sid=104")
    assert (page.publisher, page.author, page.category) == ("한국경제", "", "세계")
    assert current("015").category == ""


def test_legacy_euc_kr_page_is_decoded_by_its_declared_charset():
    article, name = LEGACY_SAMPLE
    reply = euc_kr_reply(build.legacy_page(build.load_sample(name), article))
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    response = response_for(reply.body, "https://news.naver.com/main/read.nhn?oid=029&aid=0002700005",
                            reply.content_type)
    page = extract_page(response.selector.root, response.url)
    assert page.verdict == OK
    assert page.title == '과기부 "5G 28㎓ 대역 재할당 안 한다"…통신 3사 투자 계획 수정'
    assert (page.publisher, page.category) == ("디지털타임스", "IT/과학")
    assert (page.published_at, page.modified_at) == ("2020-11-23 12:07", "2020-11-23 15:41")
    text = content_text(page.paragraphs)
    assert text.startswith("과학기술정보통신부가 이동통신 3사에")
    assert text.endswith("이현정기자 hj@dt.co.kr")  # the promotion lines after it are dropped
    assert "flash" not in text and "디지털타임스 DB" not in text


def test_error_page_is_gone():
    error = response_for(build.error_page("x"), "https://n.news.naver.com/mnews/article/023/0003900007")
    assert extract_page(error.selector.root, error.url).verdict == GONE


def test_article_with_an_empty_body_fails_naming_the_field():
    html = ('<html><body><div id="ct"><h2 id="title_area">제목</h2>'
            '<span data-date-time="2025-01-01 10:00:00"></span>'
            '<img class="media_end_head_top_logo_img" alt="언론사"><article id="dic_area"> </article>'
            "</div></body></html>")
    response = response_for(html, "https://n.news.naver.com/mnews/article/001/0000000001")
    page = extract_page(response.selector.root, response.url)
    assert (page.verdict, page.missing) == (FAILED, ("content",))


def test_a_full_page_with_no_sign_of_an_article_at_an_article_url_has_failed():
    """A layout change that took every container and meta tag with it is not a deleted article."""
    article, name = SAMPLE_BY_OID["648"]
    stripped = build.current_page(build.load_sample(name), article)
    for marker in ('id="dic_area"', 'id="title_area"', "data-date-time", 'property="og:type"',
                   'property="og:title"', "media_end_head_headline"):
        stripped = stripped.replace(marker, 'data-x="y"')
    response = response_for(stripped, article.url)
    page = extract_page(response.selector.root, article.url, "", len(response.body))
    assert page.verdict == FAILED and page.missing == ("title", "published_at", "content")
    error = response_for(build.error_page("x"), article.url)
    assert extract_page(error.selector.root, article.url, "", len(error.body)).verdict == GONE  # error markup
    small = response_for("<html><body><p>없는 기사</p></body></html>", article.url)
    assert extract_page(small.selector.root, article.url, "", len(small.body)).verdict == GONE


@pytest.mark.parametrize("text, expected", [
    ("2020.09.19. 오후 8:28", "2020-09-19 20:28"),
    ("2020.09.19. 오전 8:28", "2020-09-19 08:28"),
    ("2019.03.29. 오후 12:05", "2019-03-29 12:05"),
    ("2019.03.29. 오전 12:05", "2019-03-29 00:05"),
    ("2019.3.9. 14:05", "2019-03-09 14:05"),
    ("어제", ""),
])
def test_legacy_time(text, expected):
    assert legacy_time(text) == expected


@pytest.mark.parametrize("html, expected", [
    ("첫 줄<br>둘째 줄<br><br>새 문단", "첫 줄\n둘째 줄\n\n새 문단"),
    ("a<br> <br>\n<br>b", "a\n\nb"),
    ("<p>하나</p><p>둘</p>", "하나\n\n둘"),
    ("글 <b>굵게</b> 이어짐", "글 굵게 이어짐"),
    ("<b>소제목</b><br><br>본문", "소제목\n\n본문"),
    ('<strong class="media_end_summary">요약</strong>본문 시작', "요약\n\n본문 시작"),
    ("AP<span data-type=\"ore\" data-lang=\"en\">AP</span>통신", "APAP통신"),
    ("공백\xa0\xa0 여러 \t개", "공백 여러 개"),
    ("e\u0301", "\u00e9"),  # NFC
    ("<div><br></div><p> </p>", ""),
    ("<table><tr><td>a</td><td></td><td>b</td></tr></table>", "a | b"),
    ('<table class="nbd_table"><tr><td><img src="x"><em class="img_desc">캡션</em></td></tr></table>끝', "끝"),
    ('본문 <a href="#">링크</a> 문장은 남는다', "본문 링크 문장은 남는다"),
    ('<a href="#">구독</a> / <a href="#">홈페이지</a><br>남는 줄', "남는 줄"),
    ("<script>var x = 1;</script><!-- 주석 -->텍스트<style>p{}</style>", "텍스트"),
    ('<span class="blind">숨김</span>보임', "보임"),
])
def test_body_rules(html, expected):
    assert body(html) == expected


def test_a_byte_the_charset_lacks_does_not_cut_the_page_short():
    """page_tree decodes as Scrapy does (U+FFFD for a bad byte); libxml2 would stop there."""
    article, name = LEGACY_SAMPLE
    served = euc_kr_reply(build.legacy_page(build.load_sample(name), article))
    broken = served.body.replace(b"<body", b"<!-- \xff\xff --><body", 1)  # 0xFF starts no EUC-KR character
    response = response_for(broken, article.url, served.content_type)
    page = extract_page(page_tree(response.body, response.encoding), article.url)
    assert page == extract_page(response.selector.root, article.url)
    assert page.verdict == OK
