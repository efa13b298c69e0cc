"""Reaching the frontier's Redis: a client from the settings, checked in one line."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy.settings import BaseSettings

MISSING_EXTRA = "the shared frontier needs the redis extra: pip install 'naver-news[redis]'"


class FrontierError(Exception):
    """The frontier cannot be used: one line, and the exit code it means (2 bad input,
    5 not reachable)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def shown(url: str) -> str:
    """A Redis URL fit for a message: its password left out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def check_url(url: str) -> None:
    """FrontierError (exit 2) unless `url` is a Redis URL: redis://, rediss:// or unix://."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        raise FrontierError(f"invalid Redis URL {shown(url)!r}: expected redis://HOST[:PORT][/DB]")
    try:
        port = parts.port
    except ValueError:
        raise FrontierError(f"invalid Redis URL {shown(url)!r}: the port is not a number") from None
    database = parts.path.strip("/")
    if parts.scheme != "unix" and database and not database.isdigit():
        raise FrontierError(f"invalid Redis URL {shown(url)!r}: the database is a number, like /0")
    del port


def require_extra() -> None:
    """FrontierError unless scrapy-redis (the redis extra) is installed."""
    try:
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise FrontierError(MISSING_EXTRA) from None


def redis_client(settings: BaseSettings) -> Any:
    """scrapy-redis's client for REDIS_URL, pinged: FrontierError naming the URL when it is
    malformed (exit 2), unreachable or refuses us (exit 5)."""
    require_extra()
    import redis
    from scrapy_redis.connection import get_redis_from_settings
    url = settings.get("REDIS_URL", "")
    check_url(url)
    try:
        client = get_redis_from_settings(settings)
        client.ping()
    except ValueError as error:
        raise FrontierError(f"invalid Redis URL {shown(url)!r}: {error}") from None
    except redis.RedisError as error:
        raise FrontierError(f"cannot reach Redis at {shown(url)}: {error}", 5) from None
    version = client.info("server").get("redis_version", "0")
    if tuple(int(part) for part in version.split(".")[:2]) < (6, 2):
        raise FrontierError(f"Redis at {shown(url)} is version {version}: the frontier needs 6.2 or newer "
                            "(LMOVE)", 5)
    return client
