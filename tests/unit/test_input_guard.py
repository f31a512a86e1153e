"""channels/input_guard.py: refusals and apologies follow the conversation's language."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from channels import input_guard
from channels.input_guard import MAX_MESSAGE_CHARS, check, clean, phrase


class _Tracker:
    def __init__(self, slots: dict[str, Any]) -> None:
        self.slots = slots

    def get_slot(self, name: str) -> Any:
        return self.slots.get(name)


class _Store:
    def __init__(self, slots: dict[str, Any] | None = None, fail: bool = False) -> None:
        self.slots, self.fail = slots, fail

    async def retrieve(self, sender_id: str) -> _Tracker | None:
        if self.fail:
            raise ConnectionError("database gone")
        return None if self.slots is None else _Tracker(self.slots)


def _reply(phrase_id: str, text: str, store: Any, **values: Any) -> str:
    return asyncio.run(phrase(phrase_id, text, "user-1", store, **values))


def _expected(phrase_id: str, language: str, **values: Any) -> str:
    return input_guard.phrases().phrase(phrase_id, language, **values)


def test_an_over_long_message_is_refused_with_the_phrase_and_its_values():
    checked = check("a" * (MAX_MESSAGE_CHARS + 1))
    assert checked.text is None and checked.refusal == "message_too_long"
    assert checked.values == {"max_chars": MAX_MESSAGE_CHARS}


def test_the_refusal_is_in_the_messages_language_on_a_new_conversation():
    text = "Mitä eroa on BPO:lla ja call centerillä? " * 80
    assert _reply("message_too_long", text, _Store(None), max_chars=2000) == _expected(
        "message_too_long", "fi", max_chars=2000
    )


def test_the_pinned_language_wins_in_the_channels_too():
    store = _Store({"language_pinned": "sv", "language": "sv"})
    assert _reply("service_unavailable", "What is BPO?", store) == _expected("service_unavailable", "sv")


def test_a_message_without_evidence_keeps_the_conversations_language():
    store = _Store({"language": "sk"})
    assert _reply("fallback", "", store) == _expected("fallback", "sk")
    assert _reply("service_unavailable", "??? 123", store) == _expected("service_unavailable", "sk")


def test_an_unreadable_store_still_gets_a_reply_in_the_messages_language():
    assert _reply("service_unavailable", "Apa itu BPO dan call center?", _Store(fail=True)) == _expected(
        "service_unavailable", "id"
    )
    assert _reply("fallback", "", None) == _expected("fallback", "en")


def test_sighup_reload_keeps_the_last_good_phrases_when_the_file_is_broken(tmp_path, monkeypatch):
    from faq.knowledge import ReloadableKnowledge
    from settings import PROJECT

    phrases_file = tmp_path / "phrases.yml"
    phrases_file.write_text((PROJECT / "knowledge" / "phrases.yml").read_text(encoding="utf-8"))
    store = ReloadableKnowledge(PROJECT / "knowledge" / "comparison.yml", phrases_file)
    monkeypatch.setattr(input_guard, "_phrases", lambda: store)
    before = input_guard.phrases().phrase("fallback", "en")

    phrases_file.write_text(phrases_file.read_text(encoding="utf-8").replace(before, "Edited fallback."))
    input_guard.reload_phrases()
    assert input_guard.phrases().phrase("fallback", "en") == "Edited fallback."

    phrases_file.write_text("phrases: [broken", encoding="utf-8")
    input_guard.reload_phrases()
    assert input_guard.phrases().phrase("fallback", "en") == "Edited fallback."


# Property-based (hypothesis).
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_check_either_passes_clean_bounded_text_or_replies(text):
    checked = check(text)
    assert (checked.text is None) != (checked.refusal is None)
    if checked.text is not None:
        assert checked.text.strip() and len(checked.text) <= MAX_MESSAGE_CHARS
        assert not any(ord(c) < 32 and c not in "\t\n" for c in checked.text)
        assert "\u200b" not in checked.text
    else:
        assert checked.refusal in {"fallback", "message_too_long"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_cleaning_is_idempotent(text):
    assert clean(clean(text)) == clean(text)


def test_a_failed_turn_that_collected_a_reply_is_discarded_and_apologised_for():
    from channels.input_guard import handle_or_apologise

    sent: list[str] = ["the answer"]
    apologies: list[str] = []

    async def failing_turn() -> None:
        raise RuntimeError("the tracker could not be stored")

    async def apologise() -> None:
        apologies.append("sorry")

    asyncio.run(
        handle_or_apologise(failing_turn(), lambda: bool(sent), apologise, budget=1, discard=sent.clear)
    )
    assert sent == [] and apologies == ["sorry"]


def test_a_push_channel_that_already_sent_is_not_apologised_for_twice():
    from channels.input_guard import handle_or_apologise

    apologies: list[str] = []

    async def answered_turn() -> None:
        return None

    async def apologise() -> None:
        apologies.append("sorry")

    asyncio.run(handle_or_apologise(answered_turn(), lambda: True, apologise, budget=1))
    assert apologies == []
