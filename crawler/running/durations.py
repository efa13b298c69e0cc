"""Durations as people write them in settings and options: `90s`, `30m`, `6h`, `3d`, `2w`."""
from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw]?)")


def parse_duration(value: str | int | float | timedelta) -> timedelta:
    """`6h` → 6 hours; a bare number is seconds. Raises ValueError naming the value."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, (int, float)):
        return timedelta(seconds=value)
    match = _DURATION.fullmatch(value.strip().lower())
    if not match:
        raise ValueError(f"invalid duration {value!r}: expected a number and a unit, like 90s, 30m, 6h, 3d, 2w")
    number, unit = match.groups()
    return timedelta(**{_UNITS[unit or "s"]: float(number)})
