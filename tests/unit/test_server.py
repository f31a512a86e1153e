"""actions/server.py (`python -m actions.server`): a broken knowledge file stops the start with its
problem named; a broken edit reloaded by SIGHUP is logged and the last good version stays."""

from __future__ import annotations

import logging

import pytest

from actions import knowledge_store, server
from tests.conftest import small_knowledge_document, write_yaml


@pytest.fixture
def store(knowledge_store_on_test_files):
    return knowledge_store_on_test_files


def test_a_broken_knowledge_file_stops_the_start_naming_the_problem(store, capsys):
    document = small_knowledge_document()
    del document["aspects"]["pay"]
    write_yaml(store[0], document)
    assert server.main(["--port", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The action server cannot start: ") and "missing key 'pay'" in err


def test_a_broken_edit_on_sighup_is_logged_and_the_last_good_version_served(store, caplog):
    good = knowledge_store.shared_knowledge()
    document = small_knowledge_document()
    document["aspects"]["pay"]["scope"] = "nonsense"
    write_yaml(store[0], document)
    with caplog.at_level(logging.ERROR, logger="actions.server"):
        server._reload()
    assert knowledge_store.shared_knowledge() is good
    assert any("still serving the last good version" in message for message in caplog.messages)


def test_a_good_edit_on_sighup_is_served(store):
    knowledge_store.shared_knowledge()
    document = small_knowledge_document()
    document["aspects"]["pay"]["entries"]["bpo"]["answer"]["en"] = "Edited."
    write_yaml(store[0], document)
    server._reload()
    assert knowledge_store.shared_knowledge().answer("pay", "bpo", "en").parts[0].text == "Edited."
