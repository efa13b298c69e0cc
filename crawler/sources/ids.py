"""Article identity: every way a user or a page names a Naver article, reduced to (oid, aid).

oid is the press office (3 digits), aid that office's article number (10 digits);
both are kept as zero-padded strings because their leading zeros are part of the id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

OID_DIGITS = 3
AID_DIGITS = 10
CANONICAL_URL = "https://n.news.naver.com/mnews/article/{oid}/{aid}"
# Naver's top-level sections, by sid1: the `category` of an article whose page names none.
SECTIONS = {"100": "정치", "101": "경제", "102": "사회", "103": "생활/문화", "104": "세계", "105": "IT/과학"}

# Hosts that serve news articles as pages this crawler can read.
ARTICLE_HOSTS = frozenset({"n.news.naver.com", "m.news.naver.com", "news.naver.com"})
# Hosts Naver redirects entertainment and sports articles to (script-rendered pages, whose
# article comes from a JSON API: `api_url`).
ENTERTAIN_HOSTS = frozenset({"m.entertain.naver.com", "entertain.naver.com"})
SPORTS_HOSTS = frozenset({"m.sports.naver.com", "sports.news.naver.com", "sports.naver.com"})
API_HOSTS = {"entertain": "api-gw.entertain.naver.com", "sports": "api-gw.sports.naver.com"}
API_URL = "https://{host}/news/article/{oid}/{aid}"
_KNOWN_HOSTS = ARTICLE_HOSTS | ENTERTAIN_HOSTS | SPORTS_HOSTS | frozenset(API_HOSTS.values())

_TYPED = re.compile(r"(\d+)[/_](\d+)")
# /mnews/article/648/…, /article/648/…, /article/newspaper/648/…, /mnews/article/comment/648/…,
# and elsewhere /home/article/…, /kbaseball/article/…, the API's /news/article/…
_ARTICLE_PATH = re.compile(r"/(?:[a-z]+/)?article/(?:[a-z]+/)?(\d+)/(\d+)/?")
_READ_PATH = re.compile(r"/main/read\.(?:naver|nhn)")


class InvalidArticleId(ValueError):
    """A value that names no Naver article; the message quotes the value."""


@dataclass(frozen=True, order=True)
class ArticleId:
    oid: str
    aid: str

    @property
    def key(self) -> str:
        """The file-name and front-matter form, `648_0000043044`."""
        return f"{self.oid}_{self.aid}"

    @property
    def url(self) -> str:
        return CANONICAL_URL.format(oid=self.oid, aid=self.aid)

    def __str__(self) -> str:
        return f"{self.oid}/{self.aid}"


def article_id(oid: str, aid: str, value: str | None = None) -> ArticleId:
    """Validate and zero-pad an (oid, aid) pair; `value` is what to quote in an error."""
    shown = value if value is not None else f"{oid}/{aid}"
    if not (oid.isascii() and oid.isdigit() and aid.isascii() and aid.isdigit()):
        raise InvalidArticleId(f"invalid article id {shown!r}: oid and aid must be numbers")
    if len(oid) > OID_DIGITS or int(oid) == 0:
        raise InvalidArticleId(f"invalid article id {shown!r}: oid must be 1 to {OID_DIGITS} digits, not zero")
    if len(aid) > AID_DIGITS or int(aid) == 0:
        raise InvalidArticleId(f"invalid article id {shown!r}: aid must be 1 to {AID_DIGITS} digits, not zero")
    return ArticleId(oid.zfill(OID_DIGITS), aid.zfill(AID_DIGITS))


def parse_oid(value: str) -> str:
    """A press office number, zero-padded (`1` → `001`); raises InvalidArticleId naming the value."""
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= OID_DIGITS and int(text)):
        raise InvalidArticleId(f"invalid press {value!r}: expected an office number of 1 to {OID_DIGITS} digits, "
                               "like 648 or 001")
    return text.zfill(OID_DIGITS)


def api_site(url: str) -> str:
    """'entertain' or 'sports' for the pages (and API answers) of those sites, else ''."""
    host = urlsplit(url).hostname or ""
    if host in ENTERTAIN_HOSTS or host == API_HOSTS["entertain"]:
        return "entertain"
    return "sports" if host in SPORTS_HOSTS or host == API_HOSTS["sports"] else ""


def api_url(article: ArticleId, site: str) -> str:
    """Where the entertainment or sports site's pages load an article from."""
    return API_URL.format(host=API_HOSTS[site], oid=article.oid, aid=article.aid)


def id_from_url(url: str) -> ArticleId | None:
    """The article a Naver URL names (news, entertainment or sports), or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or host not in _KNOWN_HOSTS:
        return None
    try:
        parts.port  # noqa: B018 (read to check it: urlsplit only fails when asked)
    except ValueError:
        raise InvalidArticleId(f"invalid article URL {url!r}: its port is not a port number") from None
    match = _ARTICLE_PATH.fullmatch(parts.path)
    if match:
        return article_id(*match.groups(), value=url)
    if _READ_PATH.fullmatch(parts.path):
        query = parse_qs(parts.query)
        if "oid" in query and "aid" in query:
            return article_id(query["oid"][0], query["aid"][0], value=url)
    return None


def parse_article_ref(value: str) -> ArticleId:
    """Turn a typed id (`648/0000043044`, `648_43044`) or any Naver article URL into an ArticleId.

    Raises InvalidArticleId naming the value for anything else.
    """
    text = value.strip()
    if not text:
        raise InvalidArticleId(f"invalid article id {value!r}: empty")
    typed = _TYPED.fullmatch(text)
    if typed:
        return article_id(*typed.groups(), value=value)
    if "://" in text:
        found = id_from_url(text)
        if found:
            return found
        raise InvalidArticleId(f"invalid article URL {value!r}: not a Naver News article address")
    raise InvalidArticleId(f"invalid article id {value!r}: expected OID/AID (648/0000043044) or an article URL")
