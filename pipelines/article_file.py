"""The article file format (see the README's "Output format"): render one, and read one back.

The reader accepts what `render` writes and legacy files like the seed (unquoted ids,
an author spread over several lines), so an existing archive is real input.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import yaml

from pipelines.fingerprint import content_hash

FRONT_MATTER_KEYS = ("id", "title", "category", "publisher", "author", "published_at",
                     "crawled_at", "url", "oid", "aid", "content_hash")
# Values that some YAML reader would turn into numbers or dates: always double-quoted.
ALWAYS_QUOTED = frozenset({"id", "title", "crawled_at", "oid", "aid"})
RULE = "---"

_NON_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class ArticleFileError(ValueError):
    """A file that is not an article file; the message says why."""


# `](` and `]:` are what make text a Markdown link, image or link definition; as character
# references they are plain text to every renderer, and html.unescape still gives the text back.
_LINK_START = re.compile(r"\](?=[(:])")


def escape_text(text: str) -> str:
    """Scraped text for the Markdown body: no HTML (html.escape) and no link or image syntax,
    so it can never become markup in a rendered page; `html.unescape` reverses it exactly."""
    return _LINK_START.sub("&#93;", html.escape(text, quote=True))


def yaml_quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


# Values YAML reads back as themselves without asking it (the answer yaml.safe_load would
# give, found faster): text starting with a Hangul syllable and holding no `:` or `#` (no
# indicator, no mapping, no comment, and no implicit type, all of which are ASCII), and
# publication times, which have no seconds and so are no YAML timestamp.
_SURELY_PLAIN = re.compile(r"[가-힣][^:#]*|\d{4}-\d\d-\d\d \d\d:\d\d")


# libyaml's parser where PyYAML has it: the same answer as safe_load (the resolver is the
# same Python code) at an eighth of the cost. Tabs are where the two parsers part, so a value
# with one goes to the pure-Python parser.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4096)
def yaml_value(value: str) -> str:
    """A one-line value as plain YAML when it loads back as exactly itself, double-quoted otherwise."""
    if not value:
        return ""
    if _SURELY_PLAIN.fullmatch(value) and value.isprintable():
        return value
    try:
        loader = yaml.SafeLoader if "\t" in value else _FAST_LOADER
        plain = yaml.load(value, Loader=loader) == value and not _NON_PRINTABLE.search(value)  # noqa: S506
    except yaml.YAMLError:
        plain = False
    return value if plain else yaml_quoted(value)


def render(article: Mapping[str, str], extra_keys: tuple[str, ...] = ()) -> str:
    """The whole file for one normalized article; `extra_keys` are appended after content_hash."""
    title = html.escape(article["title"], quote=True)
    heading = escape_text(article["title"])
    lines = [RULE]
    for key in FRONT_MATTER_KEYS + extra_keys:
        value = title if key == "title" else (article.get(key) or "")
        lines.append(f"{key}: {yaml_quoted(value) if key in ALWAYS_QUOTED else yaml_value(value)}")
    lines += [
        RULE, "",
        f"# {heading}", "",
        f"**{escape_text(article['publisher'])}** | {article['published_at']} | "
        f"{escape_text(article['category'] or '')}", "",
        RULE, "",
        escape_text(article["content"]), "",
        RULE, "",
        f"*Crawled at: {article['crawled_at']}*",
        f"*Source: [원문 보기]({article['url']})*",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class ArticleFile:
    """An article file read back: its front matter as strings (title unescaped) and its unescaped content."""

    fields: dict[str, str]
    content: str

    @property
    def hash_ok(self) -> bool:
        """The front matter's content_hash matches the body, so the file is what it claims."""
        return self.fields.get("content_hash") == content_hash(self.content)


def read(text: str) -> ArticleFile:
    """Parse an article file's text; raises ArticleFileError if it is not one."""
    front, content = _parts(text)
    fields = _front_matter(front)
    if "title" in fields:
        fields["title"] = html.unescape(fields["title"])  # written escaped, like the heading
    return ArticleFile(fields, content)


def is_whole(text: str, expected_hash: str) -> bool:
    """Whether an article file is whole and holds the content of `expected_hash`: its body
    gives that hash and its front matter says so. Cheaper than `read` (no YAML)."""
    try:
        front, content = _parts(text)
    except ArticleFileError:
        return False
    return f"content_hash: {expected_hash}" in front and content_hash(content) == expected_hash


def _parts(text: str) -> tuple[list[str], str]:
    """(front matter lines, unescaped content) of an article file; ArticleFileError if it is none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != RULE:
        raise ArticleFileError("no front matter: the file does not start with '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r") == RULE)
    except StopIteration:
        raise ArticleFileError("front matter is not closed by '---'") from None
    body = [line.rstrip("\r") for line in lines[end + 1:]]
    rules = [i for i, line in enumerate(body) if line == RULE]
    if len(rules) < 2:
        raise ArticleFileError("body has no content between '---' rules")
    return lines[1:end], html.unescape("\n".join(body[rules[0] + 1:rules[-1]]).strip())


def _front_matter(lines: list[str]) -> dict[str, str]:
    """key: value lines; a line without a key continues the previous value (legacy multi-line author).

    Values are read as strings, never as YAML numbers or dates: quoted ones are unescaped
    by YAML, plain ones taken as written, then whitespace runs collapse to one space.
    """
    raw: dict[str, list[str]] = {}
    key = None
    for line in lines:
        head, sep, rest = line.partition(":")
        if sep and head and not head[0].isspace() and " " not in head:
            key = head
            raw[key] = [rest]
        elif key is not None:
            raw[key].append(line)
    fields = {}
    for key, parts in raw.items():
        value = " ".join(" ".join(parts).split())
        if value.startswith('"'):
            try:
                value = str(yaml.safe_load(value))
            except yaml.YAMLError as error:
                raise ArticleFileError(f"bad quoted value for {key!r}: {error.problem}") from None
        fields[key] = value
    return fields
