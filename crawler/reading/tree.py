"""XPath over the lxml tree Scrapy has already parsed: the CSS-class test and compiled queries."""
from __future__ import annotations

from lxml import etree


def has_class(name: str) -> str:
    """An XPath test for one class among an element's classes (what CSS `.name` means)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def xpath(expr: str) -> etree.XPath:
    """A compiled XPath returning plain strings (no smart strings holding on to the tree)."""
    return etree.XPath(expr, smart_strings=False)
