"""The scale-out store's PostgreSQL statements (runtime/postgres.py) on a real PostgreSQL:
the event loop goes on serving while one waits, and a statement cut short (timed out,
cancelled) never leaves its connection, or its result, to the next statement."""

from __future__ import annotations

import asyncio

import psycopg2
import pytest
import sqlalchemy as sa

from deploy.local_cluster import missing_programs
from runtime import postgres
from runtime.postgres import AsyncPostgres, StatementTimeout

pytestmark = pytest.mark.skipif(bool(missing_programs()), reason=f"needs {missing_programs()} (see .ci/run)")


@pytest.fixture
def database(cluster):
    url = sa.engine.make_url(cluster.db_url.replace("postgresql://", "postgresql+psycopg2://"))
    arguments, keywords = sa.create_engine(url).dialect.create_connect_args(url)
    pool = AsyncPostgres(arguments, keywords)
    yield pool
    pool.close()


def test_other_statements_are_answered_while_one_waits_for_the_database(database):
    finished: list[str] = []

    async def statement(name: str, sql: str) -> None:
        await database.fetch(sql)
        finished.append(name)

    async def scenario() -> None:
        slow = asyncio.ensure_future(statement("slow", "SELECT pg_sleep(1)"))
        await asyncio.sleep(0)  # the slow one is sent first
        await asyncio.gather(*(statement(f"quick {n}", "SELECT 1") for n in range(3)))
        await slow

    asyncio.run(scenario())
    assert finished[-1] == "slow"
    assert sorted(finished[:-1]) == ["quick 0", "quick 1", "quick 2"]


def test_rows_and_parameters_go_through_unchanged(database):
    text = "Čo je BPO? 'quoted' %s; DROP TABLE x"

    async def scenario() -> list[tuple]:
        return await database.fetch("SELECT %s::text, %s::int + 1", (text, 41))

    assert asyncio.run(scenario()) == [(text, 42)]


def test_a_statement_past_its_timeout_is_given_up_and_its_connection_not_reused(database, monkeypatch):
    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_SECONDS", 0.2)

    async def scenario() -> list[tuple]:
        with pytest.raises(StatementTimeout):
            await database.fetch("SELECT 'late', pg_sleep(2)")
        assert not any(connection.isexecuting() for connection in database._idle)
        return await database.fetch("SELECT 'next'")

    assert asyncio.run(scenario()) == [("next",)]


def test_a_cancelled_statement_leaves_nothing_for_the_next_one(database):
    async def scenario() -> list[tuple]:
        cancelled = asyncio.ensure_future(database.fetch("SELECT 'cancelled', pg_sleep(2)"))
        await asyncio.sleep(0.2)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        return await database.fetch("SELECT 'next'")

    assert asyncio.run(scenario()) == [("next",)]


def test_a_failed_statement_raises_the_drivers_error_and_the_pool_goes_on(database):
    async def scenario() -> list[tuple]:
        with pytest.raises(psycopg2.ProgrammingError):
            await database.fetch("SELECT * FROM no_such_table")
        return await database.fetch("SELECT 1")

    assert asyncio.run(scenario()) == [(1,)]
