"""bench/run_bench.py: the growth curve's windows ask the same questions, so they differ
only in how far into the conversation they are; figures compared by a target are measured
side by side; the tables and targets read the results right."""

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


def test_the_scale_out_table_gives_the_ratios_and_is_empty_without_a_run():
    bench = _bench_module()
    assert bench.scale_out_table({}) == ""
    scaled = {
        "scale_single_throughput_10": 125.0,
        "scale_1p_throughput_10": 100.0,
        "scale_2p_throughput_10": 160.0,
        "scale_single_throughput_50": 120.0,
        "scale_1p_throughput_50": 90.0,
        "scale_2p_throughput_50": 135.0,
    }
    table = bench.scale_out_table(scaled)
    assert "| throughput, 10 users (msg/s) | 125.0 | 100.0 | 160.0 | 0.80 | 1.60 |" in table
    assert "| throughput, 50 users (msg/s) | 120.0 | 90.0 | 135.0 | 0.75 | 1.50 |" in table
    assert "ceiling" not in table
    with_ceiling = bench.scale_out_table({**scaled, "machine_parallel_speedup": 1.62})
    assert "two CPU-bound processes ran at 1.62x one" in with_ceiling
    # Figures of an older run, without the single machine measured alongside.
    older = {key: value for key, value in scaled.items() if "single" not in key}
    assert "| throughput, 10 users (msg/s) | - | 100.0 | 160.0 | - | 1.60 |" in bench.scale_out_table(older)


def test_side_by_side_windows_take_turns_and_each_server_gets_its_own_median(monkeypatch):
    """The servers' windows alternate (A B, B A, A B), so a slow spell of the host falls on
    each of them: here the 3rd and 4th windows measured are slow, one of each server's."""
    bench = _bench_module()
    measured: list[str] = []

    def one_window(url, questions, users, **load_args):
        measured.append(url)
        slow = len(measured) in (3, 4)
        return {"throughput": (50.0 if slow else 100.0) * (2 if url == "two" else 1), "errors": 0}

    monkeypatch.setattr(bench, "load", one_window)
    result = bench.load_windows_side_by_side({1: "one", 2: "two"}, ["q"], 10, 3, seconds=20)
    assert measured == ["one", "two", "two", "one", "one", "two"]
    assert result[1]["throughput_windows"] == [50.0, 100.0, 100.0]
    assert result[2]["throughput_windows"] == [100.0, 200.0, 200.0]
    assert result[2]["throughput"] / result[1]["throughput"] == 2.0


def test_the_scale_out_targets_compare_figures_measured_side_by_side():
    bench = _bench_module()
    project = {
        "growth_p50_1_20_ms": 10.0,
        "growth_p50_481_500_ms": 10.0,
        "p50_1_ms": 10.0,
        "throughput_10": 200.0,  # measured minutes earlier, on a faster spell of the host
        "long_p50_1_ms": 10.0,
        "long_throughput_10": 200.0,
        "scale_single_throughput_10": 150.0,
        "scale_1p_throughput_10": 125.0,
        "scale_2p_throughput_10": 190.0,
    }
    peer = {"p50_1_ms": 100.0, "throughput_10": 20.0, "long_p50_1_ms": 100.0, "long_throughput_10": 20.0}
    checks = dict(bench.targets({"project": project, "rasa_default": peer}))
    assert checks["scale-out, 1 process >= 0.8 x one machine (10 users): 0.83 x"] is True
    assert checks["scale-out, 2 processes >= 1.5 x 1 (10 users): 1.52 x"] is True
    older = {key: value for key, value in project.items() if key != "scale_single_throughput_10"}
    checks = dict(bench.targets({"project": older, "rasa_default": peer}))
    assert checks["scale-out, 1 process >= 0.8 x one machine (10 users): 0.62 x"] is False


def test_the_machines_parallel_speedup_is_measured_with_real_processes(monkeypatch):
    bench = _bench_module()
    monkeypatch.setattr(bench, "_CPU_WORK", "x = sum(range(300_000))")
    speedup = bench.parallel_speedup()
    # A tiny workload is mostly interpreter start-up, whose time varies: only its sanity here.
    assert math.isfinite(speedup) and speedup > 0
    monkeypatch.setattr(bench, "_CPU_WORK", "raise SystemExit(3)")
    with pytest.raises(RuntimeError):
        bench.parallel_speedup()
