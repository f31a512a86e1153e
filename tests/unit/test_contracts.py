"""Contracts between artifacts: domain, action package, knowledge file, training data, languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.messages import answer_messages
from faq.knowledge import REQUIRED_ASPECTS
from faq.protocol import SUPPORTED_LANGUAGES
from tests.conftest import PROJECT

DOMAIN = yaml.safe_load((PROJECT / "domain.yml").read_text(encoding="utf-8"))
ASPECT_INTENTS = [
    intent for intent in DOMAIN["intents"] if intent.startswith("ask_") and intent != "ask_capabilities"
]
UNTRAINED_INTENTS = {"nlu_fallback"}


def _intents_in(path: Path) -> set:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {item["intent"] for item in document.get("nlu", []) if "intent" in item}


def test_every_domain_action_is_registered_by_the_action_package():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(DOMAIN["actions"]) == set(executor.actions)


def test_every_aspect_has_an_intent_and_every_aspect_intent_has_knowledge(real_knowledge):
    required = {aspect for ids in REQUIRED_ASPECTS.values() for aspect in ids}
    assert {f"ask_{aspect}" for aspect in required} <= set(ASPECT_INTENTS)
    for intent in ASPECT_INTENTS:
        assert real_knowledge.has_aspect(intent[len("ask_") :]), f"{intent} has no knowledge"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_intent_is_trained_in_every_language(language):
    folder = PROJECT / "data" / "nlu" / language
    trained = set().union(*(_intents_in(path) for path in folder.glob("*.yml")))
    assert set(DOMAIN["intents"]) - trained == set()


def test_every_intent_has_a_rule():
    rules = []
    for path in (PROJECT / "data" / "rules").glob("*.yml"):
        rules += yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    ruled = {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    assert ruled == set(DOMAIN["intents"]) | UNTRAINED_INTENTS


@pytest.fixture(scope="module")
def clients_detector():
    """The detector clients and the evaluation use on replies: lingua at full accuracy."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_answer_and_phrase_reads_as_its_language(real_knowledge, clients_detector, language):
    texts = {
        f"{a.id}.{e.subject}": e.answer[language]
        for a in real_knowledge.aspects.values()
        for e in a.entries.values()
    }
    # Phrases long enough to judge; unsupported_language is English on purpose.
    texts.update(
        {
            k: v[language]
            for k, v in real_knowledge.phrases.items()
            if len(v[language]) >= 40 and k != "unsupported_language"
        }
    )
    misread = {}
    for key, text in texts.items():
        found = clients_detector.detect_language_of(text)
        if found is None or found.iso_code_639_1.name.lower() != language:
            misread[key] = found
    assert misread == {}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_answer_is_the_longest_message_it_sends(real_knowledge, language):
    # Clients (and the evaluation) take the longest message as the answer; citations and
    # follow-up prompts must stay shorter than every answer paragraph.
    for aspect_id in real_knowledge.aspects:
        for subject in ("bpo", "call_center", "both"):
            answer = real_knowledge.answer(aspect_id, subject, language)
            texts = [m["text"] for m in answer_messages(answer, real_knowledge)]
            shortest_part = min(len(part.text) for part in answer.parts)
            assert shortest_part > max(len(t) for t in texts[1:]), (aspect_id, subject)


def test_every_article_the_knowledge_cites_is_one_of_the_five_source_articles(real_knowledge):
    # The articles themselves live outside the repository (../shared/sources, see README);
    # the knowledge file names each one's file and language.
    articles = [s for s in real_knowledge.sources.values() if s.is_article]
    assert {s.language for s in articles} == set(SUPPORTED_LANGUAGES)
    assert all(re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", s.file) for s in articles), [
        s.file for s in articles
    ]
