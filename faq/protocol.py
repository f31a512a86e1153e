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

# The languages the assistant speaks, and the one it uses when a conversation gives none.
SUPPORTED_LANGUAGES = ("en", "sk", "id", "sv", "fi")
DEFAULT_LANGUAGE = "en"

# The two subjects every per-subject answer exists for, and the value meaning "both".
BPO = "bpo"
CALL_CENTER = "call_center"
SUBJECTS = (BPO, CALL_CENTER)
BOTH = "both"
# Aspects that compare the two sides: always about both, whichever side a conversation is on.
COMPARISON_ASPECTS = ("difference", "relationship", "choosing")

# Slots the actions set and read (domain.yml declares them); the evaluation reads the first three.
SLOT_ASPECT = "aspect"
SLOT_SUBJECT = "subject"
SLOT_LANGUAGE = "language"
# Set only by an explicit request ("answer in Finnish"); then no message overrules it.
SLOT_LANGUAGE_PINNED = "language_pinned"
SLOT_FEEDBACK = "feedback"

# Entities the NLU extracts.
ENTITY_SUBJECT = "subject"
ENTITY_TARGET_LANGUAGE = "target_language"
ENTITY_RATING = "rating"
# The values of ENTITY_RATING, also stored in the SLOT_FEEDBACK record the report reads.
RATING_HELPFUL = "helpful"
RATING_NOT_HELPFUL = "not_helpful"

# Parse data keys added by the NLU components.
# A list of {SCORE_LANGUAGE: code, SCORE_CONFIDENCE: 0..1}, best first (faq/language.py).
LANGUAGE_SCORES = "language_scores"
SCORE_LANGUAGE = "language"
SCORE_CONFIDENCE = "confidence"
# Whether a message has a word the training data knows: set by LanguageIdentifier, and by the
# tokenizer when an unknown Swedish or Finnish compound splits into known parts.
KNOWN_VOCABULARY = "known_vocabulary"
UNSUPPORTED_LANGUAGE = "unsupported_language"
ASPECT_MENTIONS = "aspect_mentions"
COMPARISON_FOCUS = "comparison_focus"
# A question that names no subject and points back ("why is it important?", faq/references.py):
# its intent is `nlu_fallback` and this key keeps the knowledge intent the classifier chose,
# which the dialogue answers when the conversation has a subject to refer to.
REFERS_BACK = "refers_back"
# Whether an unanswerable message is on the assistant's topic (names a subject or domain term).
ON_TOPIC = "on_topic"

# Conversation ids are namespaced by channel. Slack's are built from user and channel, so
# they are predictable; the widget's carry the browser's random session token. The REST
# channel refuses both prefixes, so no REST caller can write into a Slack or widget
# conversation, whatever ids it knows or guesses.
SLACK_SENDER_PREFIX = "slack-"
WIDGET_SENDER_PREFIX = "widget-"
CHANNEL_SENDER_PREFIXES = (SLACK_SENDER_PREFIX, WIDGET_SENDER_PREFIX)

# Intent naming.
ASPECT_INTENT_PREFIX = "ask_"
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
FOLLOW_UP_INTENT = "inform_subject"
TABLE_INTENT = "request_table"
SET_LANGUAGE_INTENT = "set_language"
# "What can you do?": answered with the list of topics, not from the knowledge file.
CAPABILITIES_INTENT = "ask_capabilities"
FEEDBACK_INTENT = "feedback"


# The assistant's own lines (knowledge/phrases.yml): every phrases file defines each of
# these in every language, so no reply path can meet a missing one.
class Phrase:
    """The ids of the assistant's own lines."""

    GREET = "greet"
    GOODBYE = "goodbye"
    THANK = "thank"
    BOT_CHALLENGE = "bot_challenge"
    CAPABILITIES_INTRO = "capabilities_intro"
    OUT_OF_SCOPE = "out_of_scope"
    FALLBACK = "fallback"
    SOURCES_LABEL = "sources_label"
    DISAGREEMENT_LABEL = "disagreement_label"
    SUBJECT_BPO = "subject_bpo"
    SUBJECT_CALL_CENTER = "subject_call_center"
    SUBJECT_BOTH = "subject_both"
    RELATED_PROMPT = "related_prompt"
    LANGUAGE_SWITCHED = "language_switched"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    DID_YOU_MEAN = "did_you_mean"
    SOMETHING_ELSE = "something_else"
    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"
    FEEDBACK_THANKS = "feedback_thanks"
    FEEDBACK_SORRY = "feedback_sorry"
    TABLE_INTRO = "table_intro"
    ASPECT_COLUMN = "aspect_column"
    SOURCE_GENERAL = "source_general"
    NOT_COVERED = "not_covered"
    NOT_COVERED_NONE = "not_covered_none"
    MESSAGE_TOO_LONG = "message_too_long"
    SERVICE_UNAVAILABLE = "service_unavailable"
    RATE_LIMITED = "rate_limited"


# Per-subject and per-article names are phrases too: subject_<subject>, source_article_<language>.
SUBJECT_PHRASE_PREFIX = "subject_"
SOURCE_ARTICLE_PHRASE_PREFIX = "source_article_"
PHRASE_IDS = tuple(value for name, value in vars(Phrase).items() if name.isupper()) + tuple(
    f"{SOURCE_ARTICLE_PHRASE_PREFIX}{language}" for language in SUPPORTED_LANGUAGES
)


def aspect_intent(aspect: str) -> str:
    """The intent that asks about a knowledge aspect: "pay" -> "ask_pay"."""
    return f"{ASPECT_INTENT_PREFIX}{aspect}"


def aspect_of(intent: str | None) -> str | None:
    """The aspect a knowledge intent asks about, or None for any other intent."""
    if intent and intent.startswith(ASPECT_INTENT_PREFIX):
        return intent[len(ASPECT_INTENT_PREFIX) :]
    return None
