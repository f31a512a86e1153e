"""The runtime's replacements of Rasa internals give Rasa's results: the cached SQLite
tracker store, the action reply validator and the kept-open endpoint session."""

from __future__ import annotations

import asyncio
import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from runtime.action_calls import ActionReplyValidator, keep_action_server_connections
from runtime.tracker_store import CachedSQLiteTrackerStore
from tests.conftest import PROJECT

DOMAIN = Domain.load(str(PROJECT / "domain.yml"))


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def user_turn(text: str, aspect: str) -> list[Any]:
    parse_data = {
        "intent": {"name": f"ask_{aspect}", "confidence": 0.9},
        "entities": [],
        "intent_ranking": [{"name": f"ask_{aspect}", "confidence": 0.9}],
        "text": text,
    }
    return [
        UserUttered(text, parse_data["intent"], [], parse_data),
        ActionExecuted("action_answer"),
        BotUttered(f"About {aspect}.", {"buttons": [{"title": "More", "payload": "/more"}]}),
        SlotSet("aspect", aspect),
        ActionExecuted("action_listen"),
    ]


def stored_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


def converse(store: Any, sender: str, turns: list[tuple]) -> DialogueStateTracker:
    tracker = run(store.get_or_create_tracker(sender))
    for text, aspect in turns:
        tracker = run(store.get_or_create_tracker(sender))
        for event in user_turn(text, aspect):
            tracker.update(event)
        run(store.save(tracker))
    return tracker


@pytest.fixture
def stores(tmp_path: Path) -> dict[str, Any]:
    return {
        "cached": CachedSQLiteTrackerStore(domain=DOMAIN, db=str(tmp_path / "cached.db")),
        "rasa": SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db")),
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
    reader = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(stores["dir"] / "cached.db"))
    from_database = run(reader.retrieve("visitor"))
    assert list(from_database.events) == list(tracker.events)
    assert from_database.get_slot("aspect") == "pay"
    assert len(stored_rows(stores["dir"] / "cached.db")) == len(tracker.events)


def test_a_restarted_process_continues_the_stored_conversation(stores):
    converse(stores["cached"], "visitor", [("what is bpo", "definition")])
    restarted = CachedSQLiteTrackerStore(domain=DOMAIN, db=str(stores["dir"] / "cached.db"))
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
    reader = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(stores["dir"] / "cached.db"))
    assert list(from_memory.events) == list(run(reader.retrieve("visitor")).events)
    assert isinstance(from_memory.events[0], SessionStarted)


def test_conversations_beyond_the_memory_budget_are_read_back_from_the_database(stores):
    store = CachedSQLiteTrackerStore(domain=DOMAIN, db=str(stores["dir"] / "small.db"), cache_megabytes=0.005)
    for sender in ("a", "b", "c"):
        converse(store, sender, [("what is bpo", "definition")])
    assert len(store._sessions) < 3
    for sender in ("a", "b", "c"):
        tracker = converse(store, sender, [("pay", "pay")])
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["what is bpo", "pay"]
    assert len(stored_rows(stores["dir"] / "small.db")) == 3 * (1 + 2 * 5)


def test_a_save_without_a_read_appends_after_what_is_stored(stores):
    store = stores["cached"]
    tracker = converse(store, "visitor", [("what is bpo", "definition")])
    other_process = CachedSQLiteTrackerStore(domain=DOMAIN, db=str(stores["dir"] / "cached.db"))
    tracker.update(ActionExecuted("action_restart"))
    run(other_process.save(tracker))
    assert len(stored_rows(stores["dir"] / "cached.db")) == len(tracker.events)


def test_it_refuses_a_database_other_than_sqlite():
    with pytest.raises(ValueError, match="SQLite"):
        CachedSQLiteTrackerStore(domain=DOMAIN, dialect="postgresql", db="rasa")


SCHEMA = RemoteAction.action_response_format_spec()
VALID_REPLY = {
    "events": [
        {"event": "slot", "timestamp": None, "name": "aspect", "value": "pay"},
        {"event": "bot", "text": "hi", "data": {"buttons": []}},
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
    ],
    "responses": [{"text": "An answer", "buttons": [{"title": "More", "payload": "/more"}]}],
}


def variants() -> list[Any]:
    bad_slot = copy.deepcopy(VALID_REPLY)
    bad_slot["events"][0]["name"] = 3
    no_name = copy.deepcopy(VALID_REPLY)
    del no_name["events"][0]["name"]
    return [
        VALID_REPLY,
        {},
        {"events": []},
        bad_slot,
        no_name,
        {"events": [{"event": "nonsense"}]},
        {"events": [{"name": "x"}]},
        {"events": "x"},
        {"events": [42]},
        {"responses": [1]},
        {"responses": "x"},
        [],
        "text",
        {"events": [{"event": "slot", "name": "a", "value": None, "timestamp": "noon"}]},
        {"events": [{"event": "user", "text": None, "parse_data": {"intent": {"name": 1}}}]},
    ]


@pytest.mark.parametrize("reply", variants())
def test_the_reply_validator_agrees_with_the_full_schema(reply):
    full = validator_for(SCHEMA)(SCHEMA)
    fast = ActionReplyValidator(SCHEMA)
    if full.is_valid(reply):
        fast.validate(reply)
    else:
        with pytest.raises(ValidationError) as raised:
            fast.validate(reply)
        assert raised.value.message == next(iter(full.iter_errors(reply))).message


def test_only_the_action_endpoint_keeps_its_session_open_and_closes_it_on_shutdown(tmp_path):
    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    endpoints_file = tmp_path / "endpoints.yml"
    endpoints_file.write_text(
        "action_endpoint:\n  url: http://127.0.0.1:1/webhook\n" "models:\n  url: http://127.0.0.1:2/model\n",
        encoding="utf-8",
    )
    original_read, original_close = (
        AvailableEndpoints.__dict__["read_endpoints"],
        rasa.core.run.close_resources,
    )
    keep_action_server_connections()
    try:
        endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file))
        action, model = endpoints.action, endpoints.model
        assert type(model) is EndpointConfig  # every other endpoint is Rasa's own
        assert action.url == "http://127.0.0.1:1/webhook" and action == action.copy()

        class _App:
            class ctx:  # noqa: N801 - Sanic's attribute name
                agent = type("Agent", (), {"action_endpoint": action, "tracker_store": None})()

        async def sessions() -> tuple:
            async with action.session() as first:
                pass
            async with action.session() as second:
                pass
            async with model.session() as other:
                pass
            await rasa.core.run.close_resources(_App, None)
            return first, second, other

        _App.ctx.agent.tracker_store = type("Store", (), {"event_broker": None})()
        first, second, other = run(sessions())
        assert first is second and other is not first
        assert first.closed and other.closed  # closed by the shutdown listener / by Rasa
    finally:
        AvailableEndpoints.read_endpoints = original_read
        rasa.core.run.close_resources = original_close
