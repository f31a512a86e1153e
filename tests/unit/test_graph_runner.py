"""runtime/graph_runner.py: SequentialGraphRunner gives Rasa's DaskGraphRunner's outputs and errors
on a small graph, runs each needed node once after its dependencies, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner

from runtime.graph_runner import SequentialGraphRunner, run_graphs_without_dask
from tests.unit.helpers import model_storage

CALLS: list[str] = []


class Step(GraphComponent):
    """A node that records its call and combines its inputs in a way that shows their order."""

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def create(cls, config: dict[str, Any], model_storage, resource, execution_context) -> Step:
        return cls(config["name"])

    def combine(self, **inputs: Any) -> str:
        CALLS.append(self.name)
        return self.name + "(" + ",".join(f"{key}={inputs[key]}" for key in sorted(inputs)) + ")"

    def fail(self, **inputs: Any) -> str:
        raise RuntimeError(f"{self.name} failed")


def node(name: str, needs: dict[str, str], fn: str = "combine") -> SchemaNode:
    return SchemaNode(needs, Step, "create", fn, {"name": name}, eager=True)


# message -> tokens -> features -> intent, and entities from tokens; intent needs both;
# "unused" depends on nothing the targets need.
SCHEMA = GraphSchema(
    {
        "tokens": node("tokens", {"text": "__message__"}),
        "features": node("features", {"tokens": "tokens"}),
        "entities": node("entities", {"tokens": "tokens", "text": "__message__"}),
        "intent": node("intent", {"features": "features", "entities": "entities"}),
        "unused": node("unused", {"text": "__message__"}),
        "broken": node("broken", {"intent": "intent"}, fn="fail"),
    }
)


def runners(tmp_path, schema: GraphSchema = SCHEMA) -> tuple[Any, Any]:
    storage = model_storage(tmp_path)
    context = ExecutionContext(schema, "test-model")
    return (
        DaskGraphRunner.create(schema, storage, context),
        SequentialGraphRunner.create(schema, storage, context),
    )


@pytest.mark.parametrize(
    "targets", [["intent"], ["entities", "intent"], ["tokens"], ["intent", "unused", "features"]]
)
def test_the_outputs_are_dasks(tmp_path, targets):
    dask, sequential = runners(tmp_path)
    inputs = {"__message__": "What is BPO?"}
    expected = dask.run(inputs, targets)
    assert sequential.run(inputs, targets) == expected
    assert list(expected) == targets
    if "intent" in targets:
        assert expected["intent"] == (
            "intent(entities=entities(text=What is BPO?,tokens=tokens(text=What is BPO?)),"
            "features=features(tokens=tokens(text=What is BPO?)))"
        )


def test_each_needed_node_runs_once_after_its_dependencies_and_no_other_runs(tmp_path):
    _, sequential = runners(tmp_path)
    CALLS.clear()
    sequential.run({"__message__": "hi"}, ["intent", "entities"])
    assert sorted(CALLS) == ["entities", "features", "intent", "tokens"]
    assert CALLS.index("tokens") < CALLS.index("features") < CALLS.index("intent")
    assert CALLS.index("entities") < CALLS.index("intent")


def test_the_order_is_worked_out_once_per_target_set(tmp_path):
    _, sequential = runners(tmp_path)
    first = sequential.run({"__message__": "a"}, ["intent"])
    order = sequential._orders[("intent",)]
    second = sequential.run({"__message__": "b"}, ["intent"])
    assert sequential._orders[("intent",)] is order
    assert "text=a" in first["intent"] and "text=b" in second["intent"] and "text=a" not in second["intent"]


def test_without_targets_the_schemas_targets_run(tmp_path):
    schema = GraphSchema(
        {**SCHEMA.nodes, "intent": SchemaNode(**{**vars(SCHEMA.nodes["intent"]), "is_target": True})}
    )
    dask, sequential = runners(tmp_path, schema)
    expected = dask.run({"__message__": "x"})
    assert list(expected) == ["intent"]
    assert sequential.run({"__message__": "x"}) == expected


def test_an_input_named_like_a_node_is_refused_like_dask_refuses_it(tmp_path):
    dask, sequential = runners(tmp_path)
    with pytest.raises(GraphRunError) as from_dask:
        dask.run({"__message__": "tokens"}, ["tokens"])
    with pytest.raises(GraphRunError) as from_sequential:
        sequential.run({"__message__": "tokens"}, ["tokens"])
    assert str(from_sequential.value) == str(from_dask.value)


def test_a_failing_node_raises_what_dask_raises(tmp_path):
    dask, sequential = runners(tmp_path)
    for runner in (dask, sequential):
        with pytest.raises(GraphComponentException, match="node broken"):
            runner.run({"__message__": "x"}, ["broken"])


def test_rasas_message_processor_is_switched_to_the_sequential_runner(monkeypatch):
    import rasa.core.processor

    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", DaskGraphRunner)
    run_graphs_without_dask()
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner
