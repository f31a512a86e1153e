"""The review loop without a model: grouping, proposals, the suggestions file, the page, accepting.

A fake parser stands in for the trained model: a fixed ranking per question, and the
subjects found by a regular expression, as the LexiconEntityExtractor reports them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from reporting import review as review_command
from reporting.accept import ACCEPTED_FILE, AcceptError, accept
from reporting.collect import Item
from reporting.grouping import group_texts
from reporting.review_files import review_page, suggestions_yaml, write_uncovered
from reporting.suggest import NOT_COVERED, OFF_TOPIC, SUGGEST, UNSURE, Review, review
from tests.conftest import PROJECT
from tests.unit.test_report_collect import build_store, slot_set, user_turn

TAKE_HOME = [
    "how much money do bpo folks take home",
    "how much do bpo folks take home a month",
    "bpo folks take home how much?",
    "how much money do call center folks take home",
]
RANKINGS: dict[str, list[tuple[str, float]]] = {
    TAKE_HOME[0]: [("ask_remote_work", 0.54), ("ask_pay", 0.26), ("ask_cost", 0.07)],
    TAKE_HOME[1]: [("ask_remote_work", 0.70), ("ask_pay", 0.17), ("ask_choosing", 0.03)],
    TAKE_HOME[2]: [("ask_remote_work", 0.59), ("ask_pay", 0.11), ("ask_history", 0.08)],
    TAKE_HOME[3]: [("ask_remote_work", 0.50), ("ask_pay", 0.38), ("out_of_scope", 0.04)],
    "income of call center workers": [("ask_pay", 0.16), ("ask_scope", 0.14), ("ask_disadvantages", 0.14)],
    "is there a dress code at bpo offices": [("ask_location", 0.61), ("ask_types", 0.21)],
    "do bpos have a dress code": [("ask_cost", 0.17), ("ask_advantages", 0.15)],
    "what is the weather tomorrow": [("out_of_scope", 0.95), ("ask_careers", 0.01)],
    "book me a flight to Manila": [("out_of_scope", 0.91), ("ask_philippines", 0.07)],
    "why do firms outsource support work": [("ask_cost", 0.47), ("ask_advantages", 0.18)],
}
_SUBJECT = re.compile(r"\b(bpos?|call center)\b", re.IGNORECASE)


def fake_parse(text: str) -> dict[str, Any]:
    ranking = RANKINGS.get(text, [("out_of_scope", 0.6), ("ask_definition", 0.2)])
    entities = [
        {
            "entity": "subject",
            "start": match.start(),
            "end": match.end(),
            "value": "call_center" if "call" in match.group(0).lower() else "bpo",
        }
        for match in _SUBJECT.finditer(text)
    ]
    return {
        "text": text,
        "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}]
        + [{"name": name, "confidence": score} for name, score in ranking],
        "entities": entities,
    }


def item(text: str, kind: str, aspect: str = "remote_work", chosen: str | None = None, n: int = 0) -> Item:
    return Item(kind, "en", aspect, f"user-{n}", 1_764_000_000.0 + n, text, 0.5, chosen)


def scenario() -> list[Item]:
    items = [item(text, "not_helpful", n=n) for n, text in enumerate(TAKE_HOME)]
    items += [
        # The same turn, also unsure: the rating says more.
        item(TAKE_HOME[0], "low_confidence", aspect="remote_work", n=0),
        item("income of call center workers", "fallback", aspect="(no topic yet)", chosen="ask_pay", n=10),
        item("is there a dress code at bpo offices", "not_helpful", aspect="location", n=11),
        item("do bpos have a dress code", "fallback", n=12),
        item("what is the weather tomorrow", "out_of_scope", n=13),
        item("book me a flight to Manila", "out_of_scope", n=14),
        item("why do firms outsource support work", "low_confidence", aspect="cost", n=15),
    ]
    return items


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's training data and held-out sets."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "nlu", root / "data" / "nlu")
    for folder in ("nlu_heldout", "real_questions", "blind_questions"):
        shutil.copytree(PROJECT / "tests" / folder, root / "tests" / folder)
    return root


@pytest.fixture
def reviewed(project: Path) -> Review:
    return review(scenario(), fake_parse, project)


def _group_with(result: Review, text: str):
    return next(g for g in result.groups if any(t.item.text == text for t in g.turns))


# --- Grouping ------------------------------------------------------------------------------


def test_similar_questions_group_and_different_ones_do_not() -> None:
    texts = [*TAKE_HOME, "what is the weather tomorrow", "How much money do BPO folks take home?"]
    labels = group_texts(texts)
    assert len(set(labels[:4] + labels[5:])) == 1, labels
    assert labels[4] != labels[0]
    assert labels[0] == 0  # the largest group is numbered first


def test_grouping_edge_cases() -> None:
    assert group_texts([]) == []
    assert group_texts(["what is bpo"]) == [0]
    assert group_texts(["What is BPO?", "what is bpo"]) == [0, 0]


# --- Proposals -----------------------------------------------------------------------------


def test_a_group_rated_not_helpful_proposes_the_next_likeliest_aspect(reviewed: Review) -> None:
    group = _group_with(reviewed, TAKE_HOME[0])
    assert group.verdict == SUGGEST and group.intent == "ask_pay" and group.aspect == "pay"
    assert group.agreement == 4 and len(group.turns) == 4  # one turn, though unsure and rated
    # The classifier's own top three (mean over the group) are shown alongside.
    assert [(intent, round(score, 4)) for intent, score in group.top_three] == [
        ("ask_remote_work", 0.5825),
        ("ask_pay", 0.23),
        ("ask_history", 0.02),
    ]
    assert group.subject == "both"
    assert {text for text, _ in group.examples} == {
        "how much money do [bpo](subject) folks take home",
        "how much do [bpo](subject) folks take home a month",
        "[bpo](subject) folks take home how much?",
        "how much money do [call center](subject) folks take home",
    }


def test_a_users_pick_from_the_buttons_is_enough_for_a_single_question(reviewed: Review) -> None:
    group = _group_with(reviewed, "income of call center workers")
    assert (group.verdict, group.intent, group.chosen, group.subject) == (
        SUGGEST,
        "ask_pay",
        1,
        "call_center",
    )


def test_questions_no_aspect_fits_are_not_covered_and_off_topic_ones_are_apart(reviewed: Review) -> None:
    assert _group_with(reviewed, "is there a dress code at bpo offices").verdict == NOT_COVERED
    assert _group_with(reviewed, "do bpos have a dress code").verdict == NOT_COVERED
    assert _group_with(reviewed, "what is the weather tomorrow").verdict == OFF_TOPIC
    assert all(g.id.startswith("en-") for g in reviewed.groups)


def test_a_likely_guess_nobody_agreed_on_is_unsure_not_uncovered(reviewed: Review) -> None:
    group = _group_with(reviewed, "why do firms outsource support work")
    assert (group.verdict, group.intent, round(group.score, 2)) == (UNSURE, "ask_cost", 0.47)
    assert group.examples == []


def test_training_examples_and_held_out_questions_are_set_aside(project: Path) -> None:
    heldout = yaml.safe_load((project / "tests" / "nlu_heldout" / "en.yml").read_text(encoding="utf-8"))
    held_out_text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", heldout["nlu"][0]["examples"].splitlines()[0][2:])
    items = [item("What is BPO?", "low_confidence"), item(held_out_text, "fallback", n=1)]
    result = review(items, fake_parse, project)
    assert result.groups == []
    assert sorted(result.set_aside.values()) == [1, 1]


# --- The files -----------------------------------------------------------------------------


def test_the_suggestions_are_rasa_nlu_yaml_with_a_comment_per_source_turn(reviewed: Review, tmp_path: Path):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    text = suggestions_yaml(reviewed, "models/x.tar.gz", 1_764_000_000.0)
    data = RasaYAMLReader().reads(text)
    examples = {(m.get("text"), m.get("intent")) for m in data.intent_examples}
    assert ("how much money do bpo folks take home", "ask_pay") in examples
    assert ("income of call center workers", "ask_pay") in examples
    assert len(examples) == 5 and data.intents == {"ask_pay"}
    assert text.count("- intent: ask_pay") == 1  # one block per proposed intent
    annotated = [e for m in data.intent_examples for e in m.get("entities", [])]
    assert len(annotated) == 5 and {e["entity"] for e in annotated} == {"subject"}
    assert (
        "  # conversation user-10, 2025-11-24 16:00 UTC, fallback, the user picked ask_pay; top three" in text
    )
    assert "answered as remote_work, rated not helpful; top three: ask_remote_work 0.54, ask_pay 0.26" in text
    assert "make review-accept GROUP=en-1" in text
    tmp_path.joinpath("suggested_nlu.yml").write_text(text, encoding="utf-8")


def test_no_suggestion_is_still_valid_yaml() -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    assert RasaYAMLReader().reads(suggestions_yaml(Review([]), "m", 0.0)).intent_examples == []


def test_the_uncovered_list_and_the_page(reviewed: Review, tmp_path: Path) -> None:
    import csv

    with open(write_uncovered(reviewed, tmp_path), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["typical question"] for row in rows} == {
        "is there a dress code at bpo offices",
        "do bpos have a dress code",
    }
    page = review_page(reviewed, lambda aspect: aspect.title(), "sqlite:///x.db", "m.tar.gz", 0.0)
    assert "ask_pay (aspect Pay), subject both" in page and "make review-accept GROUP=en-1" in page
    assert (
        "what is the weather tomorrow" in page and "ask_remote_work 0.54, ask_pay 0.26, ask_cost 0.07" in page
    )


def test_the_page_escapes_what_users_wrote(project: Path) -> None:
    result = review([item("<img src=x onerror=alert(1)> bpo", "fallback")], fake_parse, project)
    page = review_page(result, str, "db", "m", 0.0)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


# --- Accepting -----------------------------------------------------------------------------


@pytest.fixture
def suggestions(reviewed: Review, tmp_path: Path) -> Path:
    path = tmp_path / "suggested_nlu.yml"
    path.write_text(suggestions_yaml(reviewed, "m", 1_764_000_000.0), encoding="utf-8")
    return path


def _accepted_examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    return [(m.get("text"), m.get("intent")) for m in RasaYAMLReader().read(str(path)).intent_examples]


def test_accepting_a_group_appends_its_examples_once(suggestions: Path, project: Path) -> None:
    result = accept("en-1", suggestions, project, now=1_764_000_000.0)
    target = project / "data" / "nlu" / "en" / ACCEPTED_FILE
    assert result.path == target and len(result.added) == 4 and result.intent == "ask_pay"
    text = target.read_text(encoding="utf-8")
    assert text.startswith('version: "3.1"\n')
    assert "# review group en-1, accepted 2025-11-24 16:00 UTC" in text
    assert (
        "#   1. conversation user-0, 2025-11-24 16:00 UTC, answered as remote_work, rated not helpful" in text
    )
    assert sorted(_accepted_examples(target)) == sorted((t, "ask_pay") for t in TAKE_HOME)
    again = accept("en-1", suggestions, project)
    assert again.added == [] and len(again.already_there) == 4
    assert target.read_text(encoding="utf-8") == text


def test_a_second_group_goes_to_the_same_file_under_the_intent_the_maintainer_names(
    suggestions: Path, project: Path
) -> None:
    accept("en-1", suggestions, project)
    second = _group_id(suggestions, "income of call center workers")
    accept(second, suggestions, project, intent="ask_careers")
    examples = _accepted_examples(project / "data" / "nlu" / "en" / ACCEPTED_FILE)
    assert ("income of call center workers", "ask_careers") in examples and len(examples) == 5


def _group_id(suggestions: Path, text: str) -> str:
    document = yaml.safe_load(suggestions.read_text(encoding="utf-8"))
    for block in document["nlu"]:
        for example in block["examples"]:
            if re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", example["text"]) == text:
                return str(example["metadata"]["review_group"])
    raise LookupError(text)


def test_an_edited_suggestions_file_is_what_gets_accepted(suggestions: Path, project: Path) -> None:
    text = suggestions.read_text(encoding="utf-8")
    start = text.index('  - text: "[bpo](subject) folks take home how much?"')
    end = text.index("  - text:", start + 1)
    suggestions.write_text(text[:start] + text[end:], encoding="utf-8")
    assert len(accept("en-1", suggestions, project).added) == 3


def test_held_out_questions_are_never_accepted(suggestions: Path, project: Path) -> None:
    heldout = project / "tests" / "nlu_heldout" / "en.yml"
    heldout.write_text(
        heldout.read_text(encoding="utf-8")
        + "- intent: ask_pay\n  examples: |\n    - how much money do bpo folks take home\n",
        encoding="utf-8",
    )
    result = accept("en-1", suggestions, project)
    assert result.held_out == ["how much money do [bpo](subject) folks take home"] and len(result.added) == 3


def test_an_unknown_group_or_unreadable_file_is_refused(suggestions: Path, project: Path) -> None:
    with pytest.raises(AcceptError, match="no group 'en-99'"):
        accept("en-99", suggestions, project)
    with pytest.raises(AcceptError, match="cannot read"):
        accept("en-1", suggestions.parent / "missing.yml", project)
    assert not (project / "data" / "nlu" / "en" / ACCEPTED_FILE).exists()


def test_a_broken_accepted_file_is_left_unchanged(suggestions: Path, project: Path) -> None:
    target = project / "data" / "nlu" / "en" / ACCEPTED_FILE
    target.write_text("nlu: {not: a list}\n", encoding="utf-8")
    with pytest.raises(AcceptError, match="left unchanged"):
        accept("en-1", suggestions, project)
    assert target.read_text(encoding="utf-8") == "nlu: {not: a list}\n"


# --- The command line ----------------------------------------------------------------------


def test_the_command_reviews_a_store_and_accepts_a_group(
    tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(review_command, "model_parser", lambda model: fake_parse)
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    turns = []
    for text in TAKE_HOME:
        turns += [
            user_turn(text, "ask_remote_work", 0.6),
            slot_set("aspect", "remote_work"),
            user_turn('/feedback{"rating":"not_helpful"}', "feedback", 1.0),
            slot_set("feedback", {"rating": "not_helpful", "aspect": "remote_work", "language": "en"}),
        ]
    turns.append(user_turn("my name is Ana Cruz, ana@x.ph, what is the weather", "out_of_scope", 0.9))
    url = build_store(tmp_path / "tracker.db", [("anna", turns)])
    out = tmp_path / "review"
    arguments = ["--db-url", url, "--out", str(out), "--model", str(model), "--project", str(project)]
    assert review_command.main(arguments) == 0
    assert sorted(path.name for path in out.iterdir()) == [
        "review.html",
        "suggested_nlu.yml",
        "uncovered.csv",
    ]
    assert "1 with suggested examples (4 examples)" in capsys.readouterr().out
    for path in out.iterdir():
        assert "Ana Cruz" not in path.read_text(encoding="utf-8") and "ana@x.ph" not in path.read_text()
    suggested = str(out / "suggested_nlu.yml")
    assert review_command.main(["accept", "en-1", "--suggestions", suggested, "--project", str(project)]) == 0
    assert "Added 4 examples of ask_pay" in capsys.readouterr().out
    assert review_command.main(["accept", "en-1", "--suggestions", suggested, "--project", str(project)]) == 0
    assert ": 4 already in the training data." in capsys.readouterr().out
    assert review_command.main(["accept", "en-7", "--suggestions", suggested, "--project", str(project)]) == 1
    assert "Not accepted: no group 'en-7'" in capsys.readouterr().err


def test_the_command_needs_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert review_command.main(["--model", str(tmp_path / "none.tar.gz"), "--out", str(tmp_path)]) == 1
    assert "No model at" in capsys.readouterr().err
