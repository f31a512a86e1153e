"""Four costs of Rasa's message processor, removed without changing what Rasa does.

Each was found with py-spy on the Rasa process while one user chatted (README
"Performance"); the shares are of the Rasa process's CPU per message:
1. **Deep copies for debug logs** (~3%). The processor and the rule and memoization
   policies deep-copy events and states to pass them to `structlogger.debug(...)`, and the
   copies are made whether or not debug logging is on. Those modules' `copy.deepcopy` is
   used for nothing else; here it returns its argument while debug logs are off, and copies
   as before when they are on (`rasa run --debug`).
2. **Whether the domain is empty** (~2%). Every message checks it, by building an empty
   Domain and comparing both as dictionaries. A loaded domain never changes, so each
   Domain's answer is kept.
3. **Which class an event type names** (~2%). Parsing each event of an action's reply
   walks every subclass of `Event`. The classes are defined when Rasa is imported, so the
   answers are kept (a type name not found is looked up again each time).
4. **A copy of the tracker before each action** (~2–4%). Rasa copies the tracker by
   replaying all its events on a fresh one (`DialogueStateTracker.copy`). Here the copy is
   made of its state: a new event list holding the same events, new slot objects, and
   the same latest message, action and loop. It is the state the replay arrives at, since
   the tracker's state is made by applying those events; the one case where they differ is
   a tracker holding only a window of its conversation (runtime/tracker_store.py), whose
   replay loses the slots set before the window, and whose copy keeps them.
tests/unit/test_processor_overheads.py checks each against Rasa's own result.
"""

from __future__ import annotations

import copy
import types
from typing import Any


def _debug_logs_are_on() -> bool:
    import structlog

    # Rasa configures a filtering logger class; a level below its threshold is a no-op.
    debug = getattr(structlog.get_config().get("wrapper_class"), "debug", None)
    return getattr(debug, "__name__", "") != "_nop"


def _deepcopy_for_debug_logs(value: Any, memo: dict[int, Any] | None = None) -> Any:
    return copy.deepcopy(value, memo) if _debug_logs_are_on() else value


# Stands for the `copy` module in the Rasa modules whose deep copies only feed debug logs.
COPY_FOR_DEBUG_LOGS = types.SimpleNamespace(copy=copy.copy, deepcopy=_deepcopy_for_debug_logs)
MODULES_COPYING_FOR_DEBUG_LOGS = (
    "rasa.core.processor",
    "rasa.core.policies.memoization",
    "rasa.core.policies.rule_policy",
)


def copy_for_debug_logs_only() -> None:
    import importlib

    for name in MODULES_COPYING_FOR_DEBUG_LOGS:
        importlib.import_module(name).copy = COPY_FOR_DEBUG_LOGS  # type: ignore[attr-defined]


def check_domain_emptiness_once() -> None:
    from rasa.shared.core.domain import Domain

    computed = Domain.is_empty

    def is_empty(self: Domain) -> bool:
        known = self.__dict__.get("_is_empty")
        if known is None:
            known = self.__dict__["_is_empty"] = computed(self)
        return bool(known)

    Domain.is_empty = is_empty


def resolve_event_types_once() -> None:
    from rasa.shared.core.events import Event

    walk = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = found.get(type_name)
        if cls is None:
            cls = walk(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)


def copy_state(tracker: Any) -> Any:
    """A copy of the tracker that may be changed without changing it: its own event list
    (the same events, which are never changed) and slots, the rest of its state copied."""
    copied = copy.copy(tracker)
    copied.events = copy.copy(tracker.events)
    copied.slots = copy.copy(tracker.slots)
    for name, slot in tracker.slots.items():
        copied.slots[name] = copy.copy(slot)
    copied.latest_action = copy.copy(tracker.latest_action)
    copied.active_loop = copy.copy(tracker.active_loop)
    return copied


def copy_trackers_without_replay() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    DialogueStateTracker.copy = copy_state
