"""bench/run_bench.py: the growth curve's windows ask the same questions, so they differ
only in how far into the conversation they are."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest


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


def test_growth_windows_are_measured_side_by_side_each_at_its_own_depth(monkeypatch):
    """Each window is played up to its first turn unmeasured, then the windows take turns, so
    slow answers of the host fall on all of them: here every other pair of measured answers
    takes 2 s, and the windows' p50s come out equal."""
    bench = _bench_module()
    windows = ((1, 4), (7, 10))
    questions = [f"question {number}" for number in range(30)]
    asked: list[tuple[str, str]] = []

    def ask(url, sender, text):
        asked.append((sender, text))
        measuring = len(asked) > 6  # the 6 unmeasured turns of the second window come first
        return 2.0 if measuring and len(asked) % 4 in (0, 1) else 0.01

    monkeypatch.setattr(bench, "ask", ask)
    result = bench.growth("http://127.0.0.1:1", questions, windows)

    second, first = asked[0][0], asked[6][0]
    assert first != second
    assert [sender for sender, _ in asked[:6]] == [second] * 6
    assert [sender for sender, _ in asked[6:]] == [first, second] * 4
    turns = {sender: [text for who, text in asked if who == sender] for sender in (first, second)}
    assert turns[second] == [bench.growth_question(questions, windows, turn) for turn in range(1, 11)]
    assert turns[first] == turns[second][6:]  # the same questions at both depths
    assert result["growth_p50_1_4_ms"] == result["growth_p50_7_10_ms"]
    assert result["growth_sender"] == second


def test_throughput_is_the_median_window_and_errors_add_up(monkeypatch):
    bench = _bench_module()
    figures = iter([(120.0, 0), (80.0, 2), (100.0, 1)])

    def one_window(url, questions, users, **load_args):
        throughput, errors = next(figures)
        return {"throughput": throughput, "p95_ms": 1000 / throughput, "errors": errors}

    monkeypatch.setattr(bench, "load", one_window)
    measured = bench.load_windows("http://127.0.0.1:1", ["q"], 10, 3, seconds=20, max_requests=50)
    assert measured["throughput"] == 100.0 and measured["p95_ms"] == 10.0
    assert measured["throughput_windows"] == [80.0, 100.0, 120.0]
    assert measured["errors"] == 3


def test_the_scale_out_table_gives_the_two_process_ratio_and_is_empty_without_a_run():
    bench = _bench_module()
    assert bench.scale_out_table({}) == ""
    scaled = {
        "scale_1p_throughput_10": 100.0,
        "scale_2p_throughput_10": 160.0,
        "scale_1p_throughput_50": 90.0,
        "scale_2p_throughput_50": 135.0,
    }
    table = bench.scale_out_table(scaled)
    assert "| throughput, 10 users (msg/s) | 100.0 | 160.0 | 1.60 |" in table
    assert "| throughput, 50 users (msg/s) | 90.0 | 135.0 | 1.50 |" in table
    assert "ceiling" not in table
    with_ceiling = bench.scale_out_table({**scaled, "machine_parallel_speedup": 1.62})
    assert "two CPU-bound processes ran at 1.62x one" in with_ceiling


def test_the_machines_parallel_speedup_is_measured_with_real_processes(monkeypatch):
    bench = _bench_module()
    monkeypatch.setattr(bench, "_CPU_WORK", "x = sum(range(300_000))")
    speedup = bench.parallel_speedup()
    # A tiny workload is mostly interpreter start-up, whose time varies: only its sanity here.
    assert math.isfinite(speedup) and speedup > 0
    monkeypatch.setattr(bench, "_CPU_WORK", "raise SystemExit(3)")
    with pytest.raises(RuntimeError):
        bench.parallel_speedup()
