"""Contracts between artifacts: domain, action package, knowledge file, training data, languages.

Adding an aspect to the knowledge file takes an `ask_<aspect>` intent in domain.yml, a rule,
NLU examples in every language under data/nlu/<lang>/, and every text of the aspect (label,
summaries, answers) in every language. `aspect_contract` checks this on any set of artifacts,
so the tests below prove it reports each missing piece, not only that today's files agree.
"""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.messages import answer_messages
from faq.knowledge import REQUIRED_ASPECTS, REQUIRED_PHRASES
from faq.protocol import CAPABILITIES_INTENT, SUPPORTED_LANGUAGES, aspect_intent, aspect_of
from tests.conftest import PROJECT

DOMAIN = yaml.safe_load((PROJECT / "domain.yml").read_text(encoding="utf-8"))
ASPECT_INTENTS = [
    intent for intent in DOMAIN["intents"] if intent.startswith("ask_") and intent != "ask_capabilities"
]
UNTRAINED_INTENTS = {"nlu_fallback"}


# --- The contract, as a function of the artifacts ------------------------------------------------


@dataclass
class Artifacts:
    knowledge: dict[str, Any]  # knowledge/comparison.yml
    phrases: dict[str, Any]  # knowledge/phrases.yml
    intents: set[str]  # domain.yml
    examples: dict[str, dict[str, int]]  # language -> intent -> number of NLU examples
    ruled: set[str]  # intents a rule in data/rules answers


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _intent_name(item: Any) -> str:
    return item if isinstance(item, str) else next(iter(item))


def _example_counts(folder: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in sorted(folder.glob("*.yml")):
        for block in _yaml(path).get("nlu") or []:
            if "intent" in block:
                lines = (block.get("examples") or "").splitlines()
                examples = [
                    line for line in lines if line.strip().startswith("- ") and line.strip()[2:].strip()
                ]
                counts[block["intent"]] = counts.get(block["intent"], 0) + len(examples)
    return counts


def load_artifacts(root: Path) -> Artifacts:
    """The artifacts of a project tree (the real one, or a modified copy)."""
    rules = [
        rule for path in (root / "data" / "rules").glob("*.yml") for rule in _yaml(path).get("rules") or []
    ]
    return Artifacts(
        knowledge=_yaml(root / "knowledge" / "comparison.yml"),
        phrases=_yaml(root / "knowledge" / "phrases.yml"),
        intents={_intent_name(item) for item in _yaml(root / "domain.yml").get("intents") or []},
        examples={
            language: _example_counts(root / "data" / "nlu" / language) for language in SUPPORTED_LANGUAGES
        },
        ruled={step["intent"] for rule in rules for step in rule.get("steps") or [] if "intent" in step},
    )


def _aspect_texts(spec: dict[str, Any]) -> list[tuple[str, Any]]:
    """(what, {language: text}) for every text of an aspect the assistant may show."""
    texts = [("label", spec.get("label"))]
    for subject, entry in (spec.get("entries") or {}).items():
        entry = entry or {}
        texts += [(f"{subject} summary", entry.get("summary")), (f"{subject} answer", entry.get("answer"))]
        for focus_id, focus in (entry.get("focus") or {}).items():
            texts += [
                (f"{subject} focus {focus_id} {key}", (focus or {}).get(key)) for key in ("label", "answer")
            ]
    if spec.get("disagreement"):
        texts.append(("disagreement note", spec["disagreement"].get("note")))
    return texts


def _has_text(texts: Any, language: str) -> bool:
    return isinstance(texts, dict) and isinstance(texts.get(language), str) and bool(texts[language].strip())


def aspect_contract(artifacts: Artifacts) -> list[str]:
    """Every way the artifacts disagree about the aspects, one line each; empty when they agree."""
    problems = []
    aspects = artifacts.knowledge.get("aspects") or {}
    for aspect_id, spec in aspects.items():
        intent = aspect_intent(aspect_id)
        if intent not in artifacts.intents:
            problems.append(f"aspect '{aspect_id}': no intent '{intent}' in domain.yml")
        if intent not in artifacts.ruled:
            problems.append(f"aspect '{aspect_id}': no rule for '{intent}' in data/rules")
        for language in SUPPORTED_LANGUAGES:
            if not artifacts.examples.get(language, {}).get(intent):
                problems.append(f"aspect '{aspect_id}': no NLU examples of '{intent}' in data/nlu/{language}")
            for what, texts in _aspect_texts(spec or {}):
                if not _has_text(texts, language):
                    problems.append(f"aspect '{aspect_id}': no {what} in '{language}'")
    for intent in sorted(artifacts.intents):
        aspect = aspect_of(intent)
        if aspect is not None and intent != CAPABILITIES_INTENT and aspect not in aspects:
            problems.append(f"intent '{intent}' in domain.yml: no aspect '{aspect}' in the knowledge file")
    phrases = artifacts.phrases.get("phrases") or {}
    for phrase_id in [*REQUIRED_PHRASES, *(p for p in phrases if p not in REQUIRED_PHRASES)]:
        for language in SUPPORTED_LANGUAGES:
            if not _has_text(phrases.get(phrase_id), language):
                problems.append(f"phrase '{phrase_id}': no text in '{language}'")
    return problems


@pytest.fixture(scope="module")
def real_artifacts() -> Artifacts:
    return load_artifacts(PROJECT)


def test_the_real_artifacts_keep_the_aspect_contract(real_artifacts):
    assert aspect_contract(real_artifacts) == []


# --- The contract fails on each missing piece of a new aspect ------------------------------------

NEW = "onboarding"
NEW_INTENT = aspect_intent(NEW)


def with_new_aspect(
    artifacts: Artifacts, *, intent=True, rule=True, languages=SUPPORTED_LANGUAGES
) -> Artifacts:
    """The artifacts plus a complete new aspect (texts copied from `kpo`), with the pieces asked for."""
    changed = copy.deepcopy(artifacts)
    changed.knowledge["aspects"][NEW] = copy.deepcopy(artifacts.knowledge["aspects"]["kpo"])
    if intent:
        changed.intents.add(NEW_INTENT)
    if rule:
        changed.ruled.add(NEW_INTENT)
    for language in languages:
        changed.examples[language][NEW_INTENT] = 12
    return changed


def test_a_complete_new_aspect_keeps_the_contract(real_artifacts):
    assert aspect_contract(with_new_aspect(real_artifacts)) == []


def test_a_new_aspect_with_nothing_but_knowledge_is_reported_piece_by_piece(real_artifacts):
    problems = aspect_contract(with_new_aspect(real_artifacts, intent=False, rule=False, languages=()))
    assert problems == [
        f"aspect '{NEW}': no intent '{NEW_INTENT}' in domain.yml",
        f"aspect '{NEW}': no rule for '{NEW_INTENT}' in data/rules",
    ] + [
        f"aspect '{NEW}': no NLU examples of '{NEW_INTENT}' in data/nlu/{lang}"
        for lang in SUPPORTED_LANGUAGES
    ]


def test_a_new_aspect_without_its_intent_in_the_domain_fails(real_artifacts):
    assert aspect_contract(with_new_aspect(real_artifacts, intent=False)) == [
        f"aspect '{NEW}': no intent '{NEW_INTENT}' in domain.yml"
    ]


@pytest.mark.parametrize("missing", SUPPORTED_LANGUAGES)
def test_a_new_aspect_without_nlu_examples_in_one_language_fails(real_artifacts, missing):
    languages = [language for language in SUPPORTED_LANGUAGES if language != missing]
    assert aspect_contract(with_new_aspect(real_artifacts, languages=languages)) == [
        f"aspect '{NEW}': no NLU examples of '{NEW_INTENT}' in data/nlu/{missing}"
    ]


@pytest.mark.parametrize(
    "path, what",
    [
        (("label",), "label"),
        (("entries", "both", "answer"), "both answer"),
        (("entries", "both", "summary"), "both summary"),
    ],
)
@pytest.mark.parametrize("language", ["sk", "fi"])
def test_a_new_aspect_without_a_text_in_one_language_fails(real_artifacts, path, what, language):
    changed = with_new_aspect(real_artifacts)
    texts = changed.knowledge["aspects"][NEW]
    for key in path:
        texts = texts[key]
    texts[language] = "  "
    assert aspect_contract(changed) == [f"aspect '{NEW}': no {what} in '{language}'"]
    del texts[language]
    assert aspect_contract(changed) == [f"aspect '{NEW}': no {what} in '{language}'"]


def test_a_phrase_missing_in_one_language_fails(real_artifacts):
    changed = copy.deepcopy(real_artifacts)
    del changed.phrases["phrases"]["not_covered"]["id"]
    changed.phrases["phrases"]["new_phrase"] = {
        language: "x" for language in SUPPORTED_LANGUAGES if language != "sv"
    }
    assert aspect_contract(changed) == [
        "phrase 'not_covered': no text in 'id'",
        "phrase 'new_phrase': no text in 'sv'",
    ]


def test_an_aspect_intent_without_knowledge_fails(real_artifacts):
    changed = copy.deepcopy(real_artifacts)
    changed.intents.add("ask_dress_code")
    assert aspect_contract(changed) == [
        "intent 'ask_dress_code' in domain.yml: no aspect 'dress_code' in the knowledge file"
    ]


def _edit_yaml(path: Path, edit) -> None:
    document = _yaml(path)
    edit(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_contract_reads_a_modified_copy_of_the_project_files(tmp_path):
    """A new aspect written into copies of the files, trained in every language but Finnish."""
    shutil.copytree(PROJECT / "knowledge", tmp_path / "knowledge")
    shutil.copytree(PROJECT / "data" / "nlu", tmp_path / "data" / "nlu")
    shutil.copytree(PROJECT / "data" / "rules", tmp_path / "data" / "rules")
    shutil.copy(PROJECT / "domain.yml", tmp_path / "domain.yml")
    assert aspect_contract(load_artifacts(tmp_path)) == []

    def add_aspect(knowledge: dict) -> None:
        knowledge["aspects"][NEW] = copy.deepcopy(knowledge["aspects"]["kpo"])

    _edit_yaml(tmp_path / "knowledge" / "comparison.yml", add_aspect)
    assert f"aspect '{NEW}': no intent '{NEW_INTENT}' in domain.yml" in aspect_contract(
        load_artifacts(tmp_path)
    )

    _edit_yaml(tmp_path / "domain.yml", lambda domain: domain["intents"].append(NEW_INTENT))
    rule = {"rule": f"answer {NEW}", "steps": [{"intent": NEW_INTENT}, {"action": "action_answer"}]}
    _edit_yaml(tmp_path / "data" / "rules" / "faq.yml", lambda rules: rules["rules"].append(rule))
    for language in SUPPORTED_LANGUAGES:
        # Finnish gets the intent but no examples.
        examples = "" if language == "fi" else f"- how does {NEW} work?\n- tell me about {NEW}\n"
        block = {"intent": NEW_INTENT, "examples": examples}
        _edit_yaml(
            tmp_path / "data" / "nlu" / language / "faq.yml",
            lambda nlu, block=block: nlu["nlu"].append(block),
        )
    assert aspect_contract(load_artifacts(tmp_path)) == [
        f"aspect '{NEW}': no NLU examples of '{NEW_INTENT}' in data/nlu/fi"
    ]


# --- Contracts checked on the real files ----------------------------------------------------------


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
