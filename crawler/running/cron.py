"""Five-field cron expressions (`*/30 * * * *`), read in Korea time like every date here.

minute hour day-of-month month day-of-week; each field `*`, a number, a range `a-b`,
a step `*/n` or `a-b/n`, or a comma list of those; months and weekdays also by name
(jan…dec, sun…sat; 0 and 7 are Sunday). As in cron, when both day fields are
restricted a day matches if either does.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
NAMES = {"month": ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
         "day of week": ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]}


class CronError(ValueError):
    """A cron expression that cannot be read; the message names the field."""


def _number(text: str, name: str) -> int:
    names = NAMES.get(name, [])
    if text.lower() in names:
        return names.index(text.lower()) + (1 if name == "month" else 0)
    if not text.isdigit():
        raise CronError(f"bad {name} field value {text!r}")
    return int(text)


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, name) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first, last = (_number(bound, name) for bound in base.split("-", 1))
        else:
            first = last = _number(base, name)
            if step_text:
                last = high
        if not (low <= first <= last <= high) or step < 1:
            raise CronError(f"bad {name} field {part!r}: values go from {low} to {high}")
        values.update(range(first, last + 1, step))
    if name == "day of week" and 7 in values:
        values = (values - {7}) | {0}
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, expression: str) -> Cron:
        parts = expression.split()
        if len(parts) != 5:
            raise CronError(f"cron expression {expression!r} has {len(parts)} fields, not 5 "
                            "(minute hour day-of-month month day-of-week)")
        fields = [_field(part, name, low, high) for part, (name, low, high) in zip(parts, FIELDS, strict=True)]
        return cls(*fields, any_day=parts[2] == "*", any_weekday=parts[4] == "*")

    def _day_matches(self, when: datetime) -> bool:
        day, weekday = when.day in self.days, (when.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return day and weekday
        return day or weekday

    def next_after(self, when: datetime) -> datetime:
        """The first minute strictly after `when` that the expression names (same timezone)."""
        t = when.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = t + timedelta(days=366 * 5)
        while t < limit:
            if t.month not in self.months or not self._day_matches(t):
                t = (t + timedelta(days=1)).replace(hour=0, minute=0)
            elif t.hour not in self.hours:
                t = (t + timedelta(hours=1)).replace(minute=0)
            elif t.minute not in self.minutes:
                t += timedelta(minutes=1)
            else:
                return t
        raise CronError("the cron expression never fires")  # e.g. `0 0 31 2 *`, February 31st
