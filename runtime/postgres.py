"""PostgreSQL statements that do not stop Rasa's event loop while the database works.

Rasa runs its tracker store's queries on the event loop, through blocking drivers: while
PostgreSQL commits a turn's insert (a write to its log on disk), the Rasa process serves no
one. In the scale-out profile (README "Performance") that wait was ~6 % of the Rasa
process's time at 10 users. Handing the statement to a worker thread cost more than the
wait it overlapped, so here psycopg2's own asynchronous mode is used instead: the statement
is sent, and the event loop watches the connection's socket (`add_reader`) until the answer
is in, serving other messages meanwhile. No thread, no new dependency.

psycopg2's asynchronous connections are always in autocommit mode: each statement is its
own transaction, which is what the tracker store wants (one insert per turn, atomic alone).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

import psycopg2
import psycopg2.extensions as pg

# A statement that takes longer than this is given up (its connection closed): a hung
# database must not hold a message, and its conversation's lock, for ever.
STATEMENT_TIMEOUT_SECONDS = 10.0
# Connections kept open between statements: one per message in flight is enough.
MAX_IDLE_CONNECTIONS = 8


class StatementTimeout(psycopg2.Error):
    """The database did not answer within STATEMENT_TIMEOUT_SECONDS. Not an OperationalError:
    the statement may have been carried out, so it must not be tried again."""


class AsyncPostgres:
    """A small pool of psycopg2 asynchronous connections, used from one event loop."""

    def __init__(self, connect_args: Sequence[Any], connect_kwargs: dict[str, Any]) -> None:
        self._connect_args = tuple(connect_args)
        self._connect_kwargs = dict(connect_kwargs)
        self._idle: list[Any] = []
        self._pid = os.getpid()

    async def fetch(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        """Runs one statement (its own transaction) and returns its rows."""
        connection = await self._acquire()
        finished = False
        try:
            cursor = connection.cursor()
            cursor.execute(sql, parameters)
            await _ready(connection)
            rows = cursor.fetchall() if cursor.description is not None else []
            cursor.close()
            finished = True
            return rows
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            # The server went away (a restart, say): the idle connections are cut as well.
            self.close()
            raise
        finally:
            self._release(connection, reusable=finished)

    def close(self) -> None:
        idle, self._idle = self._idle, []
        if self._pid != os.getpid():
            return  # forked: these belong to the parent process, whose sockets must stay open
        for connection in idle:
            connection.close()

    async def _acquire(self) -> Any:
        if self._pid != os.getpid():
            # A forked worker (Sanic's): it must open its own connections.
            self._idle, self._pid = [], os.getpid()
        if self._idle:
            return self._idle.pop()
        connection = psycopg2.connect(*self._connect_args, **self._connect_kwargs, async_=True)
        try:
            await _ready(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _release(self, connection: Any, reusable: bool) -> None:
        usable = reusable and not connection.closed and not connection.isexecuting()
        if usable and len(self._idle) < MAX_IDLE_CONNECTIONS:
            self._idle.append(connection)
        else:
            # A statement cut short (cancelled, timed out, failed) may still be running on
            # it: closing is the only way to be sure nothing of it is read by the next one.
            connection.close()


async def _ready(connection: Any) -> None:
    """Waits, without blocking the event loop, until the connection's statement (or its
    connecting) is done; raises the statement's error."""
    try:
        await asyncio.wait_for(_poll_until_ok(connection), STATEMENT_TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        raise StatementTimeout(f"no answer from PostgreSQL in {STATEMENT_TIMEOUT_SECONDS:g} s") from None


async def _poll_until_ok(connection: Any) -> None:
    loop = asyncio.get_running_loop()
    while True:
        state = connection.poll()
        if state == pg.POLL_OK:
            return
        if state not in (pg.POLL_READ, pg.POLL_WRITE):
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        ready = loop.create_future()
        descriptor = connection.fileno()

        def wake(future: asyncio.Future = ready) -> None:
            if not future.done():
                future.set_result(None)

        watch, unwatch = (
            (loop.add_reader, loop.remove_reader)
            if state == pg.POLL_READ
            else (loop.add_writer, loop.remove_writer)
        )
        watch(descriptor, wake)
        try:
            await ready
        finally:
            unwatch(descriptor)
