"""Days as people name them, in Korea time: `2025-12-29`, `20251229`, `today`, `yesterday`, `--since 2d`."""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

KST = timezone(timedelta(hours=9))
# Naver News began in the 1990s: no day list goes back further than this.
MAX_SINCE_DAYS = 36_500


def now() -> datetime:
    """The time in Korea, to the second."""
    return datetime.now(KST).replace(microsecond=0)


def korea_time(value: str | None) -> datetime | None:
    """`YYYY-MM-DD HH:MM[:SS]` as a time in Korea; None for a value that is no time (one bad
    row of a state must never stop a run)."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=KST) if value else None
    except ValueError:
        return None


def timestamp() -> str:
    """`YYYY-MM-DD HH:MM:SS` in Korea time: crawled_at, and every time the state records.
    Asked for a few times per article, it formats each second once: formatting a time took
    40 µs of the crawl's CPU each time (measured there; a tenth of that in a loop)."""
    return _second(int(time.time()))


@lru_cache(maxsize=1)
def _second(second: int) -> str:
    return datetime.fromtimestamp(second, KST).strftime("%Y-%m-%d %H:%M:%S")


def today_kst() -> date:
    return now().date()


def parse_day(value: str, today: date | None = None) -> date:
    """One day; raises ValueError naming the value."""
    today = today or today_kst()
    text = value.strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    for layout in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            pass
    raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD, YYYYMMDD, today or yesterday")


def parse_since(value: str, today: date | None = None) -> date:
    """`2d` → the first of the last two days (yesterday); `1d` is today only."""
    text = value.strip().lower()
    if not (text.endswith("d") and text[:-1].isdigit() and 0 < int(text[:-1]) <= MAX_SINCE_DAYS):
        raise ValueError(f"invalid --since {value!r}: expected a number of days from 1 to {MAX_SINCE_DAYS}, like 2d")
    return (today or today_kst()) - timedelta(days=int(text[:-1]) - 1)


def day_range(first: date, last: date, limit: int, allow_long: bool = False) -> list[date]:
    """Every day from first to last, inclusive; refuses a backwards range, or one longer than
    `limit` days unless `allow_long`."""
    if last < first:
        raise ValueError(f"invalid date range {first} to {last}: the end is before the start")
    days = (last - first).days + 1
    if days > limit and not allow_long:
        raise ValueError(f"date range {first} to {last} is {days} days, more than {limit}: "
                         "pass --yes to crawl it anyway")
    return [first + timedelta(days=n) for n in range(days)]
