"""The one body-text reader: an article body element → paragraphs of lines, by the output
contract's rules. Article pages (`article#dic_area`, legacy `div#articleBodyContents`) and
API answers (their `content` HTML) are read by this same code.

Whitespace, NFC and one-line rules are applied later by `pipelines.normalize`; this module
decides what counts as text and where paragraphs and lines break.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crawler.reading.tree import has_class, xpath

# Not text: removed with everything inside them (their tail text stays).
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "iframe", "button", "svg", "template", "img",
                          "figure", "figcaption", "video", "audio", "object", "embed", "input",
                          "select", "textarea", "form"})
SKIPPED_CLASSES = frozenset({"end_photo_org", "nbd_im_w", "nbd_table", "img_desc",
                             "_VOD_PLAYER_WRAP", "vod_player_wrap", "blind"})
# Elements whose edges end a paragraph.
BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
                        "dd", "blockquote", "table", "thead", "tbody", "tfoot", "section", "article",
                        "header", "footer", "aside", "pre", "hr", "center", "address", "caption"})
SUMMARY_CLASS = "media_end_summary"
_CAPTIONS = xpath(f".//em[{has_class('img_desc')}]")


@dataclass
class BodyText:
    """A body's text: paragraphs of raw lines; how many of the first come from the summary;
    and whether they are the captions of a photo-only body (which has no other text)."""

    paragraphs: list[list[str]] = field(default_factory=list)
    summary_paragraphs: int = 0
    from_captions: bool = False

    @property
    def first_line_after_summary(self) -> str:
        """Where a dateline stands: the first line of the first paragraph after the summary."""
        rest = self.paragraphs[self.summary_paragraphs:]
        return rest[0][0] if rest and rest[0] else ""


def read_body(body: etree._Element) -> BodyText:
    """The body's text per the contract; a body with no text but photo captions (a `[1보]`
    flash) gives its captions, each one paragraph."""
    out = _Lines()
    if body.text:
        out.text(body.text, False)
    _walk(body, out, False)
    out.end_paragraph()
    if out.paragraphs:
        return BodyText(out.paragraphs, out.summary_paragraphs)
    captions = [lines for lines in map(_one_paragraph, _CAPTIONS(body)) if lines]
    return BodyText(captions, 0, bool(captions))


def text_of(el: etree._Element) -> str:
    """An element's text without what is not text (a `<script>` in a headline, say)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in SKIPPED_TAGS:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Lines:
    """Collects paragraphs of lines from a walk over the body, dropping navigation lines."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.chars = 0        # non-space characters on the current line
        self.link_chars = 0   # of which inside <a>
        self.breaks = 0       # <br>s since the last text
        self.summary_paragraphs = 0

    def text(self, text: str, in_link: bool) -> None:
        chars = len("".join(text.split()))
        if not chars:
            if self.parts and not self.breaks:
                self.parts.append(text)
            return
        if self.breaks:
            self.end_paragraph() if self.breaks > 1 else self.end_line()
        self.parts.append(text)
        self.chars += chars
        if in_link:
            self.link_chars += chars

    def br(self) -> None:
        self.breaks += 1

    def end_line(self) -> None:
        # A line made at least half of link text is promotion (`채널 구독`, `홈페이지 바로가기`), not prose.
        if self.chars and self.link_chars * 2 < self.chars:
            self.lines.append("".join(self.parts))
        self.parts, self.chars, self.link_chars, self.breaks = [], 0, 0, 0

    def end_paragraph(self) -> None:
        self.end_line()
        if self.lines:
            self.paragraphs.append(self.lines)
            self.lines = []


def _skipped(el: etree._Element) -> bool:
    classes = el.get("class")
    return el.tag in SKIPPED_TAGS or bool(classes and SKIPPED_CLASSES.intersection(classes.split()))


def _walk(parent: etree._Element, out: _Lines, in_link: bool) -> None:
    for el in parent:
        tag = el.tag
        if not isinstance(tag, str) or _skipped(el):
            pass  # comments, processing instructions, and non-text elements
        elif tag == "br":
            out.br()
        elif tag == "tr":
            out.end_paragraph()
            cells = [" ".join(_cell_text(cell).split()) for cell in el if cell.tag in ("td", "th")]
            out.text(" | ".join(cell for cell in cells if cell), False)
            out.end_paragraph()
        else:
            summary = SUMMARY_CLASS in (el.get("class") or "")
            block = summary or tag in BLOCK_TAGS
            link = in_link or tag == "a"
            if block:
                out.end_paragraph()
            if el.text:
                out.text(el.text, link)
            _walk(el, out, link)
            if block:
                out.end_paragraph()
            if summary and not out.summary_paragraphs:
                out.summary_paragraphs = len(out.paragraphs)
        if el.tail:
            out.text(el.tail, in_link)


def _one_paragraph(element: etree._Element) -> list[str]:
    """Every line of an element's text as one paragraph (a cell, a caption)."""
    inner = _Lines()
    if element.text:
        inner.text(element.text, False)
    _walk(element, inner, False)
    inner.end_paragraph()
    return [line for lines in inner.paragraphs for line in lines]


def _cell_text(cell: etree._Element) -> str:
    return " ".join(_one_paragraph(cell))
