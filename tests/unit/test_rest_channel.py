"""The REST channel's body checks: what is a 400 before anything reaches Rasa."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.rest_channel import _problem_with


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "eval-1a2b", "message": "What is BPO?"},
        {"sender": "user 42", "message": ""},
    ],
)
def test_well_formed_bodies_pass(body):
    assert _problem_with(body) is None


@pytest.mark.parametrize(
    "body, problem",
    [
        ([], "JSON object"),
        ({"message": "hi"}, "'sender'"),
        ({"sender": "x" * 257, "message": "hi"}, "'sender'"),
        ({"sender": "a", "message": 3}, "'message'"),
        ({"sender": "slack-U123-C456", "message": "pin my language"}, "other channels"),
        ({"sender": "SLACK-U123-C456", "message": "hi"}, "other channels"),
        ({"sender": "widget-" + "a" * 32, "message": "rate it not helpful"}, "other channels"),
    ],
)
def test_malformed_bodies_and_other_channels_conversation_ids_are_refused(body, problem):
    assert problem in (_problem_with(body) or "")


def test_metadata_must_be_a_small_json_object():
    from channels.input_guard import MAX_METADATA_BYTES

    assert _problem_with({"sender": "a", "message": "hi", "metadata": {"page": "/pricing"}}) is None
    assert "metadata" in _problem_with({"sender": "a", "message": "hi", "metadata": ["x"]})
    big = {"blob": "x" * MAX_METADATA_BYTES}
    assert f"at most {MAX_METADATA_BYTES} bytes" in _problem_with(
        {"sender": "a", "message": "hi", "metadata": big}
    )


# Property-based (hypothesis).
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_rest_body_validation_never_raises(body):
    problem = _problem_with(body)
    assert problem is None or isinstance(problem, str)
    if problem is None:
        assert isinstance(body["sender"], str) and isinstance(body["message"], str)
