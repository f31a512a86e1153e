"""Shared fixtures: a small knowledge base, trackers and a dispatcher."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from deploy.processes import free_port, start_server, stop_all
from faq import comparisons
from faq.knowledge import REQUIRED_ASPECTS, REQUIRED_PHRASES, KnowledgeBase
from faq.protocol import SUPPORTED_LANGUAGES

PROJECT = Path(__file__).resolve().parent.parent

# Live-server fixtures (trained model, stack, fake Slack) for integration/scale/reliability,
# and Debian's chromium for the widget's browser tests.
from tests.browser import browser  # noqa: E402,F401
from tests.live_stack import cluster, fake_slack, nlu_agent, parse, stack, trained_model  # noqa: E402,F401


def _texts(prefix: str) -> dict[str, str]:
    return {lang: f"{prefix} [{lang}]" for lang in SUPPORTED_LANGUAGES}


def small_knowledge_document() -> dict[str, Any]:
    """A complete but tiny knowledge document: every required aspect, placeholder texts."""
    aspects: dict[str, Any] = {}
    for scope, ids in REQUIRED_ASPECTS.items():
        subjects = ("bpo", "call_center") if scope == "per_subject" else ("both",)
        for aspect_id in ids:
            aspects[aspect_id] = {
                "scope": scope,
                "label": _texts(f"{aspect_id} label"),
                "related": [],
                "entries": {
                    subject: {
                        "sources": ["article_en"] if subject != "call_center" else ["article_sk", "general"],
                        "summary": _texts(f"{aspect_id} {subject} summary"),
                        "answer": _texts(f"{aspect_id} {subject} answer"),
                    }
                    for subject in subjects
                },
            }
    for pair in comparisons.PAIRS:
        if pair.focus:
            aspects[pair.aspect]["entries"][pair.subject].setdefault("focus", {})[pair.focus] = {
                "label": _texts(f"{pair.focus} label"),
                "sources": ["general"],
                "answer": _texts(f"{pair.focus} answer"),
            }
    aspects["skills"]["related"] = ["pay"]
    aspects["location"]["disagreement"] = {
        "sources": ["article_en", "article_sk"],
        "note": _texts("they disagree"),
    }
    return {
        "sources": {
            "article_en": {"file": "004.txt", "language": "en", "title": "English article"},
            "article_sk": {"file": "000.txt", "language": "sk", "title": "Slovak article"},
            "general": {"language": None, "title": "General knowledge"},
        },
        "aspects": aspects,
    }


def small_phrases_document() -> dict[str, Any]:
    return {"phrases": {phrase_id: _texts(phrase_id) for phrase_id in REQUIRED_PHRASES}}


def write_yaml(path: Path, document: Any) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def knowledge_files(tmp_path: Path):
    return (
        write_yaml(tmp_path / "comparison.yml", small_knowledge_document()),
        write_yaml(tmp_path / "phrases.yml", small_phrases_document()),
    )


@pytest.fixture
def small_knowledge(knowledge_files) -> KnowledgeBase:
    return KnowledgeBase.load(*knowledge_files)


@pytest.fixture(scope="session")
def real_knowledge() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    intent: str | None = None,
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    language_scores: list[dict[str, Any]] | None = None,
    confidence: float = 0.9,
) -> Tracker:
    """A tracker whose latest message is the given parse result."""
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
    }
    if language_scores is not None:
        latest["language_scores"] = language_scores
    return Tracker.from_dict(
        {
            "sender_id": "test-user",
            "slots": dict(slots or {}),
            "latest_message": latest,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def scores(language: str, confidence: float = 0.99) -> list[dict[str, Any]]:
    """A detection result that is sure of one language."""
    rest = [code for code in SUPPORTED_LANGUAGES if code != language]
    return [{"language": language, "confidence": confidence}] + [
        {"language": code, "confidence": round((1 - confidence) / len(rest), 4)} for code in rest
    ]


def subject(value: str) -> dict[str, Any]:
    return {"entity": "subject", "value": value}


# --- No silent skips ---------------------------------------------------------------------
# A test skips only when a program or folder it needs is missing. In CI (CI set) that is a
# failure, since CI installs everything (scripts/install_system_packages.sh); elsewhere the
# run ends with one line naming what was skipped and why.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must not happen: {reason}"


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        reasons = sorted(
            {(r.longrepr[2] if isinstance(r.longrepr, tuple) else str(r.longrepr)) for r in skipped}
        )
        terminalreporter.write_line(f"SKIPPED {len(skipped)} test(s): " + "; ".join(reasons), yellow=True)


@pytest.fixture
def knowledge_store_on_test_files(knowledge_files, monkeypatch):
    """The action server's knowledge store reading the test's knowledge files, fresh before
    and after the test."""
    from actions import knowledge_store
    from actions.settings import Settings

    monkeypatch.setattr(knowledge_store, "settings", lambda: Settings(*knowledge_files))
    knowledge_store._store.cache_clear()
    yield knowledge_files
    knowledge_store._store.cache_clear()


@pytest.fixture(scope="session")
def redis_port(tmp_path_factory):
    """A redis-server on a free loopback port, for the tests of what the scale-out keeps in Redis."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: run `make system`")
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    server = start_server(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(directory)],
        log_path=directory / "redis.log",
        ready_port=port,
        name="redis",
    )
    yield port
    stop_all([server])
