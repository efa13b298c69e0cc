"""Whole pages from the sample articles in `pages/`: current layout, legacy layout, error pages.

A sample file holds what differs between articles (head block, body, byline) after a
YAML comment with the page's metadata; this module wraps it in the chrome of a real
page (`chrome.py`), so every served page has the size and mess of the real thing.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from crawler.demo import chrome
from crawler.sources.ids import SECTIONS as SECTION_NAMES
from crawler.sources.ids import ArticleId

_META_COMMENT = re.compile(r"\A<!--\n(.*?)\n-->\n", re.S)
_CARD = re.compile(r"\{\{JOURNALIST_CARD:([^}]*)\}\}")


@dataclass(frozen=True)
class Sample:
    """One sample article: its metadata and the article-specific HTML."""

    meta: dict
    core: str


def load_sample(name: str) -> Sample:
    text = resources.files("crawler.demo").joinpath("pages", name).read_text(encoding="utf-8")
    match = _META_COMMENT.match(text)
    if not match:
        raise ValueError(f"sample page {name} has no metadata comment")
    return Sample(yaml.safe_load(match.group(1)), text[match.end():])


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def current_page(sample: Sample, article: ArticleId) -> str:
    """A page in today's layout (n.news.naver.com/mnews/article/…)."""
    meta, seed = sample.meta, article.key
    core = _CARD.sub(lambda m: chrome.journalist_card(seed, m.group(1)), sample.core)
    title, publisher = _attr(meta["title"]), _attr(meta["publisher"])
    return f"""<!doctype html>
<html lang="ko" data-useragent="pc" class="">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<title>{title} : 네이버 뉴스</title>
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="og:url" content="{article.url}">
<meta property="og:image" content="https://imgnews.pstatic.net/image/{article.oid}/{article.aid}_001.jpg">
<meta property="og:description" content="{title}">
<meta property="og:article:author" content="{publisher} | 네이버">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{title}">
<meta name="twitter:creator" content="{publisher}">
<link rel="canonical" href="{article.url}">
{chrome.head_assets(seed)}
</head>
<body class="n_news as_dark_mode_support">
<div class="u_skip"><a href="#ct">본문 바로가기</a></div>
{chrome.header_menu(article.oid, publisher)}
<div id="ct_wrap" class="ct_wrap"><div class="newsct_wrapper _GRID_TEMPLATE_COLUMN _STICKY_CONTENT">
<div id="ct" class="newsct" role="main">
{core}
{chrome.reaction_and_comments(seed)}
</div>
{chrome.sidebar(seed)}{chrome.sidebar(f"{seed}/more")}
</div></div>
{chrome.footer_scripts(seed)}
</body>
</html>
"""


def page_2026(sample: Sample, article: ArticleId, rankings: int = 4) -> str:
    """A page as Naver served them in October 2026 (`../real-pages/2026/`), 230+ KB: the press
    name beside a lazy logo, no journalist element, the dates and the press's own link, the
    head's tool layers, an optional video block before the body, the category line after
    the copyright, and the ranking chrome after the article column (`rankings` more boxes
    of it: 4 make 254-257 KB, 5 make 287-290 KB). The article column ends ~33 KB in (35-40 on real pages)."""
    meta, seed = sample.meta, article.key
    title, publisher = _attr(meta["title"]), _attr(meta["publisher"])
    published, modified = meta["published"], meta.get("modified", "")
    section = json.dumps({"officeId": article.oid, "articleId": article.aid, "sectionId": meta.get("sid1", ""),
                          "sectionInfo": {"firstSection": meta.get("sid1", ""), "secondSection": meta.get("sid2", "")}})
    modified_bunch = f"""
       <div class="media_end_head_info_datestamp_bunch"><em class="media_end_head_info_datestamp_term">수정</em>
        <span class="media_end_head_info_datestamp_time _ARTICLE_MODIFY_DATE_TIME" data-modify-date-time="{modified}" data-modify-date-time-age-in-minutes="83">{modified[:10]}</span></div>""" if modified else ""
    video = f"""<div class="_VOD_PLAYER_WRAP" data-video-index="0" data-video-id="{seed}" data-nvp-playable="true"></div>
 <div class="vod_player_wrap _VIDEO_AREA_WRAP"><div id="video_area_0" class="video_area _VIDEO_AREA"><pzp-pc-layout></pzp-pc-layout></div></div>
 <script type="x-tmpl-mustache" class="_VOD_IMAGE_REPLACE_TEMPLATE"><span class="end_photo_org"><div class="nbd_im_w"><div class="nbd_a"><img src="{{{{coverImageThumbnailUrl}}}}"/></div></div></span></script>
 <script type="x-tmpl-mustache" class="_VOD_ALTERNATIVE_MESSAGE_TEMPLATE"><div class="vod_player_error {{{{css}}}}"><p class="vod_player_error_p">{{{{{{message}}}}}}</p></div></script>
""" if meta.get("video") else ""
    return f"""<!doctype html>
<html lang="ko" data-useragent="pc" class="">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="og:url" content="{article.url}">
<meta property="og:article:author" content="{publisher} | 네이버">
<meta name="twitter:creator" content="{publisher}">
<meta name="napp-site-analysis" content="gdid={article.oid}{article.aid},section={meta.get("sid1", "")}">
<link rel="canonical" href="{article.url}">
{chrome.head_assets(seed)}
<script type="text/javascript">var article = {section};</script>
</head>
<body class="n_news as_dark_mode_support">
{chrome.header_menu(article.oid, publisher)}
<div id="ct_wrap" class="ct_wrap"><div class="newsct_wrapper _GRID_TEMPLATE_COLUMN _STICKY_CONTENT">
<div id="ct" class="newsct" role="main">
<div class="media_end_head go_trans">
 <div class="media_end_head_top" data-show-type="block">
  <a href="{_attr(meta.get("press_url", ""))}" class="media_end_head_top_logo">
   <div class="media_end_head_top_thumb"><img data-src="https://mimgnews.pstatic.net/image/upload/office_logo/{article.oid}/logo_{article.oid}_100.png" width="20" height="20" alt="{publisher}" class="media_end_head_top_img _LAZY_LOADING _LAZY_LOADING_INIT_HIDE" style="display:none;"></div>
   <span class="media_end_head_top_press">{publisher}</span>
  </a>
 </div>
 <div class="media_end_head_title"><h2 id="title_area" class="media_end_head_headline"><span>{title}</span></h2></div>
 <div class="media_end_head_info nv_notrans ">
  <div class="media_end_head_info_journalist"><div class="media_end_head_journalist_info">
   <div class="media_end_head_info_datestamp"><div class="media_end_head_info_datestamp_bunch_area"><div class="media_end_head_info_datestamp_group">
       <div class="media_end_head_info_datestamp_bunch"><em class="media_end_head_info_datestamp_term">입력</em>
        <span class="media_end_head_info_datestamp_time _ARTICLE_DATE_TIME" data-date-time="{published}" data-date-time-age-in-minutes="119">{published[:10]}</span></div>{modified_bunch}
   </div></div>
   <a href="{_attr(meta.get("press_url", ""))}view/{article.aid}" target="_blank" class="media_end_head_origin_link"><span class="s_hidden">기사</span>원문</a></div>
  </div></div>
  {chrome.reaction_and_comments(seed)}
{chrome.head_tools(seed)} </div>
</div>
<div id="contents" class="newsct_body">
 {video}<div id="newsct_article" class="newsct_article _article_body">
  <article id="dic_area" class="go_trans _article_content">
{sample.core}
  </article>
 </div>
 <div class="copyright"><div class="c_inner"><p class="c_text">Copyright ⓒ {publisher}. All rights reserved. 무단 전재-재배포, AI 학습 및 활용 금지.</p></div></div>
 <div class="media_end_categorize"><a href="#" class="media_end_categorize_link _categorize_title _TOGGLE" data-target="_ARTICLE_SECTION_GUIDE_LAYER">이 기사는 언론사에서 <em class="media_end_categorize_item">{_attr(meta.get("category", ""))}</em> 섹션으로 분류했습니다.</a>
  <div id="_ARTICLE_SECTION_GUIDE_LAYER" class="media_end_categorize_ct"><em class="media_end_categorize_ct_title">기사 섹션 분류 안내</em>
  <p class="media_end_categorize_ct_p">기사의 섹션 정보는 해당 언론사의 분류를 따르고 있습니다.</p></div></div>
</div>
<div id="channelBanner" class="media_end_channel_banner"><a href="https://media.naver.com/channel/promotion?oid={article.oid}">{publisher} 채널 구독하기</a></div>
</div>
{chrome.sidebar(seed)}{"".join(chrome.sidebar(f"{seed}/{more}") for more in range(rankings))}
</div></div>
{chrome.footer_scripts(seed)}
</body>
</html>
"""


def legacy_page(sample: Sample, article: ArticleId) -> str:
    """A page in the pre-2021 layout (news.naver.com/main/read.nhn), to be served as EUC-KR."""
    meta, seed = sample.meta, article.key
    title, publisher = _attr(meta["title"]), _attr(meta["publisher"])
    return f"""<!DOCTYPE HTML>
<html lang="ko">
<head>
<meta charset="euc-kr">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title} : 네이버 뉴스</title>
<meta property="me2:post_tag" content="{publisher} : 네이버뉴스"/>
<meta property="me2:category1" content="{publisher}"/>
<meta property="me2:category2" content="{_attr(meta.get("section", ""))}"/>
<meta property="og:title" content="{title}"/>
<meta property="og:type" content="article"/>
<meta property="og:url" content="https://news.naver.com/main/read.nhn?oid={article.oid}&amp;aid={article.aid}"/>
<meta property="og:article:author" content="{publisher} | 네이버"/>
<meta name="twitter:creator" content="{publisher}">
{chrome.head_assets(seed)}
</head>
<body>
<div id="wrap">
{chrome.header_menu(article.oid, publisher)}
<table class="container" cellspacing="0" cellpadding="0"><tr>
<td class="content"><div id="main_content" class="content">
{sample.core}
{chrome.reaction_and_comments(seed)}
</div></td>
<td class="aside">{chrome.sidebar(seed)}</td>
</tr></table>
</div>
{chrome.footer_scripts(seed)}
</body>
</html>
"""


def error_page(seed: str) -> str:
    """What Naver shows for a deleted or unknown article: full chrome, no article."""
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>네이버 뉴스</title>
{chrome.head_assets(seed)}</head>
<body class="n_news">
{chrome.header_menu("000", "네이버 뉴스")}
<div id="ct_wrap" class="ct_wrap"><div class="error_wrap"><div class="error_content">
<h2 class="error_title">요청하신 페이지를 찾을 수 없습니다.</h2>
<p class="error_text">기사가 삭제되었거나 주소가 잘못 입력되었습니다.<br>입력하신 주소가 정확한지 다시 한번 확인해 주세요.</p>
<a href="https://news.naver.com" class="error_btn">네이버 뉴스 홈</a></div></div>
{chrome.sidebar(seed)}</div>
{chrome.footer_scripts(seed)}
</body></html>
"""


def script_rendered_page(article: ArticleId) -> str:
    """An entertainment/sports page: an empty shell that scripts fill in a browser."""
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>네이버 엔터</title>
<meta property="og:url" content="https://m.entertain.naver.com/article/{article.oid}/{article.aid}"></head>
<body><div id="root"></div>
<script>window.__INITIAL_STATE__ = {{"articleId": "{article.aid}", "officeId": "{article.oid}"}};</script>
<script src="https://ssl.pstatic.net/static/m/entertain/app.js"></script>
</body></html>
"""


_SENTENCES = [
    "{a} 관계자는 이날 기자들과 만나 {b} 문제를 두고 \"{c} 방안을 이달 안에 내놓겠다\"고 말했다.",
    "업계에서는 {a}와 {b}가 맞물리면서 {c} 논의가 한층 빨라질 것으로 보고 있다.",
    "{a} 측은 {b} 관련 자료를 검토한 뒤 {c} 일정을 다시 정하기로 했다.",
    "전문가들은 {a} 흐름이 {b}에 미칠 영향이 크지 않을 것이라면서도 {c} 가능성은 열어 뒀다.",
    "지난해 같은 기간과 비교하면 {a} 지표는 {n}% 늘었고 {b} 지표는 {m}% 줄었다.",
    "{a} 정책을 둘러싼 논란은 {b} 현장에서도 이어지고 있으며, {c} 요구도 커지고 있다.",
]


def generated_sample(article: ArticleId, published: str, edition: int = 0) -> Sample:
    """A synthetic article in today's layout, for crawls of hundreds of pages (tests, benchmarks).

    `published` is `YYYY-MM-DD HH:MM`; a higher `edition` is the same article edited.
    """
    import random

    rng = random.Random(f"{article.key}/{edition}")
    publisher = dict(chrome.PRESSES).get(article.oid) or rng.choice(chrome.PRESSES)[1]
    title = chrome.headline(rng)
    name = rng.choice("김이박최정강조윤장임") + rng.choice(["민준", "서연", "지호", "하은", "도윤", "수아"])

    def sentence() -> str:
        words = rng.sample(chrome.WORDS, 3)
        return rng.choice(_SENTENCES).format(a=words[0], b=words[1], c=words[2], n=rng.randint(1, 40),
                                             m=rng.randint(1, 40))

    paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(6, 10))]
    photo = ('<span class="end_photo_org"><div class="nbd_im_w"><img src="https://imgnews.pstatic.net/image/'
             f'{article.oid}/{article.aid}_001.jpg" alt=""></div><em class="img_desc">{chrome.headline(rng)}'
             "</em></span>")
    body = f'<strong class="media_end_summary">{_attr(chrome.headline(rng))}</strong>\n{photo}<br><br>' + \
        "<br><br>\n".join(paragraphs) + "<br><br>"
    date, time = published.split(" ")
    core = f"""<div class="media_end_head go_trans">
 <div class="media_end_head_top"><a href="https://media.naver.com/press/{article.oid}" class="media_end_head_top_logo">
  <img class="media_end_head_top_logo_img light_type" alt="{publisher}" title="{publisher}" src="https://mimgnews.pstatic.net/image/upload/office_logo/{article.oid}/logo.png"></a></div>
 <div class="media_end_head_title"><h2 id="title_area" class="media_end_head_headline"><span>{_attr(title)}</span></h2></div>
 <div class="media_end_head_info nv_notrans"><div class="media_end_head_info_datestamp">
  <div class="media_end_head_info_datestamp_bunch"><em class="media_end_head_info_datestamp_term">입력</em>
  <span class="media_end_head_info_datestamp_time _ARTICLE_DATE_TIME" data-date-time="{date} {time}:00">{date}</span></div></div>
  <div class="media_end_head_journalist"><em class="media_end_head_journalist_name">{name} 기자</em>
  {{{{JOURNALIST_CARD:{name}}}}}</div></div>
</div>
<div id="contents" class="newsct_body">
 <div id="newsct_article" class="newsct_article _article_body">
  <article id="dic_area" class="go_trans _article_content">
{body}
  </article>
 </div>
 <div class="byline"><p class="byline_p"><span class="byline_s">{name} 기자 (reporter{rng.randint(1, 999)}@news.example)</span></p></div>
</div>"""
    return Sample({"title": title, "publisher": publisher}, core)


@dataclass(frozen=True)
class Listed:
    """One entry of a day list: the article, its list link (any URL form), title, lede, press."""

    article: ArticleId
    link: str
    title: str
    lede: str
    press: str


LIST_PAGE_SIZE = 20  # ten in ul.type06_headline, ten in ul.type06, as on Naver


def list_page(heading: str, query: str, entries: list[Listed], page: int, endless_paging: bool = False) -> str:
    """A day list page (list.naver, the 2020 layout): list body, thumbnails that repeat the
    title links, paging by groups of ten, side menus full of other articles' links.
    Asked past the end, it shows the last page again, as Naver does."""
    last = max(1, -(-len(entries) // LIST_PAGE_SIZE))
    page = min(max(page, 1), last)
    shown = entries[(page - 1) * LIST_PAGE_SIZE:page * LIST_PAGE_SIZE]
    seed = f"{query}/{page}"

    def item(entry: Listed) -> str:
        thumb = f"https://imgnews.pstatic.net/image/origin/{entry.article.oid}/{entry.article.aid}.jpg?type=ofullfill106_72"
        return f"""
<li>
	<dl>
		<dt class="photo">
			<a href="{_attr(entry.link)}">
			 <img src="{thumb}" width="106" height="72" alt="{_attr(entry.title)}" onError="javascript:this.src='https://ssl.pstatic.net/static.news/image/news/2009/noimage_106x72.png';"/>
			</a>
		</dt>
		<dt>
			<a href="{_attr(entry.link)}">
			 {_attr(entry.title)}
			</a>
		</dt>
		<dd>
			<span class="lede">{_attr(entry.lede)} …</span>
			<span class="writing">{_attr(entry.press)}</span>
			<span class="date is_outdated">{(len(entry.title) % 11) + 1}시간전	</span>
		</dd>
	</dl>
</li>"""

    lists = "".join(f'<ul class="{kind}">{"".join(item(entry) for entry in part)}</ul>'
                    for kind, part in (("type06_headline", shown[:10]), ("type06", shown[10:])) if part)
    if not shown:
        lists = '<p class="no_list">기사가 없습니다.</p>'
    group = (page - 1) // 10
    numbers = range(group * 10 + 1, min(last, group * 10 + 10) + 1)
    paging = "".join(f"<strong>{n}</strong>" if n == page else
                     f'<a href="?{query}&page={n}" class="nclicks(fls.page)">{n}</a>' for n in numbers)
    if group:
        paging = f'<a href="?{query}&page={group * 10}" class="prev nclicks(fls.page)">이전</a>' + paging
    if last > group * 10 + 10:
        paging += f'<a href="?{query}&page={group * 10 + 11}" class="next nclicks(fls.page)">다음</a>'
    elif endless_paging and page == last:
        paging += f'<a href="?{query}&page={page + 1}" class="nclicks(fls.page)">{page + 1}</a>'
    headlines = "".join(f'<li><a href="https://news.naver.com/main/read.nhn?mode=LSD&mid=shm&sid1=10{n % 6}'
                        f'&oid=0{20 + n}&aid=000{4400000 + n * 37}">{_attr(chrome.SUBSECTIONS[n])} 주요 뉴스</a></li>'
                        for n in range(12))
    return f"""<!DOCTYPE HTML>
<html lang="ko">
<head>
<meta charset="euc-kr">
<title>{_attr(heading)} : 네이버 뉴스</title>
{chrome.head_assets(seed)}
</head>
<body>
<div id="wrap">
{chrome.header_menu("000", "네이버 뉴스")}
<table class="container" cellspacing="0" cellpadding="0"><tr>
<td class="content"><div id="main_content" class="content">
<div class="list_header newsflash_header"><h3>{_attr(heading)}</h3></div>
<div class="list_body newsflash_body">
{lists}
</div>
<div class="paging">
{paging}
</div>
<div class="pagenavi_day"><span class="viewday">{_attr(heading)}</span></div>
</div></td>
<td class="aside"><div class="section_headline"><h4>헤드라인 뉴스</h4><ul>{headlines}</ul></div>
{chrome.sidebar(seed)}</td>
</tr></table>
</div>
{chrome.footer_scripts(seed)}
</body>
</html>
"""


# How Naver might change its templates one day: each a set of edits to a whole page.
LAYOUT_CHANGES = {
    "body renamed": [(r'<article id="dic_area" class="go_trans _article_content">',
                      '<article id="article_body_v2" class="go_trans article_content_v2">')],
    "date removed": [(r'<span class="media_end_head_info_datestamp_time _ARTICLE_DATE_TIME"[^>]*>[^<]*</span>',
                      '<time class="datestamp_v2">입력 2025.12.29</time>')],
    "title moved": [(r'<h2 id="title_area" class="media_end_head_headline">',
                     '<h1 class="article_headline_v2">'),
                    (r'<meta property="og:title" content="[^"]*">\n', '')],
}


def changed_page(sample: Sample, article: ArticleId, change: str) -> str:
    """A current-layout page as it would look after one of LAYOUT_CHANGES."""
    page = current_page(sample, article)
    for pattern, replacement in LAYOUT_CHANGES[change]:
        page, count = re.subn(pattern, replacement, page)
        assert count, f"{change}: {pattern!r} is not on the page"
    return page


SECTION_PAGE_SIZE = 36  # items per page of a 2026 section list, as measured on Naver


def _sa_items(entries: list[Listed]) -> str:
    return "".join(f"""
<li class="sa_item _SECTION_HEADLINE" data-comment="{{&quot;gno&quot;:&quot;news{e.article.key}&quot;}}">
 <div class="sa_item_inner"><div class="sa_item_flex">
  <div class="sa_thumb"><div class="sa_thumb_inner"><a href="{_attr(e.link)}" class="sa_thumb_link" data-clk="clcont">
   <img src="https://mimgnews.pstatic.net/image/origin/{e.article.oid}/{e.article.aid}.jpg?type=nf220_150" width="110" height="75" alt="" class="_LAZY_LOADING"></a></div></div>
  <div class="sa_text"><a href="{_attr(e.link)}" class="sa_text_title _NLOG_IMPRESSION" data-clk="clcont"><strong class="sa_text_strong">{_attr(e.title)}</strong></a>
   <div class="sa_text_lede">{_attr(e.lede)}</div>
   <div class="sa_text_info"><div class="sa_text_info_left"><div class="sa_text_press">{_attr(e.press)}</div>
    <div class="sa_text_datetime"><b>{(n % 59) + 1}분전</b></div></div></div></div>
 </div></div></li>""" for n, e in enumerate(entries))


def latest_wrapper(sid1: str, sid2: str, entries: list[Listed], cursor: str, has_next: bool, page: int) -> str:
    """The `section_latest_article` list of one page: its items, the cursor to the next."""
    return (f'<div class="section_latest_article _CONTENT_LIST _PERSIST_META" data-sid="{sid1}" data-sid2="{sid2}" '
            f'data-has-next="{"true" if has_next else "false"}" data-cursor-name="next" data-cursor="{cursor}" '
            f'data-page-no="{page}"><div class="section_article"><ul class="sa_list">{_sa_items(entries)}</ul>'
            '</div></div>')


def section_page_2026(sid1: str, sid2: str, date: str, headline: list[Listed], list_html: str) -> str:
    """A subsection's day (`breakingnews/section/{sid1}/{sid2}?date=`): a personalised headline
    block (never to be crawled), the latest list, the "more" button, menus and rankings."""
    seed = f"section/{sid1}/{sid2}/{date}"
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{_attr(SECTION_NAMES.get(sid1, sid1))} : 네이버 뉴스</title>
{chrome.head_assets(seed)}</head>
<body class="as_section_home">
{chrome.header_menu("000", "네이버 뉴스")}
<div id="ct_wrap" class="ct_wrap"><div id="ct" class="ct" role="main">
<div class="section_component as_section_headline _PERSIST_CONTENT"><h2 class="section_title">헤드라인 뉴스</h2>
 <div class="section_article as_headline _TEMPLATE" data-template-id="SECTION_HEADLINE"><ul class="sa_list">{_sa_items(headline)}</ul></div></div>
<div class="section_latest"><div class="section_title"><h3 class="section_title_h">기사 모음</h3>
 <div class="section_title_date"><span class="_DATE_TEXT">{date[:4]}.{date[4:6]}.{date[6:]}</span></div></div>
 {list_html}
 <div class="section_more"><a href="#" class="section_more_inner _CONTENT_LIST_LOAD_MORE_BUTTON" data-persist-flicking-more="">기사 더보기</a></div>
</div></div>
{chrome.sidebar(seed)}</div>
{chrome.footer_scripts(seed)}
</body></html>
"""


def section_more_json(list_html: str) -> str:
    """The cursor endpoint's answer: the next page of the list as an HTML fragment in JSON."""
    return json.dumps({"renderedComponent": {"SECTION_ARTICLE_LIST_FOR_LATEST": list_html}}, ensure_ascii=False)


@dataclass(frozen=True)
class ApiArticle:
    """An entertainment or sports article as the article API gives it (`api_answer`)."""

    article: ArticleId
    title: str
    content: str          # body HTML, the elements of a page's #dic_area
    published: str        # YYYY-MM-DD HH:MM:SS
    office: str
    section: str          # 연예, 스포츠
    subsection: str
    reporter: str = ""
    bylines: tuple[str, ...] = ()
    modified: str = ""


def api_answer(item: ApiArticle) -> str:
    """The JSON the entertainment and sports sites load an article from, shaped as the real
    answers of October 2026 (naver-pages.md), with the fields they carry beside ours."""
    article = item.article
    return json.dumps({"code": 200, "success": True, "result": {
        "articleInfo": {
            "article": {"officeId": article.oid, "articleId": article.aid, "type": "1", "title": item.title,
                        "content": item.content, "serviceDatetime": item.published,
                        "modifyDatetime": item.modified or item.published, "reporter": item.reporter,
                        "sections": [{"firstSectionName": item.section, "secondSectionName": item.subsection,
                                      "thirdSectionName": "섹션없음"}],
                        "imageFiles": [{"name": f"{article.aid}_001.jpg"}], "commentCount": 12},
            "journalistCards": {"bylines": list(item.bylines),
                                "cards": [{"type": "UNIFORM_CARD", "name": line.split(" (")[0]} for line in item.bylines]}},
        "officeInfo": {"hname": item.office, "hnameShort": item.office, "ename": "press", "categoryName": "방송/통신"}}},
        ensure_ascii=False)


def api_day_list(site: str, items: list[ApiArticle], page: int, page_size: int) -> str:
    """A day list of the entertainment or sports API: one page of `newsList`, and the total."""
    shown = items[(page - 1) * page_size:page * page_size]
    if site == "entertain":
        news = [{"url": f"https://m.entertain.naver.com/home/article/{i.article.oid}/{i.article.aid}", "title": i.title,
                 "officeName": i.office, "articleTime": i.published} for i in shown]
    else:
        news = [{"oid": i.article.oid, "aid": i.article.aid, "title": i.title, "sourceName": i.office,
                 "sportsSection": i.subsection, "dateTime": i.published} for i in shown]
    return json.dumps({"code": 200, "success": True, "result": {"newsList": news, "totalCount": len(items)}},
                      ensure_ascii=False)
