"""The bulk of a real Naver page around the article: scripts, menus, rankings, journalist cards.

Real pages are 150–300 KB of which the article is a few KB; fixtures without this bulk
would make tests and benchmarks lie. Everything is generated from a seed, so a page is
the same bytes every time. The sidebars link to dozens of other articles on purpose:
a crawler must never follow them by accident.
"""
from __future__ import annotations

import json
import random

from crawler.sources.ids import SECTIONS

SUBSECTIONS = ["대통령실", "국회/정당", "북한", "행정", "국방/외교", "금융", "증권", "산업/재계", "중기/벤처",
               "부동산", "글로벌 경제", "생활경제", "사건사고", "교육", "노동", "언론", "환경", "인권/복지",
               "식품/의료", "지역", "인물", "건강정보", "자동차/시승기", "도로/교통", "여행/레저", "음식/맛집",
               "패션/뷰티", "공연/전시", "책", "종교", "날씨", "아시아/호주", "미국/중남미", "유럽", "중동/아프리카",
               "모바일", "인터넷/SNS", "통신/뉴미디어", "IT 일반", "보안/해킹", "컴퓨터", "게임/리뷰", "과학 일반"]
PRESSES = [("001", "연합뉴스"), ("020", "동아일보"), ("023", "조선일보"), ("025", "중앙일보"), ("028", "한겨레"),
           ("029", "디지털타임스"), ("032", "경향신문"), ("052", "YTN"), ("055", "SBS"), ("056", "KBS"),
           ("081", "서울신문"), ("214", "MBC"), ("366", "조선비즈"), ("421", "뉴스1"), ("648", "비즈워치")]
WORDS = ["정부", "국회", "여야", "예산안", "반도체", "수출", "금리", "물가", "부동산", "전세", "청년", "일자리",
         "기후", "폭염", "한파", "교육", "입시", "의료", "병원", "AI", "데이터", "보안", "해킹", "통신", "요금",
         "배터리", "전기차", "증시", "코스피", "환율", "관세", "협상", "정상회담", "선거", "지방", "인구", "출산",
         "연금", "개혁", "규제", "스타트업", "플랫폼", "소비자", "유통", "식품", "가격", "인상", "동결", "논란"]
ENDINGS = ["…\"대책 마련 시급\"", " 논란 확산", "에 촉각", " 본격화", " 사상 최대", " 첫 공개", "…전망은?",
           " 합의 불발", " 급증", " 주목", "…업계 긴장", " 발표"]


def headline(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(2, 4))) + rng.choice(ENDINGS)


def _article_href(rng: random.Random) -> tuple[str, str]:
    oid, _ = rng.choice(PRESSES)
    return f"https://n.news.naver.com/mnews/article/{oid}/{rng.randint(10**8, 10**9):010d}", oid


def head_assets(seed: str) -> str:
    """Stylesheets, script tags and the inline configuration blob a real <head> carries: with
    its meta tags, a head of real size (2026: 8-9 KB, one inline script of ~5 KB and no inline
    style; the bulk of a real page is the chrome after the article column)."""
    rng = random.Random("head" + seed)
    build = f"2025{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}_{rng.randint(100000, 999999)}"
    base = f"https://ssl.pstatic.net/static.news/nnews/resources/{build}"
    tags = [f'<link rel="stylesheet" type="text/css" href="{base}/css/{name}.css">'
            for name in ("common", "news_end", "dark_mode", "font", "comment", "journalist", "media_end")]
    tags += [f'<script type="text/javascript" src="{base}/js/{name}.js" charset="utf-8"></script>'
             for name in ("jindo", "news.service", "nclicks", "lcs", "ad_unit", "comment_box", "viewer")]
    ad_units = [{"unit": f"m_news_end_{i}", "calp": rng.choice(["-", "m_news", "pc_news"]),
                 "size": rng.choice(["300x250", "640x100", "728x90"]), "targeting": {
                     "sid": rng.choice(list(SECTIONS)), "oid": rng.choice(PRESSES)[0],
                     "keywords": rng.sample(WORDS, 6)}, "lazy": rng.random() > 0.5}
                for i in range(20)]
    config = {"service": "news", "build": build, "adUnits": ad_units,
              "i18n": {word: f"{word}_{rng.randint(1, 999)}" for word in WORDS}}
    tags.append('<script type="text/javascript">\nwindow.__NEWS_END_CONFIG__ = '
                + json.dumps(config, ensure_ascii=False) + ";\n</script>")
    return "\n".join(tags)


def header_menu(oid: str, publisher: str) -> str:
    """The global navigation bar and the press's own menu."""
    sections = "".join(
        f'<li class="Nlnb_menu_item"><a href="https://news.naver.com/section/{sid}" class="Nlnb_menu_link'
        f' nclicks(lnb.{sid})"><span class="Nlnb_menu_text">{name}</span></a></li>' for sid, name in SECTIONS.items())
    subs = "".join(f'<li><a href="https://news.naver.com/breakingnews/section/10{i % 6}/{200 + i}"'
                   f' class="nclicks(lnb.sub)">{name}</a></li>' for i, name in enumerate(SUBSECTIONS))
    return f"""<header class="as_gnb" id="header">
<div class="Ngnb"><div class="Ngnb_inner"><h1 class="Ngnb_logo"><a href="https://www.naver.com" class="Ngnb_logo_naver">
<span class="blind">NAVER</span></a><a href="https://news.naver.com" class="Ngnb_logo_service"><span class="blind">뉴스</span></a></h1>
<div class="Ngnb_tool"><a href="https://nid.naver.com/nidlogin.login" class="Ngnb_login">로그인</a>
<button type="button" class="Ngnb_search_btn"><span class="blind">검색</span></button></div></div></div>
<div class="Nlnb"><ul class="Nlnb_menu">
<li class="Nlnb_menu_item"><a href="https://news.naver.com" class="Nlnb_menu_link">홈</a></li>{sections}
<li class="Nlnb_menu_item"><a href="https://news.naver.com/opinion/home" class="Nlnb_menu_link">오피니언</a></li>
<li class="Nlnb_menu_item"><a href="https://news.naver.com/factcheck/main" class="Nlnb_menu_link">팩트체크</a></li></ul>
<div class="Nlnb_submenu"><ul>{subs}</ul></div></div>
<div class="press_header"><a href="https://media.naver.com/press/{oid}" class="press_header_link">
<span class="press_header_name">{publisher}</span></a><button type="button" class="press_header_subscribe
 _SUBSCRIBE_BUTTON" data-office-id="{oid}">구독</button><div class="press_header_menu"><ul>
<li><a href="https://media.naver.com/press/{oid}/newspaper">신문보기</a></li>
<li><a href="https://media.naver.com/press/{oid}/ranking">랭킹</a></li>
<li><a href="https://media.naver.com/press/{oid}/journalists">기자</a></li></ul></div></div>
</header>"""


def journalist_card(seed: str, name: str) -> str:
    """The hidden card a journalist's name opens: subscriber counts and their latest articles."""
    rng = random.Random("card" + seed + name)
    latest = "".join(
        f'<li class="media_journalistcard_item"><a href="{_article_href(rng)[0]}" class="media_journalistcard_link">'
        f"{headline(rng)}</a></li>" for _ in range(6))
    return f"""<div class="media_journalistcard _JOURNALIST_CARD" style="display:none" aria-hidden="true">
<div class="media_journalistcard_summary"><strong class="media_journalistcard_summary_name">{name}</strong>
<dl class="media_journalistcard_summary_info"><dt>구독자</dt><dd class="_SUBSCRIBE_COUNT">{rng.randint(100, 99999):,}</dd>
<dt>응원수</dt><dd class="_CHEER_COUNT">{rng.randint(0, 9999):,}</dd></dl>
<button type="button" class="media_journalistcard_subscribe _JOURNALIST_SUBSCRIBE">구독</button></div>
<ul class="media_journalistcard_list">{latest}</ul>
<a href="https://media.naver.com/journalist/{rng.randint(1, 999):03d}/{rng.randint(10000, 99999)}"
 class="media_journalistcard_more">기자 홈 바로가기</a></div>"""


def reaction_and_comments(seed: str) -> str:
    """Reaction buttons, the comment box scaffold, and the copyright notice area's neighbours."""
    rng = random.Random("react" + seed)
    reactions = "".join(f'<li class="u_likeit_list {kind}"><a href="#" class="u_likeit_list_btn _button">'
                        f'<span class="u_likeit_list_name _label">{label}</span><span class="u_likeit_list_count'
                        f' _count">{rng.randint(0, 3000)}</span></a></li>'
                        for kind, label in (("like", "좋아요"), ("warm", "훈훈해요"), ("sad", "슬퍼요"),
                                            ("angry", "화나요"), ("want", "후속기사 원해요")))
    return f"""<div class="media_end_linked_reaction"><ul class="u_likeit_layer _faceLayer">{reactions}</ul></div>
<div class="media_end_comment" id="cbox_module" data-cid="news{seed}"><div class="u_cbox_head">
<h5 class="u_cbox_title">댓글</h5><span class="u_cbox_count">{rng.randint(0, 900)}</span></div>
<div class="u_cbox_write_wrap"><textarea class="u_cbox_text" title="댓글 입력"></textarea>
<button type="button" class="u_cbox_btn_upload">등록</button></div>
<ul class="u_cbox_list"></ul><a href="#" class="u_cbox_btn_more">더보기</a></div>"""


def head_tools(seed: str) -> str:
    """The article head's tool layers as a 2026 page carries them before the body: text to
    speech, font size, sharing and printing, each a hidden layer of buttons, indented with
    tabs as Naver's templates leave them (~11 KB; real pages have 14-19 KB here)."""
    rng = random.Random("tools" + seed)
    tab = "\t" * 5

    def layer(name: str, title: str, options: list[tuple[str, str]]) -> str:
        buttons = "".join(
            f'{tab}\t\t<button type="button" class="media_end_head_{name}_option" value="{value}" data-clk="{name}{value}"'
            f' data-nlog-area="content.{name}.option" data-nlog-params="{{&quot;config_value&quot;:&quot;{value}'
            f'&quot;}}">{label}</button>\n' for value, label in options)
        return (f'{tab}<div class="media_end_head_{name} nv_notrans _{name.upper()}_WRAP">\n'
                f'{tab}\t<button type="button" class="media_end_head_{name}_run _{name.upper()}_BUTTON" title="{title}"'
                f' data-clk="w{name}" data-nlog-area="content.{name}.open"><span class="blind">{title} 열기</span></button>\n'
                f'{tab}\t<div class="media_end_head_{name}_setlayer _{name.upper()}_LAYER" role="dialog">\n'
                f'{tab}\t\t<em class="media_end_head_{name}_option_tit">{title}</em>\n{buttons}'
                f'{tab}\t\t<button type="button" class="media_end_head_{name}_setlayer_close" data-clk="{name}close">'
                f'<span class="blind">닫기</span></button>\n{tab}\t</div>\n{tab}</div>\n')

    speeds = [(str(n), label) for n, label in enumerate(("매우 느림", "느림", "보통", "빠름", "매우 빠름"))]
    voices = [(code, f"{label} 목소리") for code, label in (("m", "남성"), ("f", "여성"), ("c", "어린이"))]
    sizes = [(str(n), f"{n}단계 {label}") for n, label in enumerate(("아주 작게", "작게", "보통", "크게", "아주 크게",
                                                                   "가장 크게"), 1)]
    services = [(code, label) for code, label in (
        ("band", "밴드"), ("kakao", "카카오톡"), ("facebook", "페이스북"), ("x", "엑스"), ("blog", "블로그"),
        ("cafe", "카페"), ("mail", "메일"), ("keep", "킵"), ("memo", "메모"), ("url", "URL 복사"))]
    channels = [(f"{rng.randint(1, 999):03d}", f"{name} 구독") for name in rng.sample(WORDS, 12)]
    return ('\t\t\t\t<div class="media_end_head_info_variety_right">\n'
            + layer("tts", "텍스트 음성 변환 서비스", voices + speeds)
            + layer("fontsize", "글자 크기 변경", sizes)
            + layer("share", "공유하기", services)
            + layer("print", "인쇄하기", [("page", "본문 인쇄"), ("all", "전체 인쇄")])
            + layer("channel", "언론사 구독", channels)
            + "\t\t\t\t</div>\n")


def sidebar(seed: str) -> str:
    """The right column: press rankings and related articles, each a link to another article."""
    rng = random.Random("aside" + seed)
    boxes = []
    for oid, name in rng.sample(PRESSES, 10):
        items = []
        for rank in range(1, 6):
            href, _ = _article_href(rng)
            items.append(
                f'<li class="rankingnews_list_item"><em class="list_ranking_num">{rank}</em><div class="list_content">'
                f'<a href="{href}?sid={rng.choice(list(SECTIONS))}" class="list_title nclicks(rig.rank)">'
                f'{headline(rng)}</a><span class="list_time">{rng.randint(1, 59)}분전</span></div>'
                f'<a href="{href}" class="list_img nclicks(rig.rankimg)"><img src="https://mimgnews.pstatic.net/'
                f'image/origin/{oid}/2025/12/29/{rng.randint(10**6, 10**7)}.jpg?type=nf106_72" width="106" '
                f'height="72" alt="" onerror="showNoImage(this)"></a></li>')
        boxes.append(f'<div class="rankingnews_box"><a href="https://media.naver.com/press/{oid}/ranking" '
                     f'class="rankingnews_box_head"><strong class="rankingnews_name">{name}</strong></a>'
                     f'<ul class="rankingnews_list">{"".join(items)}</ul></div>')
    related = "".join(f'<li><a href="{_article_href(rng)[0]}" class="section_article_link">{headline(rng)}</a>'
                      f'<p class="section_article_lede">{headline(rng)} {headline(rng)}</p></li>'
                      for _ in range(12))
    return (f'<div class="outside_area _OUTSIDE_AREA"><div class="section_ranking"><h3 class="section_title">'
            f'언론사별 가장 많이 본 뉴스</h3>{"".join(boxes)}</div><div class="section_related"><h3 '
            f'class="section_title">함께 볼만한 뉴스</h3><ul>{related}</ul></div></div>')


def footer_scripts(seed: str) -> str:
    """The footer and the inline scripts that close a real page (templates, state, tracking)."""
    rng = random.Random("tail" + seed)
    state = {"article": {"commentConfig": {"ticket": "news", "templateId": "default_society",
                                           "pool": "cbox5", "lang": "ko", "country": "KR",
                                           "objectId": f"news{seed}", "pageSize": 20},
                         "reactions": [{"type": t, "count": rng.randint(0, 5000)}
                                       for t in ("like", "warm", "sad", "angry", "want")] * 8},
             "recommend": [{"title": headline(rng), "url": _article_href(rng)[0],
                            "thumb": f"https://imgnews.pstatic.net/image/{rng.randint(1, 999):03d}/x.jpg",
                            "score": round(rng.random(), 4)} for _ in range(90)]}
    template = "".join(f'<li class="_item" data-index="{{{{index}}}}"><a href="{{{{url}}}}" class="item_link '
                       f'nclicks(tpl.{i})">{{{{title}}}}</a></li>' for i in range(40))
    tracking = "\n".join(
        f"  nclk_evt.register('{name}_{i}', function (e) {{ lcs_do({{ area: '{name}', idx: {i}, ts: Date.now() }});"
        f" return e && e.preventDefault ? e.preventDefault() : false; }});"
        for name in ("end", "rig", "lnb", "atp", "cmt", "sns") for i in range(35))
    return f"""<footer class="Nicp_footer"><div class="Nicp_footer_inner"><ul class="Nicp_footer_links">
<li><a href="https://news.naver.com/main/static/policy.html">뉴스 운영원칙</a></li>
<li><a href="https://help.naver.com/service/5634">고객센터</a></li>
<li><a href="https://policy.naver.com/policy/service.html">이용약관</a></li>
<li><a href="https://policy.naver.com/policy/privacy.html">개인정보처리방침</a></li></ul>
<p class="Nicp_footer_copy">ⓒ NAVER Corp.</p></div></footer>
<script type="text/template" id="RECOMMEND_TPL">{template}</script>
<script type="text/javascript">
window.__PRELOADED_STATE__ = {json.dumps(state, ensure_ascii=False)};
</script>
<script type="text/javascript">
(function () {{
{tracking}
}})();
</script>"""
