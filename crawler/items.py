"""Items: an Article (the contract's fields, plus what the pipelines need to produce them),
an UnavailableArticle when the page gave none, and PageEvidence for pages that broke."""
from __future__ import annotations

import scrapy


class Article(scrapy.Item):
    # The front matter of the output contract, in its order.
    id = scrapy.Field()            # "648_0000043044"
    title = scrapy.Field()
    category = scrapy.Field()
    publisher = scrapy.Field()
    author = scrapy.Field()
    published_at = scrapy.Field()  # "YYYY-MM-DD HH:MM", KST
    crawled_at = scrapy.Field()    # "YYYY-MM-DD HH:MM:SS", KST
    url = scrapy.Field()           # canonical https://n.news.naver.com/mnews/article/{oid}/{aid}
    oid = scrapy.Field()
    aid = scrapy.Field()
    content_hash = scrapy.Field()  # sha256 of content, set by pipelines.fingerprint
    # The article text: paragraphs joined by a blank line, set by pipelines.normalize.
    content = scrapy.Field()
    modified_at = scrapy.Field()   # "YYYY-MM-DD HH:MM" or "": not written to the file by default
    # Raw paragraphs (lists of lines) as the page gave them; normalize turns them into content.
    paragraphs = scrapy.Field()
    # Where the page it was read from is kept in the web archive (`FILE:OFFSET`), if it is.
    archived = scrapy.Field()


class UnavailableArticle(scrapy.Item):
    """An article page that gave no article; recorded in the state, written nowhere."""

    id = scrapy.Field()
    oid = scrapy.Field()
    aid = scrapy.Field()
    url = scrapy.Field()
    status = scrapy.Field()  # gone / unsupported / failed
    detail = scrapy.Field()  # why: missing fields, the error, the final URL
    archived = scrapy.Field()  # the page in the web archive, if it is kept


class PageEvidence(scrapy.Item):
    """A page that broke extraction, kept as served so the fix can be written from it."""

    url = scrapy.Field()
    body = scrapy.Field()    # bytes, as downloaded
    reason = scrapy.Field()  # e.g. "missing content, published_at"
