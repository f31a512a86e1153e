"""bench/run_bench.py: the growth curve's windows ask the same questions, so they differ
only in how far into the conversation they are."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _bench_module():
    path = Path(__file__).resolve().parents[2] / "bench" / "run_bench.py"
    spec = importlib.util.spec_from_file_location("run_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_growth_window_asks_the_same_questions_in_the_same_order():
    bench = _bench_module()
    questions = [f"question {number}" for number in range(230)]
    for windows in (bench.GROWTH_WINDOWS, bench.SMOKE_GROWTH_WINDOWS):
        asked = {
            turn: bench.growth_question(questions, windows, turn) for turn in range(1, windows[-1][1] + 1)
        }
        sequences = [[asked[turn] for turn in range(first, last + 1)] for first, last in windows]
        assert all(sequence == sequences[0] for sequence in sequences)
        assert len(set(sequences[0])) == len(sequences[0])  # a window does not repeat itself
        between = [asked[turn] for turn in range(windows[0][1] + 1, windows[1][0])]
        assert len(set(between)) > 1  # the rest of the conversation is not one question
