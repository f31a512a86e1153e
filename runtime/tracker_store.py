"""The single-machine tracker store: Rasa's SQL tracker store on SQLite, with the open
conversations kept in memory.

Profiling the server under load (README "Performance") showed Rasa's `SQLTrackerStore`
spending ~40% of a turn on storage: a new SQLite connection per operation, re-reading
and re-parsing the whole conversation before each message, and counting the stored
events again before each save. This store keeps the same table and the same write
(every event is committed before the reply goes out), and removes the rest:

- one SQLite connection, kept open, in write-ahead-log mode;
- the current session of recently active conversations stays in memory, as the JSON
  rows written to the database (compact: a few KB a turn), so a message does not query
  its conversation again; an evicted or unknown conversation is read from the database
  exactly as Rasa reads it;
- a save appends only the events after those already stored, which it knows.

The memory copy is only correct while this process is the database's only writer, which
is what the SQLite set-up is (one Rasa process; `make report` only reads). Several Rasa
processes share PostgreSQL with Rasa's own store instead (deploy/endpoints.scale.yml),
so this class refuses any dialect but SQLite. On a Rasa release other than the one it was
written for (runtime/compatibility.py) it behaves exactly as Rasa's `SQLTrackerStore`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from runtime import compatibility

logger = logging.getLogger(__name__)
T = TypeVar("T")

# How much memory the conversations kept in memory may take; the least recently active are
# dropped first (and read from the database when they come back). A 6-turn conversation
# takes ~40 KB, so the default holds ~400: the active conversations of a busy machine.
DEFAULT_CACHE_MEGABYTES = 16
# Python's own memory for a row: the dict and its small values, besides the JSON text.
_ROW_OVERHEAD_BYTES = 500


class CachedSQLiteTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        dialect: str = "sqlite",
        db: str = "rasa.db",
        cache_megabytes: float = DEFAULT_CACHE_MEGABYTES,
        **kwargs: Any,
    ) -> None:
        if dialect != "sqlite":
            raise ValueError(
                f"{type(self).__name__} serves one process on SQLite; for '{dialect}' use "
                "Rasa's SQL tracker store (type: SQL), as deploy/endpoints.scale.yml does."
            )
        super().__init__(dialect=dialect, db=db, **kwargs)
        self.optimised = compatibility.optimisations_apply()
        if not self.optimised:
            compatibility.apply({"cached SQLite tracker store": lambda: None})
            return
        # Rasa's engine opens a connection per operation (NullPool). Rasa runs the store's
        # queries on its event loop thread, so one connection, kept open, serves them all.
        self.engine.dispose()
        self.engine = sa.create_engine(
            self.engine.url, poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False}
        )
        with self.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            # With the write-ahead log, NORMAL keeps every committed event across a crash
            # of the process (not of the operating system) without an fsync per commit.
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._insert = self.SQLEvent.__table__.insert()
        # sender_id -> the rows of its current session, as written to the events table.
        self._sessions: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._cache_budget = int(float(cache_megabytes) * 1e6)
        self._sizes: dict[str, int] = {}
        self._cached_bytes = 0
        # sender_id -> how many rows at the end of its cached session are not written yet.
        self._unsaved: dict[str, int] = {}

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if not self.optimised:
            return await super().retrieve(sender_id)
        rows = self._sessions.get(sender_id)
        if rows is None:
            tracker = await super().retrieve(sender_id)
            # None means no stored event at all: the save that creates it appends from 0.
            self._remember(sender_id, [_row_data(event) for event in tracker.events] if tracker else [])
            return tracker
        self._sessions.move_to_end(sender_id)
        if not rows:
            return None
        return DialogueStateTracker.from_events(
            sender_id, [_event(row) for row in rows], self.domain.slots, self.max_event_history
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not self.optimised:
            return await super().save(tracker)
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        rows = self._sessions.get(sender_id)
        if rows is None:  # not read through this store lately: count as Rasa does
            known = self._stored_in_current_session(sender_id)
        else:
            known = len(rows)
        new_rows = [_row_data(event) for event in list(tracker.events)[known:]]
        # Rows a failed save (a full disk, say) left unwritten go first, in order.
        backlog = rows[len(rows) - self._unsaved.get(sender_id, 0) :] if rows else []
        try:
            if backlog or new_rows:
                with self.engine.begin() as connection:
                    connection.execute(
                        self._insert, [{"sender_id": sender_id, **row} for row in backlog + new_rows]
                    )
        except sa.exc.SQLAlchemyError:
            if rows is not None:
                # Kept in memory, still unwritten: the conversation goes on with its context and
                # the next save that succeeds writes them. Rasa's fail-safe store logs the error.
                self._remember(sender_id, rows + new_rows, unsaved=len(backlog) + len(new_rows))
            raise
        if rows is not None:
            self._remember(sender_id, _current_session(rows + new_rows))

    def _stored_in_current_session(self, sender_id: str) -> int:
        """How many events of the conversation's latest session are stored: the events from
        the latest `session_started` on (by timestamp, as Rasa's own store reads them)."""
        events = self.SQLEvent.__table__
        of_sender = events.c.sender_id == sender_id
        with self.engine.connect() as connection:
            session_start = connection.execute(
                sa.select(sa.func.max(events.c.timestamp)).where(
                    of_sender, events.c.type_name == SessionStarted.type_name
                )
            ).scalar()
            count = sa.select(sa.func.count()).select_from(events).where(of_sender)
            if session_start is not None:
                count = count.where(events.c.timestamp >= session_start)
            return int(connection.execute(count).scalar() or 0)

    def _remember(self, sender_id: str, rows: list[dict[str, Any]], unsaved: int = 0) -> None:
        self._forget(sender_id)
        self._sessions[sender_id] = rows
        self._sizes[sender_id] = _size(rows)
        self._cached_bytes += self._sizes[sender_id]
        if unsaved:
            self._unsaved[sender_id] = unsaved
        # The least recently active go first; never one whose rows are not written yet.
        for oldest in list(self._sessions):
            if self._cached_bytes <= self._cache_budget or len(self._sessions) <= 1:
                break
            if oldest != sender_id and oldest not in self._unsaved:
                self._forget(oldest)

    def _forget(self, sender_id: str) -> None:
        if self._sessions.pop(sender_id, None) is not None:
            self._cached_bytes -= self._sizes.pop(sender_id)
        self._unsaved.pop(sender_id, None)


def _size(rows: list[dict[str, Any]]) -> int:
    return sum(len(row["data"]) + _ROW_OVERHEAD_BYTES for row in rows)


def _row_data(event: Event) -> dict[str, Any]:
    """The columns Rasa's SQL store writes for an event (all but `sender_id`)."""
    data = event.as_dict()
    return {
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _current_session(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows from the last `session_started` on: what a read from the database returns."""
    for index in range(len(rows) - 1, -1, -1):
        if rows[index]["type_name"] == SessionStarted.type_name:
            return rows[index:]
    return rows


@cache
def _event_class(type_name: str) -> type:
    # Rasa's Event.resolve_by_type walks every Event subclass on each call, which was most
    # of the cost of reading a conversation; the answer never changes within a process.
    return Event.resolve_by_type(type_name)


def _event(row: dict[str, Any]) -> Event:
    # `_from_parameters` is what Rasa's public `Event.from_parameters` calls once it has
    # resolved the class; the one private name used here, checked by the version guard.
    return _event_class(row["type_name"])._from_parameters(json.loads(row["data"]))


class ReconnectingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (PostgreSQL in the scale-out), riding out a database restart.

    Rasa's pool hands out connections a restart has cut, and Rasa's fail-safe wrapper then
    answers from memory and drops the turn from the database. Here a read or a save that
    meets a cut connection or a database still restarting is tried again for a few seconds
    (within the channels' reply budget) before it fails; SQLAlchemy drops the pool's cut
    connections at the first error. (Testing every connection before use, `pool_pre_ping`,
    did the same at a third of the throughput: `make bench`.)
    """

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await _with_retries(lambda: super(ReconnectingSQLTrackerStore, self).retrieve(sender_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await _with_retries(lambda: super(ReconnectingSQLTrackerStore, self).save(tracker))


# A fast PostgreSQL restart takes about a second; these waits add up to 3.75 s, inside the
# channels' reply budget (REPLY_BUDGET_SECONDS, 8 s by default).
RETRY_DELAYS_SECONDS = (0.25, 0.5, 1.0, 2.0)


async def _with_retries(operation: Callable[[], Awaitable[T]]) -> T:
    """Runs a database operation again while the database cannot be reached (each attempt
    is its own transaction, so a failed one left nothing behind)."""
    for delay in RETRY_DELAYS_SECONDS:
        try:
            return await operation()
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
            logger.warning("Tracker store unavailable (%s); trying again in %.2f s", error.orig, delay)
            await asyncio.sleep(delay)
    return await operation()
