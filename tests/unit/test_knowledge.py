"""The knowledge loader: validation errors name file, entry and key; queries compose answers."""

from __future__ import annotations

import pytest

from faq.knowledge import KnowledgeBase, KnowledgeError
from faq.protocol import BOTH, SUPPORTED_LANGUAGES
from tests.conftest import small_knowledge_document, small_phrases_document, write_yaml


def _load_with(tmp_path, mutate):
    document = small_knowledge_document()
    mutate(document)
    return KnowledgeBase.load(
        write_yaml(tmp_path / "broken.yml", document),
        write_yaml(tmp_path / "phrases.yml", small_phrases_document()),
    )


@pytest.mark.parametrize(
    "mutate, location, problem",
    [
        (lambda d: d["aspects"].pop("pay"), "aspects", "missing key 'pay'"),
        (
            lambda d: d["aspects"]["skills"]["entries"].pop("bpo"),
            "aspects.skills.entries",
            "missing key 'bpo'",
        ),
        (
            lambda d: d["aspects"]["skills"]["entries"]["bpo"]["answer"].pop("fi"),
            "aspects.skills.entries.bpo.answer",
            "missing key 'fi'",
        ),
        (
            lambda d: d["aspects"]["cost"]["entries"]["both"].pop("sources"),
            "aspects.cost.entries.both",
            "missing key 'sources'",
        ),
        (
            lambda d: d["aspects"]["cost"]["entries"]["both"].update(sources=["article_xx"]),
            "aspects.cost.entries.both.sources",
            "unknown source(s) ['article_xx']",
        ),
        (
            lambda d: d["aspects"]["types"]["entries"]["call_center"]["summary"].update(sk="  "),
            "aspects.types.entries.call_center.summary.sk",
            "expected non-empty text",
        ),
        (
            lambda d: d["aspects"]["history"].update(scope="per_subject"),
            "aspects.history.entries",
            "missing key 'bpo'",
        ),
        (
            lambda d: d["aspects"]["skills"].update(related=["salary"]),
            "aspects.skills.related",
            "unknown aspect(s)",
        ),
        (lambda d: d.pop("sources"), "file", "missing key 'sources'"),
    ],
)
def test_invalid_knowledge_names_file_entry_and_key(tmp_path, mutate, location, problem):
    with pytest.raises(KnowledgeError) as raised:
        _load_with(tmp_path, mutate)
    assert raised.value.location == location
    assert problem in raised.value.problem
    assert str(tmp_path / "broken.yml") in str(raised.value)


def test_missing_phrase_is_reported(tmp_path, knowledge_files):
    phrases = small_phrases_document()
    del phrases["phrases"]["greet"]["sv"]
    with pytest.raises(KnowledgeError, match=r"phrases\.yml: phrases\.greet: missing key 'sv'"):
        KnowledgeBase.load(knowledge_files[0], write_yaml(tmp_path / "phrases.yml", phrases))


def test_missing_and_malformed_files_are_reported(tmp_path, knowledge_files):
    with pytest.raises(KnowledgeError, match="not found"):
        KnowledgeBase.load(tmp_path / "nope.yml", knowledge_files[1])
    bad = tmp_path / "bad.yml"
    bad.write_text("aspects: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="invalid YAML"):
        KnowledgeBase.load(bad, knowledge_files[1])


def test_answer_for_one_subject(small_knowledge):
    answer = small_knowledge.answer("skills", "bpo", "sv")
    assert [part.text for part in answer.parts] == ["skills bpo answer [sv]"]
    assert answer.subject == "bpo"
    assert [source.id for source in answer.sources] == ["article_en"]
    assert answer.related == ("pay",)


def test_per_subject_aspect_without_subject_answers_both(small_knowledge):
    answer = small_knowledge.answer("skills", None, "fi")
    assert answer.subject == BOTH
    assert [part.subject for part in answer.parts] == ["bpo", "call_center"]
    assert [source.id for source in answer.sources] == ["article_en", "article_sk", "general"]


def test_field_aspect_is_always_about_both(small_knowledge):
    answer = small_knowledge.answer("history", "bpo", "id")
    assert answer.subject == BOTH
    assert answer.parts[0].text == "history both answer [id]"


def test_disagreement_is_part_of_the_answer(small_knowledge):
    assert small_knowledge.answer("location", "bpo", "sk").disagreement == "they disagree [sk]"
    assert small_knowledge.answer("skills", "bpo", "sk").disagreement is None


def test_real_knowledge_file_is_complete(real_knowledge):
    for aspect in real_knowledge.aspects.values():
        for entry in aspect.entries.values():
            assert set(entry.answer) == set(SUPPORTED_LANGUAGES)
            assert entry.sources, f"{aspect.id}.{entry.subject} cites nothing"
