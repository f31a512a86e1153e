"""RecentTurnsRulePolicy (policies/) predicts exactly what Rasa's RulePolicy predicts, with
the same learned rules, on every story and rule of data/, on long conversations (windowed
as served, and whole), and on trackers where it must replay everything.

Both are the trained model's own policy: `stock` is the same object's state run as
Rasa's RulePolicy class, so the rules, featurizer and settings are the same.
"""

from __future__ import annotations

import copy
import random
from collections import deque

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from policies.recent_turns_rule_policy import RecentTurnsRulePolicy, _replay_start, _states_are_recent
from tests.conftest import PROJECT

SERVED_WINDOW = 40  # runtime/tracker_store.py WINDOW_EVENTS


@pytest.fixture(scope="module")
def policies(nlu_agent) -> tuple[RecentTurnsRulePolicy, RulePolicy, Domain]:
    nodes = nlu_agent.processor.graph_runner._instantiated_nodes.values()
    policy = next(node._component for node in nodes if isinstance(node._component, RecentTurnsRulePolicy))
    stock = copy.copy(policy)
    stock.__class__ = RulePolicy
    return policy, stock, nlu_agent.domain


def _fields(prediction) -> tuple:
    # Everything but the policy's name, which is the class's.
    return (
        prediction.probabilities,
        prediction.policy_priority,
        prediction.events,
        prediction.optional_events,
        prediction.is_end_to_end_prediction,
        prediction.is_no_user_prediction,
        prediction.hide_rule_turn,
        prediction.action_metadata,
    )


def _assert_same(policies, tracker: DialogueStateTracker) -> str:
    policy, stock, domain = policies
    ours = policy.predict_action_probabilities(tracker, domain)
    theirs = stock.predict_action_probabilities(tracker, domain)
    assert _fields(ours) == _fields(theirs), [str(event) for event in list(tracker.events)[-8:]]
    return domain.action_names_or_texts[ours.max_confidence_index]


def _play(policies, tracker: DialogueStateTracker, turns: int, seed: int) -> int:
    """A user who says anything the domain knows, with or without entities, and the bot
    doing what the rules predict, compared at every prediction; returns the count."""
    _, stock, domain = policies
    chooser = random.Random(seed)
    compared = 0
    for turn in range(turns):
        intent = chooser.choice(domain.intents)
        entities = [
            {"entity": name, "value": "x", "start": 0, "end": 1}
            for name in chooser.sample(domain.entities, k=chooser.choice([0, 0, 1, 2]))
        ]
        text = f"turn {turn} {intent}"
        tracker.update(UserUttered(text, {"name": intent, "confidence": 0.9}, entities))
        for _ in range(3):
            action = _assert_same(policies, tracker)
            compared += 1
            tracker.update(ActionExecuted(action, policy="RulePolicy"))
            if action == ACTION_LISTEN_NAME:
                break
            tracker.update(BotUttered(f"reply {turn}"))
            tracker.update(SlotSet(chooser.choice(list(domain.slots)).name, f"v{turn}"))
        else:
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    return compared


def _new_tracker(domain: Domain, window: int | None) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "recent-turns",
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)],
        domain.slots,
        window,
    )


@pytest.mark.parametrize("window", [SERVED_WINDOW, None], ids=["served window", "whole conversation"])
def test_long_conversations_get_the_same_predictions(policies, window):
    tracker = _new_tracker(policies[2], window)
    assert _play(policies, tracker, turns=300, seed=14) >= 600
    if window is None:
        # The point of it: the states come from the latest turns, not from 300 of them.
        recent = policies[0]._recent_turns(tracker, policies[2])
        assert len(tracker.events) > 1500 and len(recent.events) <= 12


def test_every_story_and_rule_gets_the_same_predictions(policies):
    import asyncio

    from rasa.core.training import load_data
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(PROJECT / "domain.yml"), training_data_paths=[str(PROJECT / "data")]
    )
    loaded = load_data(importer, policies[2], augmentation_factor=0)
    trackers = asyncio.new_event_loop().run_until_complete(loaded) if asyncio.iscoroutine(loaded) else loaded
    assert len(trackers) >= 40
    compared = 0
    for tracker in trackers:
        for prior, _ in tracker.generate_all_prior_trackers():
            _assert_same(policies, prior)
            compared += 1
    assert compared >= 150


def test_a_reverted_turn_replays_the_whole_tracker(policies):
    policy, _, domain = policies
    tracker = _new_tracker(domain, None)
    _play(policies, tracker, turns=5, seed=3)
    tracker.update(UserUttered("hmm", {"name": "nlu_fallback", "confidence": 0.3}))
    tracker.update(UserUtteranceReverted())
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    assert policy._recent_turns(tracker, domain) is tracker
    _play(policies, tracker, turns=5, seed=4)


def test_a_slot_that_influences_the_conversation_keeps_the_whole_replay():
    plain = Domain.from_dict(
        {"slots": {"topic": {"type": "text", "influence_conversation": False, "mappings": []}}}
    )
    featurized = Domain.from_dict(
        {"slots": {"topic": {"type": "text", "influence_conversation": True, "mappings": []}}}
    )
    assert _states_are_recent(plain) and not _states_are_recent(featurized)


def test_the_replay_starts_at_a_listen_that_a_user_message_follows():
    def turn(name: str) -> list:
        return [
            UserUttered("q", {"name": name}),
            ActionExecuted("action_answer"),
            BotUttered("a"),
            ActionExecuted(ACTION_LISTEN_NAME),
        ]

    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]
    events += turn("a") + turn("b") + [UserUttered("q", {"name": "c"})]
    # States after index 6 (the listen before "b"): before action_answer, before the listen,
    # and the final one: 3.
    assert _replay_start(events, 2) == 6
    assert _replay_start(events, 3) == 6
    assert _replay_start(events, 4) == 2
    assert _replay_start(events, 9) == 0
    assert _replay_start(list(deque(events[8:])), 2) == 0  # no listen before the message
