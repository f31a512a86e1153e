"""The runtime's replacements of Rasa internals apply only on the Rasa release they were
written for; on any other, stock Rasa behaviour and one warning."""

from __future__ import annotations

import logging

from runtime import compatibility
from runtime.tracker_store import CachedSQLiteTrackerStore
from tests.unit.helpers import converse, domain, run, stored_rows


def test_on_the_release_they_were_written_for_every_optimisation_is_applied():
    applied = []
    names = compatibility.apply(
        {"a": lambda: applied.append("a"), "b": lambda: applied.append("b")},
        version=compatibility.WRITTEN_FOR_RASA,
    )
    assert names == ["a", "b"] and applied == ["a", "b"]
    assert compatibility.installed_rasa_version() == compatibility.WRITTEN_FOR_RASA


def test_on_another_release_none_is_applied_and_one_warning_names_them(caplog):
    applied = []
    with caplog.at_level(logging.WARNING, logger="runtime.compatibility"):
        names = compatibility.apply(
            {
                "graph run without dask": lambda: applied.append(1),
                "kept-open connections": lambda: applied.append(2),
            },
            version="3.7.0",
        )
    assert names == [] and applied == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Rasa 3.7.0" in warnings[0] and "graph run without dask, kept-open connections" in warnings[0]


def test_on_another_release_the_tracker_store_is_rasas_own(tmp_path, monkeypatch):
    monkeypatch.setattr(compatibility, "installed_rasa_version", lambda: "3.7.0")
    store = CachedSQLiteTrackerStore(domain=domain(), db=str(tmp_path / "stock.db"))
    assert store.optimised is False
    tracker = converse(store, "visitor", [("what is bpo", "definition"), ("pay", "pay")])
    assert not store._remembered  # nothing kept in memory: every read goes to the database
    assert len(stored_rows(tmp_path / "stock.db")) == len(tracker.events)
    assert list(run(store.retrieve("visitor")).events) == list(tracker.events)
