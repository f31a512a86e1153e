"""runtime/action_calls.py: the action reply validator agrees with Rasa's full schema, only
the action endpoint keeps its session open, and a call carries the current turn only."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

from runtime.action_calls import (
    ActionReplyValidator,
    keep_action_server_connections,
    send_the_current_turn_only,
)
from tests.unit.helpers import run

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


def test_an_action_call_carries_the_slots_the_latest_message_and_the_current_turn(monkeypatch):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa_sdk import Tracker

    domain = Domain.load("domain.yml")
    turn = lambda text, aspect: [  # noqa: E731
        UserUttered(text, {"name": "ask_pay", "confidence": 0.9}, [], {"text": text}),
        ActionExecuted("action_answer"),
        SlotSet("aspect", aspect),
        ActionExecuted("action_listen"),
    ]
    events = [ActionExecuted("action_listen"), *turn("first", "pay"), *turn("second", "cost")]
    tracker = DialogueStateTracker.from_events("caller", events[:-1], domain.slots)
    action = RemoteAction("action_answer", None)
    full = action._action_call_format(tracker, domain)

    monkeypatch.setattr(RemoteAction, "_action_call_format", RemoteAction._action_call_format)
    send_the_current_turn_only()
    trimmed = action._action_call_format(tracker, domain)

    assert [event["event"] for event in trimmed["tracker"]["events"]] == ["user", "action", "slot"]
    assert trimmed["tracker"]["events"][0]["text"] == "second"
    assert {**trimmed["tracker"], "events": None} == {**full["tracker"], "events": None}
    assert {**trimmed, "tracker": None} == {**full, "tracker": None}
    as_the_actions_see_it = Tracker.from_dict(trimmed["tracker"])
    assert as_the_actions_see_it.get_slot("aspect") == "cost"
    assert as_the_actions_see_it.latest_message["text"] == "second"
    # No user message in the events at all (a session start): they are sent as they are.
    opening = DialogueStateTracker.from_events("caller", [ActionExecuted("action_listen")], domain.slots)
    assert len(action._action_call_format(opening, domain)["tracker"]["events"]) == 1
