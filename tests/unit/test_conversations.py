"""evaluation/conversations.py: the evaluation runner's scoring: what makes a turn pass, and the
per-kind summary."""

from __future__ import annotations

from evaluation.conversations import TurnResult, accuracy_by, check, load_cases

ANSWERED = {
    "intent": "ask_types",
    "aspect": "types",
    "subject": "call_center",
    "language": "fi",
    "reply_language": "fi",
}


def test_a_turn_passes_when_every_stated_expectation_holds():
    case = {
        "q": "inbound vs outbound?",
        "lang": "fi",
        "aspect": ["types", "location"],
        "subject": "call_center",
    }
    assert check(case, ANSWERED, ["Saapuvien puhelujen ..."]) == []


def test_each_unmet_expectation_is_named():
    case = {"q": "?", "lang": "sv", "aspect": "pay", "subject": "bpo"}
    failures = check(case, ANSWERED, ["..."])
    assert len(failures) == 4
    assert any(f.startswith("aspect") for f in failures) and any(
        f.startswith("slot language") for f in failures
    )


def test_an_off_topic_turn_passes_only_with_a_fallback_intent():
    case = {"q": "book a flight", "lang": "fi", "oos": True}
    assert check(case, {**ANSWERED, "intent": "out_of_scope"}, ["En osaa vastata"]) == []
    assert check(case, {**ANSWERED, "intent": "nlu_fallback"}, ["En osaa vastata"]) == []
    assert check(case, ANSWERED, ["Saapuvien ..."]) == ["intent 'ask_types' is not a fallback"]
    assert "no reply text" in check(case, {**ANSWERED, "intent": "out_of_scope"}, [""])


def test_results_group_by_language_and_kind():
    results = [
        TurnResult({"lang": "fi", "kind": "title"}, {}, [], 0.01),
        TurnResult({"lang": "fi"}, {}, [], 0.01, ["aspect wrong"]),
        TurnResult({"lang": "sk", "kind": "title"}, {}, [], 0.01),
    ]
    assert accuracy_by(results, "language") == {"fi": (1, 2), "sk": (1, 1)}
    assert accuracy_by(results, "kind") == {"plain": (0, 1), "title": (2, 2)}


# Questions nobody on the team wrote: real ones with their sources, and two blind sets.
MEASURING_SETS = ("real_questions", "blind_questions", "blind_questions_2")


def test_every_committed_case_file_loads(tmp_path):
    from tests.conftest import PROJECT

    for folder in MEASURING_SETS:
        conversations = load_cases(PROJECT / "tests" / folder)
        assert conversations and all(turn.get("lang") and turn.get("q") for c in conversations for turn in c)
        blind = folder.startswith("blind_questions")  # written for the project: no source page
        assert blind or all("source" in turn for c in conversations for turn in c)


def _training_examples() -> set[str]:
    import re

    import yaml

    from tests.conftest import PROJECT

    examples = set()
    for path in (PROJECT / "data" / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in block:  # synonyms list entity values, not messages
                continue
            for line in str(block.get("examples", "")).splitlines():
                text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))
                examples.add(_word_set(text))
    return examples


def _word_set(text: str) -> str:
    """The text's folded words, each once and sorted: a question copied with its words
    re-ordered ("Call centrum - čo to vlastne je?") has the same set."""
    from faq.text import fold, words

    return " ".join(sorted(set(words(fold(text)))))


def test_no_measuring_question_is_in_the_training_data():
    # The real and blind questions measure the assistant; a copy of one in data/nlu (even
    # re-cased, re-punctuated, re-ordered or without diacritics) would make them measure the
    # training data.
    from tests.conftest import PROJECT

    training = _training_examples()
    copied = [
        turn["q"]
        for folder in MEASURING_SETS
        for conversation in load_cases(PROJECT / "tests" / folder)
        for turn in conversation
        if _word_set(turn["q"]) in training
    ]
    assert copied == []
