"""runtime/processor_overheads.py: each removed cost gives Rasa's own result."""

from __future__ import annotations

import ast
import importlib
import inspect
import logging

import pytest
import structlog
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    EntitiesAdded,
    Event,
    FollowupAction,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.log_utils import configure_structlog

from runtime import processor_overheads
from tests.conftest import PROJECT


@pytest.fixture
def restore_structlog():
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)


def test_debug_log_copies_are_skipped_only_while_debug_logs_are_off(restore_structlog):
    value = {"events": [{"event": "slot", "value": [1, 2]}]}
    configure_structlog(logging.INFO)
    assert processor_overheads.COPY_FOR_DEBUG_LOGS.deepcopy(value) is value
    configure_structlog(logging.DEBUG)
    copied = processor_overheads.COPY_FOR_DEBUG_LOGS.deepcopy(value)
    assert copied == value and copied is not value and copied["events"][0] is not value["events"][0]


@pytest.mark.parametrize("module_name", processor_overheads.MODULES_COPYING_FOR_DEBUG_LOGS)
def test_those_modules_deep_copy_for_debug_logs_and_nothing_else(module_name):
    """The guard for the replacement: in each module, every use of `copy` is a
    `copy.deepcopy(...)` inside the arguments of a `structlogger.debug(...)` call."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    inside_debug_logs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "structlogger.debug":
            inside_debug_logs |= {id(inner) for inner in ast.walk(node)}
    uses = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == "copy"]
    assert uses
    for use in uses:
        assert id(use) in inside_debug_logs, f"{module_name} line {use.lineno} uses copy outside a debug log"


def test_the_replaced_modules_use_the_stand_in(monkeypatch):
    for name in processor_overheads.MODULES_COPYING_FOR_DEBUG_LOGS:
        monkeypatch.setattr(importlib.import_module(name), "copy", importlib.import_module(name).copy)
    processor_overheads.copy_for_debug_logs_only()
    import rasa.core.processor

    assert rasa.core.processor.copy is processor_overheads.COPY_FOR_DEBUG_LOGS


def test_domain_emptiness_is_computed_once_and_is_rasas_answer(monkeypatch):
    monkeypatch.setattr(Domain, "is_empty", Domain.is_empty)
    domain = Domain.load(str(PROJECT / "domain.yml"))
    expected = (domain.is_empty(), Domain.empty().is_empty())
    processor_overheads.check_domain_emptiness_once()
    assert (domain.is_empty(), Domain.empty().is_empty()) == expected == (False, True)
    calls = []
    monkeypatch.setattr(Domain, "as_dict", lambda self: calls.append(self) or {})
    assert domain.is_empty() is False
    assert calls == []  # answered from the first computation, not by comparing again
    assert Domain.from_dict({}).__dict__.get("_is_empty") is None  # each domain its own


def test_event_types_resolve_as_rasa_resolves_them(monkeypatch):
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
    walk = Event.resolve_by_type
    names = sorted({cls.type_name for cls in all_subclasses(Event)})
    expected = {name: walk(name) for name in names}
    processor_overheads.resolve_event_types_once()
    for _ in range(2):
        assert {name: Event.resolve_by_type(name) for name in names} == expected
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no such event")
    assert Event.from_parameters({"event": "slot", "name": "aspect", "value": "pay"}) == SlotSet(
        "aspect", "pay"
    )


def _lived_tracker(domain: Domain, window: int | None = None) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("copy", [], domain.slots, window)
    tracker.model_id = "model"
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(
            "what is bpo",
            {"name": "ask_definition", "confidence": 0.9},
            [{"entity": "subject", "value": "bpo"}],
        ),
        EntitiesAdded([{"entity": "aspect", "value": "definition"}]),
        ActionExecuted("action_answer"),
        BotUttered("BPO is …", {"buttons": []}),
        SlotSet("subject", "bpo"),
        SlotSet("aspect", "definition"),
        ActiveLoop("some_loop"),
        FollowupAction("action_answer"),
        ConversationPaused(),
        ConversationResumed(),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        UserUttered("and the pay?", {"name": "ask_pay", "confidence": 0.8}),
    ]
    for event in events:
        tracker.update(event, domain)
    return tracker


def _state(tracker: DialogueStateTracker) -> dict:
    return {
        **tracker.current_state(),
        "slots": {name: (slot.value, type(slot)) for name, slot in tracker.slots.items()},
        "events": list(tracker.events),
        "latest_action": tracker.latest_action,
        "active_loop": tracker.active_loop,
        "followup_action": tracker.followup_action,
        "paused": tracker.is_paused(),
        "latest_bot_utterance": tracker.latest_bot_utterance,
        "max_event_history": tracker._max_event_history,
    }


def test_a_copy_of_the_state_is_the_replayed_copy():
    domain = Domain.load(str(PROJECT / "domain.yml"))
    tracker = _lived_tracker(domain)
    replayed, copied = tracker.copy(), processor_overheads.copy_state(tracker)
    assert _state(copied) == _state(replayed) == _state(tracker)


def test_changing_the_copy_leaves_the_tracker_alone():
    domain = Domain.load(str(PROJECT / "domain.yml"))
    tracker = _lived_tracker(domain)
    before = _state(tracker)
    copied = processor_overheads.copy_state(tracker)
    copied.update(SlotSet("subject", "call_center"), domain)
    copied.update(ActionExecuted("action_answer"), domain)
    copied.update(ActiveLoop("other_loop"), domain)
    assert _state(tracker) == before
    assert copied.get_slot("subject") == "call_center" and len(copied.events) == len(tracker.events) + 3


def test_a_windowed_tracker_keeps_its_slots_in_the_copy():
    """The one difference from the replay: slots set before the window are kept."""
    domain = Domain.load(str(PROJECT / "domain.yml"))
    tracker = _lived_tracker(domain, window=3)
    assert processor_overheads.copy_state(tracker).get_slot("subject") == "bpo"
    assert tracker.copy().get_slot("subject") is None  # Rasa's replay of the last 3 events


def test_rasa_server_applies_them():
    from runtime.rasa_server import OPTIMISATIONS

    for install in (
        processor_overheads.copy_for_debug_logs_only,
        processor_overheads.check_domain_emptiness_once,
        processor_overheads.resolve_event_types_once,
        processor_overheads.copy_trackers_without_replay,
    ):
        assert install in OPTIMISATIONS.values()
