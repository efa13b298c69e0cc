"""A mirror of a small piece of Naver: what answers each URL, and how often it was asked.

The demo serves `demo_site()`; tests build their own Site from the same pieces.
Articles are found by their (oid, aid) whatever URL form names them, as on Naver.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from crawler.demo import build
from crawler.sources.ids import API_HOSTS, ArticleId, api_url, id_from_url

HTML_UTF8 = "text/html; charset=UTF-8"
HTML_EUC_KR = "text/html; charset=EUC-KR"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer. `location` is a Naver URL; the server sends it in mirror form."""

    status: int = 200
    body: bytes = b""
    content_type: str = HTML_UTF8
    location: str = ""
    headers: tuple[tuple[str, str], ...] = ()


def html_reply(page: str, status: int = 200) -> Reply:
    return Reply(status, page.encode("utf-8"))


def euc_kr_reply(page: str) -> Reply:
    """Encoded as Naver served its legacy pages; characters EUC-KR lacks become references, as there."""
    return Reply(200, page.encode("cp949", errors="xmlcharrefreplace"), HTML_EUC_KR)


def json_reply(text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode("utf-8"), "application/json; charset=UTF-8")


def redirect(url: str) -> Reply:
    return Reply(302, b"", HTML_UTF8, url)


class Site:
    """Replies by URL, with a log of the requests (thread-safe: the server is threaded).

    An article or page may be given several replies: the n-th request gets the n-th,
    and the last one answers from then on (a 429 then the page; a page then its edit).
    """

    def __init__(self) -> None:
        self.articles: dict[ArticleId, list[Reply]] = {}
        self.pages: dict[str, list[Reply]] = {}
        self.requests: list[tuple[float, str]] = []  # (monotonic time, URL)
        self.asked: Counter[object] = Counter()
        self._lock = threading.Lock()
        self.not_found = html_reply(build.error_page("not-found"), 404)
        self.delay = 0.0  # seconds before each answer: a slow site, to catch a crawl mid-way
        self.day_lists: dict[tuple[str, ...], tuple[list[build.Listed], bool]] = {}
        self.section_days: dict[tuple[str, str, str], tuple[list[build.Listed], list[build.Listed]]] = {}
        self.api_days: dict[tuple[str, str, str], list[build.ApiArticle]] = {}

    def add_article(self, article: ArticleId, *replies: Reply) -> None:
        self.articles[article] = list(replies)

    def add_page(self, url: str, *replies: Reply) -> None:
        self.pages[url] = list(replies)

    def add_day_list(self, query: dict[str, str], entries: list[build.Listed], endless_paging: bool = False) -> None:
        """A press or section day list: `query` holds mode and oid or sid1 (sid2) and date.
        With `endless_paging` every page links to a next one, so only the repeated last
        page tells a crawler it has gone past the end."""
        self.day_lists[_list_key(query)] = (entries, endless_paging)

    def add_section_day(self, sid1: str, sid2: str, date: str, entries: list[build.Listed],
                        headline: list[build.Listed] = ()) -> None:
        """A 2026 section list of one day (sid2 '' for the whole section): its page, then
        pages of 36 from the cursor endpoint; `headline` fills the block never to crawl."""
        self.section_days[(sid1, sid2, date)] = (entries, list(headline))

    def add_api_article(self, item: build.ApiArticle, site: str, sport: str = "kbaseball") -> None:
        """An entertainment or sports article, as Naver serves one: its n.news URL redirects
        to the site's script-rendered page, and the article API answers with the JSON."""
        article = item.article
        page = (f"https://m.entertain.naver.com/home/article/{article.oid}/{article.aid}" if site == "entertain"
                else f"https://m.sports.naver.com/{sport}/article/{article.oid}/{article.aid}")
        self.add_article(article, redirect(page))
        self.add_page(page, html_reply(build.script_rendered_page(article)))
        self.add_page(api_url(article, site), json_reply(build.api_answer(item)))

    def add_api_day(self, site: str, date: str, items: list[build.ApiArticle], sport: str = "") -> None:
        """The day list of the entertainment API (sport '') or of one sport's."""
        self.api_days[(site, sport, date)] = items

    def reply(self, url: str) -> Reply:
        with self._lock:
            self.requests.append((time.monotonic(), url))
        parts = urlsplit(url)
        query = {name: values[0] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        if url not in self.pages and parts.netloc == "news.naver.com" and parts.path == "/main/list.naver":
            return self._list_reply(query)
        if url not in self.pages and parts.netloc in (API_HOSTS["entertain"], API_HOSTS["sports"]) and \
                parts.path.startswith("/news/articles"):
            site = "entertain" if parts.netloc == API_HOSTS["entertain"] else "sports"
            items = self.api_days.get((site, parts.path.removeprefix("/news/articles").strip("/"), query.get("date", "")))
            if items is None:
                return self.not_found
            page, size = int(query.get("page") or 1), int(query.get("pageSize") or 20)
            return json_reply(build.api_day_list(site, items, page, size))
        if url not in self.pages and parts.netloc == "news.naver.com" and (
                parts.path.startswith("/breakingnews/section/") or parts.path.endswith("/SECTION_ARTICLE_LIST_FOR_LATEST")):
            return self._section_reply(parts.path, query)
        key: object = url if url in self.pages else _article_named(url)
        replies = self.pages.get(url) or self.articles.get(key) or [self.not_found]
        with self._lock:
            self.asked[key] += 1
            return replies[min(self.asked[key], len(replies)) - 1]

    def _list_reply(self, query: dict[str, str]) -> Reply:
        entries, endless_paging = self.day_lists.get(_list_key(query), ([], False))
        page = int(query["page"]) if query.get("page", "").isdigit() else 1
        own_query = urlencode({name: value for name, value in query.items() if name != "page"})
        heading = f"{query.get('date', '')} {query.get('oid') or query.get('sid2') or query.get('sid1', '')}"
        return euc_kr_reply(build.list_page(heading, own_query, entries, page, endless_paging))

    def _section_reply(self, path: str, query: dict[str, str]) -> Reply:
        more = path.endswith("_LATEST")
        sid1, sid2 = (query.get("sid", ""), query.get("sid2", "")) if more else (path.split("/") + [""])[3:5]
        day = self.section_days.get((sid1, sid2, query.get("date", "")))
        if day is None:
            return self.not_found
        entries, headline = day
        cursor = query.get("next", "")
        start = int(cursor[8:]) if more and cursor[8:].isdigit() else 0
        shown = entries[start:start + build.SECTION_PAGE_SIZE]
        end = start + len(shown)
        wrapper = build.latest_wrapper(sid1, sid2, shown, f"{query['date']}{end:06d}", end < len(entries),
                                       int(query.get("pageNo", "1") or 1))
        if more:
            return Reply(200, build.section_more_json(wrapper).encode(), "application/json; charset=UTF-8")
        return html_reply(build.section_page_2026(sid1, sid2, query["date"], headline, wrapper))

    @property
    def hits(self) -> Counter[str]:
        """Requests per URL."""
        with self._lock:
            return Counter(url for _, url in self.requests)


def _list_key(query: dict[str, str]) -> tuple[str, ...]:
    return tuple(query.get(name, "") for name in ("mode", "oid", "sid1", "sid2", "date"))


def _article_named(url: str) -> ArticleId | None:
    try:
        return id_from_url(url)
    except ValueError:
        return None


# The demo's articles: (oid/aid, sample file). Each shows something real pages do.
CURRENT_SAMPLES = {
    ArticleId("648", "0000043044"): "648_0000043044.html",  # the seed article
    ArticleId("001", "0015100001"): "001_0015100001.html",  # <br> summary, <p>/<div> body, data table, modified
    ArticleId("055", "0001200002"): "055_0001200002.html",  # video, photo tables, two journalists
    ArticleId("421", "0007300003"): "421_0007300003.html",  # YAML/Markdown-hostile text, emoji, entities
    ArticleId("015", "0005000006"): "015_0005000006.html",  # no logo, no journalist, category from ?sid=
}
# Pages as Naver serves them since 2026 (no journalist element, the press name in the header,
# the category after the copyright), each showing what the real pages of October 2026 do.
SAMPLES_2026 = {
    ArticleId("001", "0016500001"): "2026_001_0016500001.html",  # [1보] flash: one photo and its caption
    ArticleId("001", "0016500002"): "2026_001_0016500002.html",  # [속보]: two photos in div.ab_photo wrappers
    ArticleId("119", "0003050003"): "2026_119_0003050003.html",  # [데일리안 = … 기자] dateline, split <strong>
    ArticleId("003", "0013200004"): "2026_003_0013200004.html",  # video block, summary, [서울=뉴시스]… 기자 =
    ArticleId("018", "0006100005"): "2026_018_0006100005.html",  # series label summary, text in one <div>
    ArticleId("020", "0003900006"): "2026_020_0003900006.html",  # credit-only caption, no dateline
}
LEGACY_SAMPLE = (ArticleId("029", "0002700005"), "legacy_029_0002700005.html")
LEGACY_URL = "https://news.naver.com/main/read.nhn?mode=LSD&mid=sec&sid1=105&oid=029&aid=0002700005"
DELETED = ArticleId("023", "0003900007")
# Entertainment and sports: n.news redirects to their sites, whose article API answers JSON.
ENTERTAINMENT = build.ApiArticle(
    ArticleId("144", "0001000008"), "신인 밴드 '새벽정류장', 데뷔 앨범 발매 첫 주 1위",
    '<strong class="media_end_summary">타이틀곡 \'첫차\' 음원 차트 정상<br>"무대에서 답하겠다"</strong>'
    '<span class="end_photo_org"><div class="nbd_im_w"><div class="nbd_a"><img src="https://imgnews.pstatic.net/'
    'image/144/2026/11/20/0001000008_001.jpg" alt=""></div></div><em class="img_desc">밴드 새벽정류장. '
    '(사진=소속사 제공)</em></span><br><br>신인 밴드 새벽정류장이 데뷔 앨범으로 발매 첫 주 음반 판매 차트 1위에 올랐다.'
    '<br><br>20일 음반 집계 사이트에 따르면 이들의 첫 정규 앨범은 지난주에만 4만 장이 넘게 팔렸다.<br><br>'
    '멤버들은 "무대에서 더 좋은 음악으로 답하겠다"고 말했다.', "2026-11-20 18:05:12", "스포츠경향", "연예",
    "가요", reporter="윤소희 기자 (sohee@sportskyunghyang.example)")
ENTERTAINMENT_URL = f"https://m.entertain.naver.com/home/article/{ENTERTAINMENT.article.oid}/{ENTERTAINMENT.article.aid}"
SPORTS = build.ApiArticle(
    ArticleId("109", "0005400009"), "[프로야구] 21일 전적", "▲ 잠실전적(21일)<br><br>    한빛  001 200 030 - 6<br>"
    "    바다  100 000 002 - 3<br><br>△ 승리투수 = 김도윤(5승 2패) △ 패전투수 = 이서준(3승 4패)<br><br>"
    "△ 홈런 = 박지훈 1호(3회 2점·한빛)", "2026-11-21 21:40:03", "OSEN", "스포츠", "야구",
    bylines=("OSEN 스포츠부 (sports@osen.example)",))
UNKNOWN = ArticleId("001", "0099999999")

DEMO_IDS = [str(article) for article in (*CURRENT_SAMPLES, *SAMPLES_2026)] + \
    [str(DELETED), str(ENTERTAINMENT.article), str(SPORTS.article), str(UNKNOWN)]
DEMO_URLS = [LEGACY_URL, ArticleId("015", "0005000006").url + "?sid=101"]


def generated_site(articles: dict[ArticleId, str]) -> Site:
    """A site of generated articles, each published at the given `YYYY-MM-DD HH:MM`."""
    site = Site()
    for article, published in articles.items():
        site.add_article(article, html_reply(build.current_page(build.generated_sample(article, published), article)))
    return site


def demo_site() -> Site:
    """Every sample page where Naver would serve it, plus a deleted, a redirected and no page."""
    site = Site()
    for article, name in CURRENT_SAMPLES.items():
        site.add_article(article, html_reply(build.current_page(build.load_sample(name), article)))
    for article, name in SAMPLES_2026.items():
        site.add_article(article, html_reply(build.page_2026(build.load_sample(name), article)))
    legacy, name = LEGACY_SAMPLE
    site.add_article(legacy, euc_kr_reply(build.legacy_page(build.load_sample(name), legacy)))
    # Deleted articles answer 200 with an error page, as Naver often does.
    site.add_article(DELETED, html_reply(build.error_page(DELETED.key)))
    site.add_api_article(ENTERTAINMENT, "entertain")
    site.add_api_article(SPORTS, "sports", "kbaseball")
    return site
