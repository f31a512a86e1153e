"""`RecentTurnsRulePolicy`: Rasa's RulePolicy, with the work of a prediction bounded by what
its rules compare, so that it costs the same at turn 5 and at turn 500.

Before each prediction, Rasa's RulePolicy turns the whole tracker into states (one per
action) by replaying every event on a fresh tracker: twice after a user message (for rules
on the text, then on the intent) and again after each action. Then it checks every rule
against every state. Two things make that work smaller here, with the same predictions
(tests/integration/test_recent_turns_rule_policy.py compares them with RulePolicy's on
every story and on long conversations):

1. **Only the latest turns are replayed.** Rules compare the last few states: a state
   further back than the longest rule makes every rule applicable
   (`RulePolicy._is_rule_applicable`). A state is the latest user message, the latest
   action, the active loop and the slots that influence the conversation. The replay
   starts at an `action_listen` that a user message follows, so from the next state on the
   latest message and action are those of the full replay. It is used only when nothing
   else can reach a state from further back: no slot influences the conversation, there
   are no forms, and no event in the tracker reverts an action or starts a loop.
2. **Which rules apply is remembered** for each view of the last states that the rules can
   see: only the features the rules name (not the message's text, say, when no rule is
   written on text) and whether each state has a previous action.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

# Events that make a state depend on events before the latest turns.
_REACHING_BACK = (ActionReverted, UserUtteranceReverted, ActiveLoop)
# Rule matches remembered, per lookup; a few hundred views occur in practice.
_MAX_REMEMBERED_MATCHES = 4096


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RecentTurnsRulePolicy(RulePolicy):
    # Rasa reads this signature to pass the inputs, and checks the returned type.
    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Training changes the lookup while it checks the rules with predictions: those
        # run as RulePolicy's, and what was computed from an earlier lookup is dropped.
        self.__dict__["_training"] = True
        try:
            return super().train(training_trackers, domain, **kwargs)  # type: ignore[no-any-return]
        finally:
            del self.__dict__["_training"]
            self.__dict__.pop("_rule_shapes_cache", None)

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        return super()._prediction_states(
            self._recent_turns(tracker, domain), domain, use_text_for_last_user_input, rule_only_data
        )

    def _get_possible_keys(self, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
        if self.__dict__.get("_training"):
            return super()._get_possible_keys(lookup, states)  # type: ignore[no-any-return]
        rules = self._rule_shapes()
        view = _rule_view(states[-rules.longest :], rules.features) if rules.longest else ()
        remembered = rules.matches.setdefault(id(lookup), {})
        keys = remembered.get(view)
        if keys is None:
            if len(remembered) >= _MAX_REMEMBERED_MATCHES:
                remembered.clear()
            keys = remembered[view] = frozenset(super()._get_possible_keys(lookup, states))
        return set(keys)

    def _recent_turns(self, tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
        """The tracker itself, or a copy holding only its latest turns when those give the
        states every rule compares."""
        if self.__dict__.get("_training") or not _states_are_recent(domain):
            return tracker
        events = list(tracker.events)
        if not _reaching_back_types().isdisjoint(map(type, events)):
            return tracker
        start = _replay_start(events, self._rule_shapes().longest)
        if start <= 0:
            return tracker
        recent = copy.copy(tracker)
        recent.events = type(tracker.events)(events[start:], maxlen=tracker.events.maxlen)
        return recent

    def _rule_shapes(self) -> _RuleShapes:
        # Computed once: the lookup is fixed after training or loading.
        shapes = self.__dict__.get("_rule_shapes_cache")
        if shapes is None:
            shapes = self.__dict__["_rule_shapes_cache"] = _RuleShapes(self.lookup)
        return shapes  # type: ignore[no-any-return]


class _RuleShapes:
    """What the learned rules look at: how many states back at most, and which features."""

    def __init__(self, lookup: dict[str, Any]) -> None:
        rules = [
            json.loads(key) for name in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH) for key in lookup.get(name, {})
        ]
        self.longest = max((len(states) for states in rules), default=0)
        self.features = tuple(
            sorted(
                {
                    (kind, name)
                    for states in rules
                    for state in states
                    for kind, sub in state.items()
                    for name in sub
                }
            )
        )
        self.matches: dict[int, dict[tuple[Any, ...], frozenset[str]]] = {}


def _rule_view(states: list[dict[str, Any]], features: tuple[tuple[str, str], ...]) -> tuple[Any, ...]:
    """The states as the rules see them (`RulePolicy._is_rule_applicable` reads whether a
    state has a previous action, and `_does_rule_match_state` the features rules name)."""
    return tuple(
        (
            bool(state.get(PREVIOUS_ACTION)),
            tuple(_hashable(state.get(kind, {}).get(name)) for kind, name in features),
        )
        for state in states
    )


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _states_are_recent(domain: Domain) -> bool:
    """Whether a state holds nothing but the latest message and action: no slot that
    influences the conversation (its value may have been set turns ago), no forms."""
    return not domain.form_names and not any(slot.influence_conversation for slot in domain.slots)


_REACHING_BACK_TYPES: frozenset[type] | None = None


def _reaching_back_types() -> frozenset[type]:
    # Exact types with their subclasses: a set look-up per event, where isinstance against
    # Rasa's abstract event classes was a tenth of a prediction.
    global _REACHING_BACK_TYPES
    if _REACHING_BACK_TYPES is None:
        _REACHING_BACK_TYPES = frozenset(
            kind for base in _REACHING_BACK for kind in (base, *all_subclasses(base))
        )
    return _REACHING_BACK_TYPES


def _replay_start(events: list[Any], states_needed: int) -> int:
    """The index of the latest `action_listen` followed by a user message from which the
    replay gives at least `states_needed` exact states (one per later action, and the final
    one); 0 when the tracker is not that long."""
    states_after = 1  # the state after the last event
    for index in range(len(events) - 1, 0, -1):
        event = events[index - 1]
        if not isinstance(event, ActionExecuted):
            continue
        if (
            states_after >= states_needed
            and event.action_name == ACTION_LISTEN_NAME
            and isinstance(events[index], UserUttered)
        ):
            return index - 1
        states_after += 1
    return 0
