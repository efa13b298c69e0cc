"""One run on the frontier's Redis: its record, its keys, and the operations on them.

    naver-news:run                 the run being served (a pickled RunRecord), expiring
                                   unless the archive side renews it
    naver-news:{run}:queue         requests to fetch (scrapy-redis FIFO, pickled)
    naver-news:{run}:seen          scrapy-redis's dupefilter
    naver-news:{run}:answers       what workers delivered, for the archive side
    naver-news:{run}:workers       the workers serving the run
    naver-news:{run}:taken:{w}     what worker w holds (its leases)
    naver-news:{run}:alive:{w}     w's heartbeat, expiring after FRONTIER_WORKER_TIMEOUT

Every request is in exactly one place: the queue, a worker's leases, the answers, or the
archive side's hands; so the run is complete when the first three are empty. Requeueing a
silent worker and delivering are scripts, atomic in Redis: a late delivery finds its lease
gone and is dropped, so no request is applied twice.
"""
from __future__ import annotations

import pickle
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

from crawler.sources.dates import timestamp

PREFIX = "naver-news"
CURRENT = f"{PREFIX}:run"

# Moves every lease of the workers whose heartbeat expired back to the front of the queue.
REQUEUE_SILENT = """
local moved = {}
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    if redis.call('EXISTS', ARGV[1] .. ':alive:' .. worker) == 0 then
        local count = 0
        while redis.call('LMOVE', ARGV[1] .. ':taken:' .. worker, KEYS[2], 'RIGHT', 'RIGHT') do
            count = count + 1
        end
        redis.call('SREM', KEYS[1], worker)
        table.insert(moved, worker)
        table.insert(moved, count)
    end
end
return moved
"""
# Requests anywhere but in the archive side's hands.
OUTSTANDING = """
local count = redis.call('LLEN', KEYS[2]) + redis.call('LLEN', KEYS[3])
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    count = count + redis.call('LLEN', ARGV[1] .. ':taken:' .. worker)
end
return count
"""
# A request taken under a lease, by a worker still alive (a silent one takes nothing).
TAKE = """
if redis.call('EXISTS', KEYS[3]) == 0 then return false end
return redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
"""
# An answer delivered only while its lease is held.
DELIVER = """
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
    redis.call('LPUSH', KEYS[2], ARGV[2])
    return 1
end
return 0
"""
# Back to the front of the queue: what one worker holds (it is stopping).
GIVE_BACK = """
local count = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do count = count + 1 end
return count
"""


@dataclass(frozen=True)
class RunRecord:
    """What a worker needs to serve a run: the job's spider and its arguments."""

    id: str
    spider: str
    args: dict[str, Any]
    warc: bool            # the archive side keeps a web archive: workers carry the records
    archive: str          # who runs it: host and folder, for messages
    started: str = field(default_factory=timestamp)


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def busy(url: str, other: RunRecord) -> str:
    """Why a run cannot start on a Redis another run is using."""
    return (f"Redis at {url} is serving another run ({other.spider} for {other.archive}, since {other.started}): "
            "one run at a time")


def worker_name() -> str:
    return f"{socket.gethostname()}-{uuid.uuid4().hex[:6]}"


class Run:
    """The keys of one run, and what the archive side and the workers do with them."""

    def __init__(self, server: Any, run_id: str) -> None:
        self.server = server
        self.id = run_id
        self.base = f"{PREFIX}:{run_id}"
        self.queue, self.seen, self.answers, self.workers = (f"{self.base}:{name}" for name in
                                                             ("queue", "seen", "answers", "workers"))
        self._requeue = server.register_script(REQUEUE_SILENT)
        self._outstanding = server.register_script(OUTSTANDING)
        self._take = server.register_script(TAKE)
        self._deliver = server.register_script(DELIVER)
        self._give_back = server.register_script(GIVE_BACK)

    def taken(self, worker: str) -> str:
        return f"{self.base}:taken:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.base}:alive:{worker}"

    # --- the archive side ---

    @staticmethod
    def current(server: Any) -> RunRecord | None:
        raw = server.get(CURRENT)
        return pickle.loads(raw) if raw else None

    def announce(self, record: RunRecord, ttl: float) -> RunRecord | None:
        """Make this the run workers serve; the run already announced, if another is."""
        if self.server.set(CURRENT, pickle.dumps(record), nx=True, px=int(ttl * 1000)):
            return None
        return self.current(self.server)

    def renew(self, ttl: float) -> bool:
        """Keep the announcement alive; False if it is no longer this run's."""
        record = self.current(self.server)
        if record is None or record.id != self.id:
            return False
        self.server.pexpire(CURRENT, int(ttl * 1000))
        return True

    def requeue_silent(self) -> list[tuple[str, int]]:
        """(worker, leases put back) for each worker whose heartbeat stopped."""
        moved = self._requeue(keys=[self.workers, self.queue], args=[self.base])
        return [(moved[i].decode(), int(moved[i + 1])) for i in range(0, len(moved), 2)]

    def outstanding(self) -> int:
        return int(self._outstanding(keys=[self.workers, self.queue, self.answers], args=[self.base]))

    def take_answers(self, count: int) -> list[bytes]:
        return self.server.rpop(self.answers, count) or []

    def end(self) -> None:
        """Remove everything of the run, and its announcement if it is still this run's."""
        if (record := self.current(self.server)) is not None and record.id == self.id:
            self.server.delete(CURRENT)
        keys = list(self.server.scan_iter(match=f"{self.base}:*", count=1000))
        if keys:
            self.server.delete(*keys)

    # --- a worker ---

    def heartbeat(self, worker: str, ttl: float) -> None:
        with self.server.pipeline() as pipe:  # MULTI: a worker in the set is one that is alive
            pipe.sadd(self.workers, worker)
            pipe.set(self.alive(worker), b"1", px=int(ttl * 1000))
            pipe.execute()

    def take(self, worker: str) -> bytes | None:
        return self._take(keys=[self.queue, self.taken(worker), self.alive(worker)]) or None

    def deliver(self, worker: str, lease: bytes, answer: bytes) -> bool:
        return bool(self._deliver(keys=[self.taken(worker), self.answers], args=[lease, answer]))

    def give_back(self, worker: str) -> int:
        """Stopping: what the worker holds goes back to the front of the queue."""
        count = int(self._give_back(keys=[self.taken(worker), self.queue]))
        self.server.srem(self.workers, worker)
        self.server.delete(self.alive(worker))
        return count

    def backlog(self) -> int:
        return int(self.server.llen(self.answers))
