"""runtime/tracker_store.py: the cached SQLite tracker store writes and reads what Rasa's
SQLTrackerStore writes and reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from runtime.tracker_store import CachedSQLiteTrackerStore
from tests.unit.helpers import converse, domain, run, stored_rows, user_turn


@pytest.fixture
def stores(tmp_path: Path) -> dict[str, Any]:
    return {
        "cached": CachedSQLiteTrackerStore(domain=domain(), db=str(tmp_path / "cached.db")),
        "rasa": SQLTrackerStore(domain=domain(), dialect="sqlite", db=str(tmp_path / "rasa.db")),
        "dir": tmp_path,
    }


def test_it_writes_exactly_the_rows_rasa_writes(stores):
    turns = [("what is bpo", "definition"), ("and the pay?", "pay"), ("skills", "skills")]
    for name in ("cached", "rasa"):
        converse(stores[name], "visitor", turns)
    cached, rasa = stored_rows(stores["dir"] / "cached.db"), stored_rows(stores["dir"] / "rasa.db")
    without_times = [[row[:2] + row[3:5] for row in rows] for rows in (cached, rasa)]
    assert without_times[0] == without_times[1]
    assert len(cached) == len(rasa) == 1 + 3 * 5


def test_every_event_is_stored_once_and_rasa_reads_the_same_conversation(stores):
    tracker = converse(stores["cached"], "visitor", [("what is bpo", "definition"), ("pay", "pay")])
    reader = SQLTrackerStore(domain=domain(), dialect="sqlite", db=str(stores["dir"] / "cached.db"))
    from_database = run(reader.retrieve("visitor"))
    assert list(from_database.events) == list(tracker.events)
    assert from_database.get_slot("aspect") == "pay"
    assert len(stored_rows(stores["dir"] / "cached.db")) == len(tracker.events)


def test_a_restarted_process_continues_the_stored_conversation(stores):
    converse(stores["cached"], "visitor", [("what is bpo", "definition")])
    restarted = CachedSQLiteTrackerStore(domain=domain(), db=str(stores["dir"] / "cached.db"))
    tracker = converse(restarted, "visitor", [("pay", "pay")])
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is bpo", "pay"]
    assert len(stored_rows(stores["dir"] / "cached.db")) == len(tracker.events)


def test_a_new_session_is_read_from_its_start_like_rasa_reads_it(stores):
    store = stores["cached"]
    tracker = converse(store, "visitor", [("what is bpo", "definition")])
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    from_memory = run(store.retrieve("visitor"))
    reader = SQLTrackerStore(domain=domain(), dialect="sqlite", db=str(stores["dir"] / "cached.db"))
    assert list(from_memory.events) == list(run(reader.retrieve("visitor")).events)
    assert isinstance(from_memory.events[0], SessionStarted)


def test_conversations_beyond_the_memory_budget_are_read_back_from_the_database(stores):
    store = CachedSQLiteTrackerStore(domain=domain(), db=str(stores["dir"] / "small.db"), cache_events=10)
    for sender in ("a", "b", "c"):
        converse(store, sender, [("what is bpo", "definition")])
    assert len(store._remembered) < 3
    for sender in ("a", "b", "c"):
        tracker = converse(store, sender, [("pay", "pay")])
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is bpo", "pay"]
    assert len(stored_rows(stores["dir"] / "small.db")) == 3 * (1 + 2 * 5)


def test_a_save_without_a_read_appends_after_what_is_stored(stores):
    store = stores["cached"]
    tracker = converse(store, "visitor", [("what is bpo", "definition")])
    other_process = CachedSQLiteTrackerStore(domain=domain(), db=str(stores["dir"] / "cached.db"))
    tracker.update(ActionExecuted("action_restart"))
    run(other_process.save(tracker))
    assert len(stored_rows(stores["dir"] / "cached.db")) == len(tracker.events)


def test_it_refuses_a_database_other_than_sqlite():
    with pytest.raises(ValueError, match="SQLite"):
        CachedSQLiteTrackerStore(domain=domain(), dialect="postgresql", db="rasa")


def test_rows_a_failed_save_could_not_write_are_written_by_the_next_save(stores, monkeypatch):
    """A full disk: the turn's rows stay with the conversation in memory, the next read
    still has them, and the first save that succeeds writes them once, in order."""
    import sqlalchemy as sa

    store = stores["cached"]
    converse(store, "visitor", [("what is bpo", "definition")])
    stored_before = len(stored_rows(stores["dir"] / "cached.db"))

    real_begin = store.engine.begin

    def full_disk() -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(store.engine, "begin", full_disk)
    tracker = run(store.get_or_create_tracker("visitor"))
    for event in user_turn("and the pay?", "pay"):
        tracker.update(event)
    with pytest.raises(sa.exc.OperationalError):
        run(store.save(tracker))
    assert len(stored_rows(stores["dir"] / "cached.db")) == stored_before
    # The conversation goes on with the unwritten turn in its context.
    tracker = run(store.get_or_create_tracker("visitor"))
    assert tracker.get_slot("aspect") == "pay"

    monkeypatch.setattr(store.engine, "begin", real_begin)
    for event in user_turn("and the skills?", "skills"):
        tracker.update(event)
    run(store.save(tracker))
    rows = stored_rows(stores["dir"] / "cached.db")
    assert len(rows) == len(tracker.events)
    texts = [json.loads(row[5]).get("text") for row in rows if row[1] == "user"]
    assert texts == ["what is bpo", "and the pay?", "and the skills?"]


def test_the_scale_out_store_rides_out_a_database_restart(tmp_path, monkeypatch):
    """Reads and saves that meet a database still restarting are tried again, and succeed
    once it is back; a database that stays away still fails (Rasa's fail-safe logs it)."""
    import sqlalchemy as sa

    from runtime import tracker_store
    from runtime.tracker_store import SharedSQLTrackerStore

    monkeypatch.setattr(tracker_store, "RETRY_DELAYS_SECONDS", (0.0, 0.0, 0.0))
    store = SharedSQLTrackerStore(domain=domain(), dialect="sqlite", db=str(tmp_path / "scale.db"))
    tracker = run(store.get_or_create_tracker("visitor"))
    for event in user_turn("what is bpo", "definition"):
        tracker.update(event)

    real_begin, failures = store.engine.begin, {"left": 2}

    def restarting_begin() -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection"))
        return real_begin()

    monkeypatch.setattr(store.engine, "begin", restarting_begin)
    run(store.save(tracker))
    assert failures["left"] == 0
    assert len(stored_rows(tmp_path / "scale.db")) == len(tracker.events)

    failures["left"] = 10  # longer than the retries last
    for event in user_turn("and the pay?", "pay"):
        tracker.update(event)
    with pytest.raises(sa.exc.OperationalError):
        run(store.save(tracker))


# --- The window: a turn's cost does not grow with the conversation ------------------------------


def test_a_long_conversation_is_handed_out_as_a_window_with_every_event_stored(stores):
    from rasa.shared.core.events import SlotSet

    store = CachedSQLiteTrackerStore(domain=domain(), db=str(stores["dir"] / "long.db"), window_events=12)
    tracker = run(store.get_or_create_tracker("visitor"))
    tracker.update(SlotSet("language", "fi"))  # set once, at the start
    run(store.save(tracker))
    turns = [(f"question {n}", "pay" if n % 2 else "skills") for n in range(40)]
    tracker = converse(store, "visitor", turns)

    handed_out = run(store.retrieve("visitor"))
    assert len(handed_out.events) == 12
    assert handed_out.get_slot("language") == "fi" and handed_out.get_slot("aspect") == turns[-1][1]
    rows = stored_rows(stores["dir"] / "long.db")
    assert len(rows) == 1 + 1 + 40 * 5
    texts = [json.loads(row[5])["text"] for row in rows if row[1] == "user"]
    assert texts == [text for text, _ in turns]
    # A restarted process reads the same conversation back from the database, windowed.
    restarted = CachedSQLiteTrackerStore(domain=domain(), db=str(stores["dir"] / "long.db"), window_events=12)
    again = run(restarted.retrieve("visitor"))
    assert list(again.events) == list(handed_out.events)
    assert again.get_slot("language") == "fi"


def test_a_handed_out_tracker_changed_but_not_saved_leaves_the_remembered_one_alone(stores):
    store = stores["cached"]
    converse(store, "visitor", [("what is bpo", "definition")])
    first = run(store.retrieve("visitor"))
    for event in user_turn("and the pay?", "pay"):
        first.update(event)  # a reader that changes its copy and never saves it
    second = run(store.retrieve("visitor"))
    assert second.get_slot("aspect") == "definition"
    assert len(second.events) == len(first.events) - 5


def test_the_window_must_hold_a_turn():
    with pytest.raises(ValueError, match="window_events"):
        CachedSQLiteTrackerStore(domain=domain(), db=":memory:", window_events=1)


def test_scaled_out_processes_take_turns_on_one_conversation_and_store_each_event_once(tmp_path):
    """Two processes (two stores on one database) serve alternate turns: each catches up with
    the other's turn from the rows stored after the newest it remembers, the slots follow,
    and every event is stored once, in order."""
    from runtime.tracker_store import SharedSQLTrackerStore

    db = str(tmp_path / "shared.db")
    processes = [SharedSQLTrackerStore(domain=domain(), dialect="sqlite", db=db) for _ in range(2)]
    aspects = ["definition", "pay", "skills", "history", "cost", "types"]
    for number, aspect in enumerate(aspects):
        store = processes[number % 2]
        tracker = run(store.get_or_create_tracker("visitor"))
        if number:
            assert tracker.get_slot("aspect") == aspects[number - 1]
        for event in user_turn(f"question {number}", aspect):
            tracker.update(event)
        run(store.save(tracker))
    rows = stored_rows(tmp_path / "shared.db")
    assert len(rows) == 1 + len(aspects) * 5
    assert [json.loads(row[5])["text"] for row in rows if row[1] == "user"] == [
        f"question {n}" for n in range(len(aspects))
    ]
    reader = SQLTrackerStore(domain=domain(), dialect="sqlite", db=db)
    assert list(run(reader.retrieve("visitor")).events) == list(run(processes[1].retrieve("visitor")).events)


def test_a_process_that_served_the_previous_turn_skips_the_catch_up_query(tmp_path, redis_port, monkeypatch):
    """With the scale-out's Redis lock, a turn after this process's own turn costs no read;
    a turn after another process's catches up. The answers' slots and the stored rows are the
    same either way."""
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    from runtime.tracker_store import SharedSQLTrackerStore

    db = str(tmp_path / "shared.db")
    lock_config = EndpointConfig(
        url="127.0.0.1", type="runtime.lock_store.AtomicRedisLockStore", port=redis_port, db=4
    )
    processes = [
        (SharedSQLTrackerStore(domain=domain(), dialect="sqlite", db=db), LockStore.create(lock_config))
        for _ in range(2)
    ]
    catch_ups = []
    rows_after = SharedSQLTrackerStore._rows_after
    monkeypatch.setattr(
        SharedSQLTrackerStore,
        "_rows_after",
        lambda self, *args: catch_ups.append(args) or rows_after(self, *args),
    )
    order = [0, 0, 1, 1, 0, 1, 1]
    aspects = ["definition", "pay", "skills", "history", "cost", "types", "location"]

    async def turn(number: int) -> None:
        store, lock_store = processes[order[number]]
        async with lock_store.lock("skipper"):
            tracker = await store.get_or_create_tracker("skipper")
            if number:
                assert tracker.get_slot("aspect") == aspects[number - 1]
            for event in user_turn(f"question {number}", aspects[number]):
                tracker.update(event)
            await store.save(tracker)

    for number in range(len(order)):
        run(turn(number))
    assert len(catch_ups) == 2  # turns 4 and 5 follow the other process's turn
    rows = stored_rows(tmp_path / "shared.db")
    assert [json.loads(row[5])["text"] for row in rows if row[1] == "user"] == [
        f"question {n}" for n in range(len(order))
    ]
