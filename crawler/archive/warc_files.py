"""WARC files of an output folder (`{out}/.naver-news/warc/`), written with warcio.

Every response is a `request` + `response` record pair under its real Naver URL, gzipped
per record, appended to the newest file until it reaches WARC_MAX_BYTES. A record is
referenced by `FILE:OFFSET` (the file's name, the byte where its gzip member starts), so a
page is read back with one seek. While a file is being written a `.writing` marker stands
beside it; a run killed mid-record leaves the marker, and the next open cuts the file back
to its last complete record, so a file is always readable to its end and no index entry
can point past it (entries are committed only after the file is synced).
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from zlib_ng import zlib_ng

from crawler.sources.dates import now
from pipelines.folder import state_dir

if TYPE_CHECKING:  # only: the helper process that builds the record pairs does without Scrapy
    from scrapy.http import Request, Response

SUFFIX = ".warc.gz"
MARKER = ".writing"
# Set on responses the archive holds (the spider hands it on to the state): `FILE:OFFSET`;
# and on responses read back from it, when they were fetched (their crawled_at).
LOCATION, FETCHED_AT = "warc_location", "warc_fetched_at"


def warc_dir(out_dir: str | Path) -> Path:
    return state_dir(out_dir) / "warc"


def warc_files(folder: Path) -> list[Path]:
    """The folder's WARC files, oldest first (their names start with their creation time)."""
    return sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []


def archive_files(folder: Path) -> dict[str, Path]:
    """The folder's WARC files by name: what a `FILE:OFFSET` location is looked up in."""
    return {path.name: path for path in warc_files(folder)}


def archive_size(out_dir: str | Path) -> tuple[int, int]:
    """(files, bytes) of a folder's web archive."""
    files = warc_files(warc_dir(out_dir))
    return len(files), sum(path.stat().st_size for path in files)


@dataclass(frozen=True)
class ArchivedResponse:
    """A response read back from the archive."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str  # WARC-Date in Korea time, `YYYY-MM-DD HH:MM:SS`
    location: str    # where it is: `FILE:OFFSET`


def read_record(files: dict[str, Path], location: str) -> ArchivedResponse:
    """The response record at `FILE:OFFSET`, the file found by name in `files`
    (`archive_files`); ValueError if there is none."""
    name, _, offset = location.rpartition(":")
    path = files.get(name)
    if not offset.isdigit() or path is None or not path.is_file():
        raise ValueError(f"no WARC record at {location!r}")
    with path.open("rb") as handle:
        handle.seek(int(offset))
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                http = record.http_headers
                when = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))
                return ArchivedResponse(record.rec_headers.get_header("WARC-Target-URI"),
                                        int(http.get_statuscode()), list(http.headers),
                                        record.content_stream().read(),
                                        when.astimezone(now().tzinfo).strftime("%Y-%m-%d %H:%M:%S"), location)
            break
    raise ValueError(f"no WARC response record at {location!r}")


def response_locations(path: Path) -> dict[str, str]:
    """URL → `FILE:OFFSET` of the last response record for it in one file (bodies unread)."""
    found: dict[str, str] = {}
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type == "response":
                found[record.rec_headers.get_header("WARC-Target-URI")] = f"{path.name}:{records.get_record_offset()}"
    return found


def complete_length(path: Path) -> int:
    """How many bytes of a file are whole records: the end of its last complete gzip member
    (one record each). A kill mid-write leaves a member without its end, which a reader
    would silently take for a short record: it is found by decompressing, not by parsing."""
    end = position = 0
    member = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            while chunk:
                try:
                    member.decompress(chunk)
                except zlib.error:
                    return end
                if not member.eof:
                    position += len(chunk)
                    break
                used = len(chunk) - len(member.unused_data)
                position += used
                end = position
                chunk = member.unused_data
                member = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return end


class WarcArchive:
    """Appends record pairs to the folder's newest WARC file, rotating at `max_bytes`."""

    def __init__(self, out_dir: str | Path, max_bytes: int) -> None:
        self.folder = warc_dir(out_dir)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.handle: io.BufferedWriter | None = None
        self.path: Path | None = None
        # The open file's length, kept here: `tell()` is a system call, and it was two for
        # every record appended on the reactor thread.
        self.size = 0
        self.dirty = False
        self.recover()

    def recover(self) -> None:
        """Cut the files a killed run was writing back to their last complete record."""
        for marker in self.folder.glob(f"*{SUFFIX}{MARKER}"):
            path = marker.with_name(marker.name.removesuffix(MARKER))
            if path.exists():
                with path.open("r+b") as handle:
                    handle.truncate(complete_length(path))
                    os.fsync(handle.fileno())
            marker.unlink()

    def _open(self) -> None:
        """Go on with the newest file while it has room, else start one (with its warcinfo)."""
        files = warc_files(self.folder)
        if files and files[-1].stat().st_size < self.max_bytes:
            self.path = files[-1]
        else:
            stamp = now().strftime("%Y%m%d%H%M%S")
            self.path = self.folder / f"naver-news-{stamp}-{len(files):05d}{SUFFIX}"
        self.path.with_name(self.path.name + MARKER).touch()
        self.handle = self.path.open("ab")
        self.size = self.handle.tell()
        if self.size == 0:
            self._write(gzip_member(written(RecordBuilder().create_warcinfo_record(self.path.name, {
                "software": "naver-news (Scrapy, warcio)", "format": "WARC File Format 1.1"}))))

    def append(self, pair: bytes) -> str:
        """Append a gzipped record pair (`archived_pair`) to the newest file; returns the response
        record's `FILE:OFFSET`. On a failed write (a full disk) the file is cut back to where
        it was, and the error raised."""
        if self.handle is None or self.size >= self.max_bytes:
            self.close()
            self._open()
        assert self.path is not None
        start = self.size
        self._write(pair)
        return f"{self.path.name}:{start}"

    def _write(self, data: bytes) -> None:
        assert self.handle is not None
        try:
            self.handle.write(data)
            self.handle.flush()
        except BaseException:
            self.handle.seek(self.size)
            self.handle.truncate(self.size)
            raise
        self.size += len(data)
        self.dirty = True

    def sync(self) -> None:
        """Make what was written durable: called before the state commits references to it."""
        if self.handle is not None and self.dirty:
            os.fsync(self.handle.fileno())
            self.dirty = False

    def close(self) -> None:
        if self.handle is not None and self.path is not None:
            self.sync()
            self.handle.close()
            self.path.with_name(self.path.name + MARKER).unlink(missing_ok=True)
        self.handle = self.path = None


class Exchange(NamedTuple):
    """A request and its response as plain values: what a record pair is built from, where
    the page arrived or in the archive's helper process."""

    url: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    method: str
    request_headers: list[tuple[bytes, bytes]]
    date: str  # WARC-Date: when the response arrived


def exchange(request: Request, response: Response) -> Exchange:
    """A response under its Naver URL and the request that asked for it."""
    return Exchange(response.url, response.status,
                    [(key, value) for key, values in response.headers.items() for value in values],
                    response.body, request.method,
                    [(key, value) for key, values in request.headers.items() for value in values],
                    datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


def archived_pair(exchange: Exchange) -> bytes:
    """The exchange as warcio builds and digests it: two gzip members, the response first
    (its offset is the pair's location). Built where the page arrived (a worker, on another
    machine), appended where the archive is."""
    return b"".join(gzip_member(written(record)) for record in _record_pair(exchange))


def _record_pair(exchange: Exchange) -> tuple[ArcWarcRecord, ArcWarcRecord]:
    builder = RecordBuilder()
    body = exchange.body
    headers = [(key.decode("latin-1"), value.decode("latin-1")) for key, value in exchange.headers
               if key.lower() not in (b"transfer-encoding", b"content-length")]
    headers.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(f"{exchange.status} {_reason(exchange.status)}", headers, protocol="HTTP/1.1")
    http_headers.compute_headers_buffer(builder.header_filter)
    # The digests warcio would take, each in one hashlib call over the whole body, and the
    # length given: warcio then neither copies the page to a temp file nor hashes it in
    # 16 KB steps.
    block = hashlib.sha1(http_headers.headers_buff)
    block.update(body)
    response_record = builder.create_warc_record(
        exchange.url, "response", payload=io.BytesIO(body), length=len(body),
        warc_headers_dict={"WARC-Date": exchange.date, "WARC-Block-Digest": _sha1(block),
                           "WARC-Payload-Digest": _sha1(hashlib.sha1(body))},
        http_headers=http_headers)
    request_headers = [(key.decode("latin-1"), value.decode("latin-1")) for key, value in exchange.request_headers]
    path = exchange.url.split("/", 3)[3] if exchange.url.count("/") >= 3 else ""
    request_record = builder.create_warc_record(
        exchange.url, "request", payload=io.BytesIO(b""), length=0,
        warc_headers_dict={"WARC-Date": exchange.date, "WARC-Concurrent-To": response_record.rec_headers.get_header(
            "WARC-Record-ID")},
        http_headers=StatusAndHeaders(f"{exchange.method} /{path} HTTP/1.1", request_headers,
                                      is_http_request=True))
    return response_record, request_record


def _sha1(digest: hashlib._Hash) -> str:
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def written(record: ArcWarcRecord) -> bytes:
    """One record as warcio writes (and digests) it, uncompressed."""
    plain = io.BytesIO()
    WARCWriter(plain, gzip=False).write_record(record)
    return plain.getvalue()


# zlib-ng level 2: the same gzip, in half the time zlib's level 3 took, at the same size
# (0.63 against 1.0-1.3 ms for a 270 KB page, 12.0% of it against 11.7%); the default
# level (6) takes 2.3 ms for 10.3%.
GZIP_LEVEL = 2


def gzip_member(data: bytes) -> bytes:
    member = zlib_ng.compressobj(GZIP_LEVEL, zlib_ng.DEFLATED, zlib_ng.MAX_WBITS + 16)
    return member.compress(data) + member.flush()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
