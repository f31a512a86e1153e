"""Runs the model's graph (NLU pipeline and policies) node after node, without dask.

Rasa runs every message's graph through `dask.get`, which rebuilds a task graph and
schedules it on each call: ~13% of a turn in the profile (README "Performance") for a
graph whose nodes run one after another anyway. `SequentialGraphRunner` computes each
target set's dependency order once and calls the same nodes with the same inputs in that
order; the outputs are the same, and errors reach Rasa as they do from dask.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orders: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        results: dict[str, Any] = {}
        for input_name, input_value in (inputs or {}).items():
            if isinstance(input_value, str) and input_value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{input_value}' clashes with a node name. Make sure that none of the "
                    f"input names passed to the `run` method are the same as node names in the graph schema."
                )
            # dask hands an input to the nodes as the literal tuple (name, value), like a node's output.
            results[input_name] = (input_name, input_value)
        try:
            for node_name, needs in self._order(tuple(run_targets)):
                results[node_name] = self._instantiated_nodes[node_name](*(results[need] for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        # Like dask's result: each node's output is (node name, value); Rasa wants name -> value.
        return dict(results[target] for target in run_targets)

    def _order(self, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        """The nodes the targets depend on, each after its dependencies, with their inputs."""
        order = self._orders.get(targets)
        if order is None:
            order, done = [], set()
            nodes = self._graph_schema.nodes

            def visit(name: str) -> None:
                if name in done or name not in nodes:  # not a node: an input placeholder
                    return
                done.add(name)
                needs = list(nodes[name].needs.values())
                for need in needs:
                    visit(need)
                order.append((name, needs))

            for target in targets:
                visit(target)
            self._orders[targets] = order
        return order


def run_graphs_without_dask() -> None:
    """Makes Rasa's message processor load models with SequentialGraphRunner."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner
