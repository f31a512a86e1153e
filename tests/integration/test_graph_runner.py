"""The trained model gives the same parses and the same next actions when its graph runs
node after node (runtime/graph_runner.py) as when Rasa runs it through dask."""

from __future__ import annotations

import asyncio
import re

import yaml
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.conftest import PROJECT

ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def held_out_questions(per_intent: int = 2) -> list:
    """A few held-out questions of every intent and language, and some unreadable input."""
    questions = []
    for path in sorted((PROJECT / "tests" / "nlu_heldout").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            examples = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
            questions += [ENTITY_MARKUP.sub(r"\1", example) for example in examples[:per_intent]]
    return questions + ["", "asdf qwer", "💼", "x" * 500]


def test_sequential_runner_matches_dask(trained_model, nlu_agent):
    import rasa.core.processor
    from rasa.core.agent import Agent

    from runtime.graph_runner import SequentialGraphRunner, run_graphs_without_dask

    original = rasa.core.processor.DaskGraphRunner
    run_graphs_without_dask()
    try:
        sequential_agent = Agent.load(str(trained_model))
    finally:
        rasa.core.processor.DaskGraphRunner = original
    assert isinstance(sequential_agent.processor.graph_runner, SequentialGraphRunner)
    assert not isinstance(nlu_agent.processor.graph_runner, SequentialGraphRunner)

    async def outcome(agent: Agent, text: str) -> tuple:
        parsed = await agent.parse_message(text)
        tracker = DialogueStateTracker.from_events(
            "runner-test", [ActionExecuted("action_listen")], agent.domain.slots
        )
        tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
        prediction = agent.processor.predict_next_with_tracker(tracker)
        return parsed, prediction["policy"], prediction["scores"][:3]

    loop = asyncio.new_event_loop()
    try:
        for text in held_out_questions():
            assert loop.run_until_complete(outcome(sequential_agent, text)) == loop.run_until_complete(
                outcome(nlu_agent, text)
            ), text
    finally:
        loop.close()
