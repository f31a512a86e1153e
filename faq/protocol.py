"""The names every part of the assistant agrees on, in one place.

How a message flows, and which keys carry it:
1. The NLU (nlu_components/) parses the user's text. Besides Rasa's intent and entities it
   adds `LANGUAGE_SCORES` (which of the five languages, best first), `KNOWN_VOCABULARY`,
   `UNSUPPORTED_LANGUAGE`, `ASPECT_MENTIONS` (aspects named, for tables) and
   `COMPARISON_FOCUS` (a comparison inside one subject, "inbound vs outbound").
   Knowledge intents are named `ASPECT_INTENT_PREFIX` + aspect id ("ask_pay").
2. The rules (data/rules/) and stories (data/stories/) pick an action for the intent.
3. The actions (actions/) resolve the language, aspect and subject from those keys and the
   conversation's slots, answer from the knowledge file (faq/), and set the slots
   `aspect`, `subject` and `language`.
4. The channels (channels/) render the messages for the widget, Slack or the terminal.
5. The report (reporting/) reads the stored conversations back by the same keys.
This module imports nothing from Rasa, so every layer can use it.
"""

from __future__ import annotations

# Parse data keys added by the NLU components.
LANGUAGE_SCORES = "language_scores"
KNOWN_VOCABULARY = "known_vocabulary"
UNSUPPORTED_LANGUAGE = "unsupported_language"
ASPECT_MENTIONS = "aspect_mentions"
COMPARISON_FOCUS = "comparison_focus"
# Whether an unanswerable message is on the assistant's topic (names a subject or domain term).
ON_TOPIC = "on_topic"

# Conversation ids: Slack's are built from user and channel, so they are predictable; other
# channels may not use the prefix (the REST channel refuses it), so no REST caller can write
# into a Slack user's conversation. Widget conversations use random 128-bit session ids.
SLACK_SENDER_PREFIX = "slack-"

# Intent naming.
ASPECT_INTENT_PREFIX = "ask_"
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
FOLLOW_UP_INTENT = "inform_subject"
TABLE_INTENT = "request_table"


def aspect_intent(aspect: str) -> str:
    """The intent that asks about a knowledge aspect: "pay" -> "ask_pay"."""
    return f"{ASPECT_INTENT_PREFIX}{aspect}"


def aspect_of(intent: str | None) -> str | None:
    """The aspect a knowledge intent asks about, or None for any other intent."""
    if intent and intent.startswith(ASPECT_INTENT_PREFIX):
        return intent[len(ASPECT_INTENT_PREFIX) :]
    return None
