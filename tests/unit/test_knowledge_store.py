"""actions/knowledge_store.py: the action server's knowledge base, loaded on first use and
reloaded on SIGHUP; a broken edit keeps the last good version."""

from __future__ import annotations

import copy
import logging

import pytest

from actions import knowledge_store
from actions.settings import Settings
from faq.knowledge import KnowledgeError
from tests.conftest import small_knowledge_document, write_yaml


@pytest.fixture
def store(knowledge_store_on_test_files):
    return knowledge_store_on_test_files


def test_edited_file_is_served_after_reload_without_retraining(tmp_path, knowledge_files, monkeypatch):
    from actions import knowledge_store

    monkeypatch.setattr(knowledge_store, "settings", lambda: Settings(*knowledge_files))
    knowledge_store._store.cache_clear()
    assert (
        knowledge_store.shared_knowledge().answer("pay", "bpo", "en").parts[0].text == "pay bpo answer [en]"
    )

    document = small_knowledge_document()
    document["aspects"]["pay"]["entries"]["bpo"]["answer"]["en"] = "Edited pay answer."
    write_yaml(knowledge_files[0], document)
    knowledge_store.reload_knowledge()
    assert knowledge_store.shared_knowledge().answer("pay", "bpo", "en").parts[0].text == "Edited pay answer."

    broken = copy.deepcopy(document)
    del broken["aspects"]["pay"]
    write_yaml(knowledge_files[0], broken)
    with pytest.raises(KnowledgeError):
        knowledge_store.reload_knowledge()
    # The last good version keeps being served.
    assert knowledge_store.shared_knowledge().answer("pay", "bpo", "en").parts[0].text == "Edited pay answer."
    knowledge_store._store.cache_clear()


def test_the_knowledge_is_read_once_and_shared(store, monkeypatch):
    from faq.knowledge import KnowledgeBase

    loads = []
    original = KnowledgeBase.load
    monkeypatch.setattr(KnowledgeBase, "load", lambda *files: loads.append(files) or original(*files))
    first = knowledge_store.shared_knowledge()
    assert knowledge_store.shared_knowledge() is first
    assert loads == [tuple(store)]


def test_a_broken_file_fails_the_first_use_naming_the_problem(store):
    broken = small_knowledge_document()
    del broken["aspects"]["pay"]["label"]["fi"]
    write_yaml(store[0], broken)
    with pytest.raises(KnowledgeError, match="aspects.pay.label"):
        knowledge_store.shared_knowledge()


def test_a_reload_is_logged_with_the_number_of_aspects(store, caplog):
    with caplog.at_level(logging.INFO, logger="actions.knowledge_store"):
        fresh = knowledge_store.reload_knowledge()
    assert knowledge_store.shared_knowledge() is fresh
    assert f"Knowledge reloaded: {len(fresh.aspects)} aspects" in caplog.messages
