"""The loaded-release cache: a few releases, each loaded once and compiled once, least recently used out.

Building an entry means loading the stored canonical documents (`load_documents`) and compiling the
release's eligibility rules (`EligibilityEngine`): CPU work of a second or so for a large catalog, done in
a worker thread so the event loop keeps serving. One build per release at a time: a caller asking for a
release being built waits for that build instead of starting another.

An evicted entry's engine is closed, which frees its durable rulesets. Closing an engine a request is still
evaluating with would fail that request, so an entry can be leased (`lease`): a leased entry evicted
meanwhile is closed when its last lease ends. `get` hands out an entry without a lease, valid as long as it
stays cached, which with a handful of releases in use is the whole of a request.

The cache is safe across threads and event loops: its state is guarded by a thread lock, and a build in
progress is a `concurrent.futures.Future` any loop can wait on.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from engine.eligibility import EligibilityEngine
from engine.spec.loader import SourceDocument, load_documents
from engine.spec.release import CatalogRelease
from runtime.catalog.contracts import ActiveRelease, ReleaseInfo

DEFAULT_CAPACITY = 4

EngineFactory = Callable[[CatalogRelease], EligibilityEngine]
DocumentLoader = Callable[[], Awaitable[Sequence[SourceDocument]]]


class StoredReleaseCorrupt(RuntimeError):
    """A stored release no longer loads or no longer has its hash: the store was changed behind our back."""


@dataclass
class _Entry:
    active: ActiveRelease
    leases: int = 0
    evicted: bool = False


@dataclass
class _Stats:
    built: int = 0
    closed: int = 0


@dataclass
class ReleaseCache:
    capacity: int = DEFAULT_CAPACITY
    engine_factory: EngineFactory = EligibilityEngine
    stats: _Stats = field(default_factory=_Stats)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._building: dict[tuple[str, str], Future[_Entry]] = {}

    async def get(self, info: ReleaseInfo, documents: DocumentLoader) -> ActiveRelease:
        """The loaded release, built from `documents()` when not cached."""
        return (await self._entry(info, documents, lease=False)).active

    @asynccontextmanager
    async def lease(self, info: ReleaseInfo, documents: DocumentLoader) -> AsyncIterator[ActiveRelease]:
        """The loaded release, never closed before the block ends."""
        entry = await self._entry(info, documents, lease=True)
        try:
            yield entry.active
        finally:
            with self._lock:
                entry.leases -= 1
                done = entry.evicted and entry.leases == 0
            if done:
                self._close(entry)

    def cached(self) -> list[str]:
        """Ids of the cached releases, least recently used first."""
        with self._lock:
            return [release_id for release_id, _ in self._entries]

    def close(self) -> None:
        """Close every entry (at shutdown)."""
        with self._lock:
            entries = list(self._entries.values())
            self._entries.clear()
        for entry in entries:
            self._close(entry)

    async def _entry(self, info: ReleaseInfo, documents: DocumentLoader, *, lease: bool) -> _Entry:
        key = (info.id, info.contentHash)
        while True:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None:
                    self._entries.move_to_end(key)
                    entry.leases += lease
                    return entry
                building = self._building.get(key)
                if building is None:
                    building = self._building[key] = Future()
                    break
            # Shielded: a waiter being cancelled must not cancel the build others wait for. A build whose
            # builder was cancelled is abandoned: try again, maybe as the builder.
            with contextlib.suppress(_BuildAbandonedError):
                await asyncio.shield(asyncio.wrap_future(building))
            # Loop: the entry is cached now, unless already evicted again.
        return await self._build(key, info, documents, building, lease)

    async def _build(
        self,
        key: tuple[str, str],
        info: ReleaseInfo,
        documents: DocumentLoader,
        building: Future[_Entry],
        lease: bool,
    ) -> _Entry:
        try:
            sources = await documents()
            entry = _Entry(await asyncio.to_thread(self._compile, info, sources), leases=int(lease))
        except BaseException as error:
            with self._lock:
                del self._building[key]
            failure = error if isinstance(error, Exception) else _BuildAbandonedError()
            building.set_exception(failure)
            raise
        with self._lock:
            del self._building[key]
            self._entries[key] = entry
            evicted = self._evict()
        building.set_result(entry)
        for old in evicted:
            self._close(old)
        return entry

    def _compile(self, info: ReleaseInfo, sources: Sequence[SourceDocument]) -> ActiveRelease:
        loaded = load_documents(sources, origin=f"release:{info.id}")
        if loaded.release is None or loaded.release.contentHash != info.contentHash:
            raise StoredReleaseCorrupt(
                f"stored release {info.id} does not load as published:\n{loaded.report}"
            )
        engine = self.engine_factory(loaded.release)
        with self._lock:
            self.stats.built += 1
        return ActiveRelease(info=info, release=loaded.release, eligibility=engine)

    def _evict(self) -> list[_Entry]:
        """Entries past capacity, oldest first; those leased are closed when their last lease ends."""
        evicted = []
        while len(self._entries) > self.capacity:
            _, entry = self._entries.popitem(last=False)
            entry.evicted = True
            if entry.leases == 0:
                evicted.append(entry)
        return evicted

    def _close(self, entry: _Entry) -> None:
        entry.active.eligibility.close()
        with self._lock:
            self.stats.closed += 1


class _BuildAbandonedError(Exception):
    """The builder of an entry was cancelled before finishing."""
