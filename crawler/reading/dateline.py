"""The reporter named in a body's dateline (output contract, amendments of 2026-12-01).

2026 pages name no journalist in their markup; the press writes the reporter at the start
of the body: `[데일리안 = 김효경 기자] …`, `(서울=연합뉴스) 김경윤 기자 = …`,
`[서울=뉴시스]박나리 기자 = …`, `[이데일리 김소연 기자] …`. Only that start is read:
nothing else in the body is ever taken for an author.
"""
from __future__ import annotations

import re

# A bracketed group at the very start of the line: [...] or (...).
_GROUP = re.compile(r"\[([^\]]*)\]|\(([^)]*)\)")
# `NAME 기자 =` (or 특파원) at the start of what follows the group, or of the line.
_NAMED = re.compile(r"\s*([가-힣]{2,4})\s?(기자|특파원)\s*=")
# Inside a group: a word of 2–4 syllables directly before 기자/특파원.
_IN_GROUP = re.compile(r"(?:^|[\s=])([가-힣]{2,4})\s?(기자|특파원)(?![가-힣])")


def dateline_author(line: str) -> str:
    """`김효경 기자` from `[데일리안 = 김효경 기자] 나이가…`; '' when the line has no dateline
    naming a 기자 or 특파원."""
    text = line.strip()
    group = _GROUP.match(text)
    named = _NAMED.match(text[group.end():] if group else text)
    if named:
        return f"{named[1]} {named[2]}"
    if group:
        inside = _IN_GROUP.search(group[1] if group[1] is not None else group[2])
        if inside:
            return f"{inside[1]} {inside[2]}"
    return ""
