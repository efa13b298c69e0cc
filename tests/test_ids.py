import pytest

from crawler.sources.ids import (
    ArticleId,
    InvalidArticleId,
    api_site,
    api_url,
    parse_article_ref,
)

SEED = ArticleId("648", "0000043044")


@pytest.mark.parametrize("value", [
    "https://n.news.naver.com/mnews/article/648/0000043044?sid=105",
    "https://n.news.naver.com/mnews/article/648/0000043044",
    "https://n.news.naver.com/article/648/0000043044",
    "https://n.news.naver.com/article/newspaper/648/0000043044?date=20251229",
    "https://n.news.naver.com/mnews/article/comment/648/0000043044",
    "https://m.news.naver.com/article/648/0000043044",
    "https://news.naver.com/main/read.naver?mode=LSD&mid=sec&sid1=101&oid=648&aid=0000043044",
    "https://news.naver.com/main/read.nhn?oid=648&aid=0000043044",
    "http://news.naver.com/main/read.nhn?aid=0000043044&oid=648",
    "648/0000043044",
    "648_0000043044",
    " 648/43044 ",
    "648_43044",
])
def test_every_form_names_the_same_article(value):
    assert parse_article_ref(value) == SEED


def test_canonical_form_is_zero_padded():
    article = parse_article_ref("1/14000000")
    assert (article.oid, article.aid, article.key) == ("001", "0014000000", "001_0014000000")
    assert article.url == "https://n.news.naver.com/mnews/article/001/0014000000"
    assert str(article) == "001/0014000000"


def test_entertainment_and_sports_urls_are_recognised_and_read_through_their_api():
    for url, site in (("https://m.entertain.naver.com/article/144/0001000008", "entertain"),
                      ("https://m.entertain.naver.com/home/article/144/0001000008", "entertain"),
                      ("https://m.sports.naver.com/article/076/0004200001", "sports"),
                      ("https://m.sports.naver.com/kbaseball/article/076/0004200001", "sports")):
        article = parse_article_ref(url)
        assert article.oid in ("144", "076") and api_site(url) == site
        assert api_url(article, site) == f"https://api-gw.{site}.naver.com/news/article/{article.oid}/{article.aid}"
        assert parse_article_ref(api_url(article, site)) == article
    assert not api_site(SEED.url)


@pytest.mark.parametrize("value", [
    "648/abc", "99999/1", "648/12345678901", "", "   ", "0/1", "648/0",
    "https://example.com/mnews/article/648/0000043044",
    "https://n.news.naver.com/main/ranking/popularDay.naver",
    "https://news.naver.com/main/read.nhn?oid=648",
    "ftp://n.news.naver.com/mnews/article/648/0000043044",
    "648-0000043044", "hello",
])
def test_garbage_is_rejected_naming_the_value(value):
    with pytest.raises(InvalidArticleId) as error:
        parse_article_ref(value)
    assert repr(value) in str(error.value)
    assert "\n" not in str(error.value)
