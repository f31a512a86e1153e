"""Tracker stores whose cost per message does not grow with the conversation.

Profiling a 500-turn conversation (README "Performance", `make bench` growth curve) showed
every step of a turn growing with the conversation's length: Rasa re-read and re-parsed the
whole session from the database, the policies computed a state for every earlier turn, and
the whole event list was sent to, and parsed by, the action server on every action call.
Two things, both here, make a turn cost the same at turn 500 as at turn 5:

1. **A window on the conversation.** The tracker handed to Rasa holds the conversation's slots
   and its latest `WINDOW_EVENTS` events, not all of them. The database keeps every event.
   What a turn looks at fits in the window: no slot influences the dialogue (domain.yml),
   the policies look back at most a few turns (config.yml), there are no forms, no rewinds
   and no conversation-start rules, and the actions read slots and the latest message only.
   The same conversations get the same replies and slots with and without the window
   (tests/integration/test_long_conversations.py).
2. **The open conversations in memory.** A turn does not read its conversation from the
   database again: the store keeps each recently active conversation's window, and hands
   Rasa a copy. A save appends only the events after those already stored, which it knows.
   - `CachedSQLiteTrackerStore` (one machine) is the database's only writer, so what it
     remembers is always current. One SQLite connection is kept open, in WAL mode.
   - `SharedSQLTrackerStore` (several processes on PostgreSQL) checks, with one indexed query,
     that the conversation's newest stored row is still the one it remembers: another
     process may have served the last turn. Rasa's Redis lock store lets one process at a
     time handle a conversation, so the check and the save cannot interleave with another's.

A conversation not in memory is read from the database exactly as Rasa reads it (its latest
session), then windowed. On a Rasa release other than the one this was written for
(runtime/compatibility.py), both behave exactly as Rasa's `SQLTrackerStore`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from runtime import compatibility
from runtime.lock_store import served_here_last
from runtime.processor_overheads import copy_state

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The latest events a turn sees. A turn records about ten (the message, the action, its
# bubbles, the slots it sets, the listen), and the policies look back two turns at most
# (MemoizationPolicy max_history 3 states; the longest rule is two turns): 40 is four turns.
# A turn's cost grows with the window (the policies' states, the action server's payload),
# so it is kept as small as is safe; the same replies with 30 are tested on 280 turns.
WINDOW_EVENTS = 40
# How many events the conversations kept in memory may hold in all; the least recently
# active are dropped first, and a dropped one that comes back costs one read of its latest
# session. An event takes ~2.2 KB, so the default is ~9 MB (`make bench`: Rasa + actions stay
# under 800 MB over 10,000 messages): 100 full windows, or ~130 visitors' short conversations
# active at once. Raise it (`cache_events` in endpoints.yml) where memory allows.
DEFAULT_CACHE_EVENTS = 4_000


@dataclass
class _Remembered:
    """A conversation as this store last wrote or read it."""

    tracker: DialogueStateTracker | None  # None: nothing stored for it yet
    # The newest stored row's id (SharedSQLTrackerStore's check; unused on SQLite).
    version: int | None = None
    # Rows a failed save left unwritten, oldest first: the next save writes them first.
    unsaved: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.tracker.events) if self.tracker is not None else 1


class _WindowedSQLTrackerStore(SQLTrackerStore):
    """What both stores share: the window, the conversations in memory, appending saves."""

    def __init__(
        self, cache_events: int = DEFAULT_CACHE_EVENTS, window_events: int = WINDOW_EVENTS, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if int(window_events) < 2:
            raise ValueError(f"window_events={window_events}: a turn needs at least a few events")
        self.window_events = int(window_events)
        self.optimised = compatibility.optimisations_apply()
        self._remembered: OrderedDict[str, _Remembered] = OrderedDict()
        self._cache_budget = int(cache_events)
        self._cached_events = 0
        self._insert = self.SQLEvent.__table__.insert()

    # --- Rasa's interface -----------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if not self.optimised:
            return await super().retrieve(sender_id)
        remembered = self._remembered.get(sender_id)
        if remembered is None:
            remembered = await self._read(sender_id)
        else:
            remembered = await self._refreshed(sender_id, remembered)
        return self._hand_out(remembered.tracker) if remembered.tracker is not None else None

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not self.optimised:
            return await super().save(tracker)
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        remembered = self._remembered.get(sender_id)
        new_events = self._unstored_events(tracker, remembered)
        rows = (remembered.unsaved if remembered else []) + [_row_data(event) for event in new_events]
        try:
            if rows:
                version = await self._append(sender_id, rows)
            else:
                version = remembered.version if remembered else None
        except sa.exc.SQLAlchemyError:
            self._keep_unsaved(sender_id, tracker, remembered, rows)
            raise
        tracker.__dict__[self._marker] = tracker.events[-1] if tracker.events else None
        self._remember(sender_id, _Remembered(self._window(tracker, current_session_only=True), version))

    # --- Reading and writing --------------------------------------------------------------

    async def _refreshed(self, sender_id: str, remembered: _Remembered) -> _Remembered:
        """What is remembered of the conversation, brought up to what the database holds."""
        raise NotImplementedError

    async def _read(self, sender_id: str) -> _Remembered:
        """The conversation's latest session from the database, as Rasa reads it, windowed."""
        rows = await self._current_session_rows(sender_id)
        if not rows:
            remembered = _Remembered(None)
        else:
            events = [_event(row.type_name, row.data) for row in rows]
            slots = self.domain.slots
            tracker = DialogueStateTracker.from_events(sender_id, events, slots, self.window_events)
            remembered = _Remembered(tracker, version=max(row.id for row in rows))
        self._remember(sender_id, remembered)
        return remembered

    async def _current_session_rows(self, sender_id: str) -> list[Any]:
        """The rows (id, type_name, data) of the conversation's latest session, in order."""
        with self.engine.connect() as connection:
            return connection.execute(self._current_session_query(sender_id)).all()

    def _current_session_query(self, sender_id: str) -> Any:
        """Rasa's own query for a conversation's latest session: its events from the latest
        `session_started` on (by timestamp), in id order, with their ids."""
        events = self.SQLEvent.__table__
        of_sender = events.c.sender_id == sender_id
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(of_sender, events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        return (
            sa.select(events.c.id, events.c.type_name, events.c.data)
            .where(of_sender, sa.or_(session_start.is_(None), events.c.timestamp >= session_start))
            .order_by(events.c.timestamp, events.c.id)
        )

    async def _append(self, sender_id: str, rows: list[dict[str, Any]]) -> int | None:
        """Writes the rows in one transaction; returns the version to remember (none here)."""
        with self.engine.begin() as connection:
            connection.execute(self._insert, [{"sender_id": sender_id, **row} for row in rows])
        return None

    def _keep_unsaved(
        self,
        sender_id: str,
        tracker: DialogueStateTracker,
        remembered: _Remembered | None,
        rows: list[dict[str, Any]],
    ) -> None:
        """After a failed save: how the store goes on (each store says)."""
        self._forget(sender_id)

    @property
    def _marker(self) -> str:
        # The attribute naming, on a tracker this store handed out or saved, its newest
        # event that is stored: the events after it are the new ones. Per store instance.
        return f"_stored_upto_{id(self)}"

    def _hand_out(self, remembered: DialogueStateTracker) -> DialogueStateTracker:
        """A copy Rasa may change: its own event list and slots, sharing the (unchanging) events."""
        tracker = self._window(remembered)
        tracker.__dict__[self._marker] = tracker.events[-1] if tracker.events else None
        return tracker

    def _unstored_events(self, tracker: DialogueStateTracker, remembered: _Remembered | None) -> list[Event]:
        marker = tracker.__dict__.get(self._marker, _NOT_HANDED_OUT)
        events = tracker.events
        if marker is None:
            return list(events)
        if marker is not _NOT_HANDED_OUT:
            for index in range(len(events) - 1, -1, -1):
                if events[index] is marker:
                    return list(events)[index + 1 :]
            logger.error(
                "Conversation %s: more than %d events in one turn; only the window's are stored.",
                tracker.sender_id,
                self.window_events,
            )
            return list(events)
        # A tracker this store did not hand out (Rasa's create_tracker, say): count as Rasa does.
        if remembered is not None and remembered.tracker is None:
            return list(events)
        return list(events)[self._stored_in_current_session(tracker.sender_id) :]

    def _stored_in_current_session(self, sender_id: str) -> int:
        """How many events of the conversation's latest session are stored."""
        with self.engine.connect() as connection:
            query = self._current_session_query(sender_id).subquery()
            return int(connection.execute(sa.select(sa.func.count()).select_from(query)).scalar() or 0)

    def _window(
        self, tracker: DialogueStateTracker, current_session_only: bool = False
    ) -> DialogueStateTracker:
        """A copy of the tracker holding its slots and its latest events (from the latest
        `session_started` on, if asked): a new event list and new slot objects, so that
        changes to one do not reach the other; the events themselves are never changed."""
        events: Iterable[Event] = tracker.events
        if current_session_only:
            events = _current_session(list(tracker.events))
        copied = copy_state(tracker)
        copied._max_event_history = self.window_events
        copied.events = deque(events, maxlen=self.window_events)
        return copied

    # --- Memory -----------------------------------------------------------------------------

    def _remember(self, sender_id: str, remembered: _Remembered) -> None:
        self._forget(sender_id)
        self._remembered[sender_id] = remembered
        self._cached_events += remembered.size
        # The least recently active go first; never one whose rows are not written yet.
        for oldest in list(self._remembered):
            if self._cached_events <= self._cache_budget or len(self._remembered) <= 1:
                break
            if oldest != sender_id and not self._remembered[oldest].unsaved:
                self._forget(oldest)

    def _forget(self, sender_id: str) -> None:
        remembered = self._remembered.pop(sender_id, None)
        if remembered is not None:
            self._cached_events -= remembered.size


_NOT_HANDED_OUT = object()


class CachedSQLiteTrackerStore(_WindowedSQLTrackerStore):
    """The single-machine store: Rasa's SQL tracker store on SQLite, its only writer.

    One process writes the database (`make report` only reads it), so what this store
    remembers of a conversation is always what is stored: a turn costs no query but its
    insert. Refuses any dialect but SQLite; several processes use `SharedSQLTrackerStore`.
    """

    def __init__(self, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any) -> None:
        if dialect != "sqlite":
            raise ValueError(
                f"{type(self).__name__} serves one process on SQLite; for '{dialect}' use "
                "runtime.tracker_store.SharedSQLTrackerStore, as deploy/endpoints.scale.yml does."
            )
        super().__init__(dialect=dialect, db=db, **kwargs)
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

    async def _refreshed(self, sender_id: str, remembered: _Remembered) -> _Remembered:
        self._remembered.move_to_end(sender_id)
        return remembered  # the only writer: what it remembers is what is stored

    def _keep_unsaved(
        self,
        sender_id: str,
        tracker: DialogueStateTracker,
        remembered: _Remembered | None,
        rows: list[dict[str, Any]],
    ) -> None:
        """A full disk, say: the rows stay with the conversation in memory, so it goes on with
        its context, and the next save that succeeds writes them first, in order. (Rasa's
        fail-safe store logs the error.)"""
        if remembered is None:
            return
        tracker.__dict__[self._marker] = tracker.events[-1] if tracker.events else None
        self._remember(sender_id, _Remembered(self._window(tracker), remembered.version, unsaved=rows))


class SharedSQLTrackerStore(_WindowedSQLTrackerStore):
    """Rasa's SQL tracker store for several processes (PostgreSQL in the scale-out).

    - Remembers the open conversations as the single-machine store does. Before a turn
      it reads the rows stored after the newest one it remembers (another process's turn),
      unless the Redis lock says this process served the conversation's previous turn too.
    - A turn costs two statements at most, each its own transaction (no BEGIN and COMMIT
      round trips), sent to psycopg2 directly in its asynchronous mode (runtime/postgres.py):
      while PostgreSQL commits one turn, the event loop serves the others. Rasa's SQL store
      blocks the loop for each statement, and handing them to a worker thread cost more than
      the waits it overlapped (1 process 82-96 msg/s with threads, 98-111 without).
    - Rides out a database restart: Rasa's pool hands out connections a restart has cut, and
      Rasa's fail-safe wrapper then answers from memory and drops the turn from the database.
      Here a read or a save that meets a cut connection, or a database still restarting, is
      tried again for a few seconds (within the channels' reply budget) before it fails; the
      idle connections are dropped at the first such error. (Testing every connection before
      use, `pool_pre_ping`, did the same at a third of the throughput.)
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.optimised:
            compatibility.apply({"shared SQL tracker store cache": lambda: None})

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await _with_retries(lambda: super(SharedSQLTrackerStore, self).retrieve(sender_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await _with_retries(lambda: super(SharedSQLTrackerStore, self).save(tracker))

    async def _refreshed(self, sender_id: str, remembered: _Remembered) -> _Remembered:
        """One indexed query for the rows stored after the newest one remembered: none when
        this process served the last turn; another process's turn otherwise, which is applied
        to the remembered window (each turn costs the same, whichever process served it)."""
        if remembered.tracker is None or remembered.version is None:
            return await self._read(sender_id)
        if served_here_last(sender_id):
            # This process held the conversation's lock for its previous turn as well
            # (runtime/lock_store.py): nothing has been written since, no query is needed.
            self._remembered.move_to_end(sender_id)
            return remembered
        rows = await self._rows_after(sender_id, remembered.version)
        if not rows:
            self._remembered.move_to_end(sender_id)
            return remembered
        tracker = self._window(remembered.tracker)
        for row in rows:
            tracker.update(_event(row.type_name, row.data))
        caught_up = _Remembered(self._window(tracker, current_session_only=True), version=rows[-1].id)
        self._remember(sender_id, caught_up)
        return caught_up

    async def _current_session_rows(self, sender_id: str) -> list[Any]:
        if self._postgres is None:
            return await super()._current_session_rows(sender_id)
        # Rasa's query (_current_session_query), written out for the driver.
        table = self.SQLEvent.__tablename__
        rows = await self._on_postgres(
            f"WITH latest AS (SELECT max(timestamp) AS started FROM {table} "
            "WHERE sender_id = %(sender)s AND type_name = %(session)s) "
            f"SELECT id, type_name, data FROM {table}, latest WHERE sender_id = %(sender)s "
            "AND (latest.started IS NULL OR timestamp >= latest.started) ORDER BY timestamp, id",
            {"sender": sender_id, "session": SessionStarted.type_name},
        )
        return [_StoredRow(*row) for row in rows]

    async def _append(self, sender_id: str, rows: list[dict[str, Any]]) -> int | None:
        """Writes the rows atomically; returns the conversation's newest row id, the version
        the next turn checks (on PostgreSQL in the insert's own round trip)."""
        values = [{"sender_id": sender_id, **row} for row in rows]
        if self._postgres is not None:
            # One statement, atomic on its own: no BEGIN and COMMIT round trips around it,
            # and no SQLAlchemy compilation of a statement whose row count varies (which cost
            # more than the insert itself in the scale-out profile).
            one_row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
            inserted = await self._on_postgres(
                f"INSERT INTO {self.SQLEvent.__tablename__} ({', '.join(_COLUMNS)}) "
                f"VALUES {', '.join([one_row] * len(values))} RETURNING id",
                [row[column] for row in values for column in _COLUMNS],
            )
            return max(row[0] for row in inserted)
        with self.engine.begin() as connection:
            connection.execute(self._insert, values)
            return self._newest_row_id(sender_id, connection)

    def _newest_row_id(self, sender_id: str, connection: Any) -> int | None:
        events = self.SQLEvent.__table__
        newest = sa.select(sa.func.max(events.c.id)).where(events.c.sender_id == sender_id)
        return connection.execute(newest).scalar()

    @property
    def _autocommit(self) -> Any:
        """An engine of its own for single statements, its connections in autocommit mode from
        the start: the database is not asked to begin and end a transaction around each one
        (and, unlike a per-use isolation option, nothing is reset when a connection returns
        to the pool, which cost a round trip of its own)."""
        cached = self.__dict__.get("_autocommit_engine")
        if cached is None or cached[0] is not self.engine:
            engine = sa.create_engine(self.engine.url, isolation_level="AUTOCOMMIT")
            cached = self.__dict__["_autocommit_engine"] = (self.engine, engine)
        return cached[1]

    async def _rows_after(self, sender_id: str, version: int) -> list[Any]:
        if self._postgres is not None:
            rows = await self._on_postgres(
                f"SELECT id, type_name, data FROM {self.SQLEvent.__tablename__} "
                "WHERE sender_id = %s AND id > %s ORDER BY id",
                (sender_id, version),
            )
            return [_StoredRow(*row) for row in rows]
        events = self.SQLEvent.__table__
        with self._autocommit.connect() as connection:
            return connection.execute(
                sa.select(events.c.id, events.c.type_name, events.c.data)
                .where(events.c.sender_id == sender_id, events.c.id > version)
                .order_by(events.c.id)
            ).all()

    @property
    def _postgres(self) -> Any:
        """The turn's statements on PostgreSQL (runtime/postgres.py: the event loop serves
        other messages while the database works), or None on another database."""
        if self.engine.dialect.driver != "psycopg2":
            return None
        cached = self.__dict__.get("_async_postgres")
        if cached is None or cached[0] is not self.engine:
            from runtime.postgres import AsyncPostgres

            arguments, keywords = self.engine.dialect.create_connect_args(self.engine.url)
            cached = self.__dict__["_async_postgres"] = (self.engine, AsyncPostgres(arguments, keywords))
        return cached[1]

    async def _on_postgres(self, sql: str, parameters: Any) -> list[tuple]:
        """Runs one statement; the driver's errors are raised as SQLAlchemy's, which the
        retries know (a cut connection: OperationalError, tried again)."""
        import psycopg2

        try:
            return await self._postgres.fetch(sql, parameters)
        except psycopg2.Error as error:
            raise sa.exc.DBAPIError.instance("", None, error, psycopg2.Error) from error


class _StoredRow(NamedTuple):
    id: int
    type_name: str
    data: str


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


def _current_session(events: list[Event]) -> list[Event]:
    """The events from the last `session_started` on: what a read from the database returns."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            return events[index:]
    return events


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


_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


@cache
def _event_class(type_name: str) -> type:
    # Rasa's Event.resolve_by_type walks every Event subclass on each call, which was most
    # of the cost of reading a conversation; the answer never changes within a process.
    return Event.resolve_by_type(type_name)


def _event(type_name: str, data: str) -> Event:
    # `_from_parameters` is what Rasa's public `Event.from_parameters` calls once it has
    # resolved the class; the one private name used here, checked by the version guard.
    return _event_class(type_name)._from_parameters(json.loads(data))
