"""Property-based tests (hypothesis) of the input handling and the text formatting, offline."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.input_guard import MAX_MESSAGE_CHARS, check, clean
from channels.rendering import pick_button, render_terminal, slack_message, table_lines
from channels.rest_channel import _problem_with
from faq.language import decide_language, detect
from faq.text import fold, words

TEXT = st.text(max_size=3000)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
COUNTS = {"inputs": 0}


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_check_either_passes_clean_bounded_text_or_replies(text):
    COUNTS["inputs"] += 1
    checked = check(text)
    assert (checked.text is None) != (checked.refusal is None)
    if checked.text is not None:
        assert checked.text.strip() and len(checked.text) <= MAX_MESSAGE_CHARS
        assert not any(ord(c) < 32 and c not in "\t\n" for c in checked.text)
        assert "\u200b" not in checked.text
    else:
        assert checked.refusal in {"fallback", "message_too_long"}


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_cleaning_is_idempotent_and_folding_total(text):
    assert clean(clean(text)) == clean(text)
    assert isinstance(fold(text), str) and all(w == fold(w) for w in words(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "en", "sk", "id", "sv", "fi", "xx"]))
def test_language_choice_is_always_one_of_the_five(text, previous):
    assert decide_language(detect(text), previous=previous) in {"en", "sk", "id", "sv", "fi"}


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_rest_body_validation_never_raises(body):
    problem = _problem_with(body)
    assert problem is None or isinstance(problem, str)
    if problem is None:
        assert isinstance(body["sender"], str) and isinstance(body["message"], str)


MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=300),
        "buttons": st.lists(
            st.fixed_dictionaries({"title": st.text(max_size=40), "payload": st.text(max_size=40)}),
            max_size=4,
        ),
        "custom": st.one_of(
            st.fixed_dictionaries(
                {
                    "sources": st.lists(
                        st.fixed_dictionaries(
                            {"title": st.text(max_size=40), "language": st.sampled_from(["en", "sk", None])}
                        ),
                        max_size=3,
                    )
                }
            ),
            st.fixed_dictionaries(
                {
                    "table": st.fixed_dictionaries(
                        {
                            "columns": st.lists(st.text(max_size=20), min_size=1, max_size=3),
                            "rows": st.lists(
                                st.lists(st.text(max_size=60), min_size=1, max_size=3), max_size=4
                            ),
                        }
                    )
                }
            ),
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MESSAGE, max_size=5))
def test_renderers_accept_any_message_and_keep_markup_inert(messages):
    view = render_terminal(messages)
    assert isinstance(view.text, str)
    for message in messages:
        rendered = slack_message(message)
        for block in rendered["blocks"]:
            text = block.get("text", {}).get("text", "")
            assert "<" not in text and ">" not in text  # escaped: no Slack links or mentions smuggled in
            assert len(text) <= 3000


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=80), min_size=3, max_size=3), max_size=6))
def test_table_columns_line_up(rows):
    lines = table_lines({"columns": ["a", "b", "c"], "rows": rows})
    assert len(lines) >= 2


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=20),
    st.lists(
        st.fixed_dictionaries({"title": st.text(max_size=20), "payload": st.text(max_size=20)}), max_size=5
    ),
)
def test_picking_a_button_returns_one_of_them_or_nothing(typed, buttons):
    picked = pick_button(typed, buttons)
    assert picked is None or picked in buttons


def test_report_counts():
    print(f"\n  property tests: {COUNTS['inputs']} generated inputs through the input guard")
