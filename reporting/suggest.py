"""The review's groups: unanswered, unsure and "not helpful" turns, grouped by language and
similarity, each with the likeliest aspect and subject, or marked as not covered.

Every turn is parsed again by the current model (its text already masked), which gives the
classifier's ranking and the subjects it finds. Each turn then votes for one intent:
- the aspect the user picked from the "did you mean" buttons, when they picked one (their
  own label is the best evidence there is);
- otherwise the classifier's likeliest intent, leaving out the aspect a "not helpful"
  rating was given to (the model already chose it, and the user said it was wrong).
A group proposes the intent most of its turns vote for. It becomes a suggestion when that
intent is a trainable one (not `out_of_scope`) and either a user picked it, or most of a
group of several questions agrees on it with a mean score of at least MIN_GROUP_SCORE (a
lone unsure guess is no evidence). A group on the topic without agreement is *unsure* when
the classifier's guess for it reaches MIN_FIT (an aspect probably fits: a person decides,
or more users asking it make it a suggestion), else *not covered*: a candidate for a new
knowledge entry, listed with the classifier's closest guesses. The rest is off-topic.

Turns whose text is already an example in the training data (waiting for a retrain) or a
held-out test question (never trained on) are set aside and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faq.protocol import (
    ENTITY_SUBJECT,
    FALLBACK_INTENT,
    OUT_OF_SCOPE_INTENT,
    aspect_intent,
    aspect_of,
)
from faq.topic import named_subject, on_topic
from reporting.collect import Item
from reporting.grouping import group_texts, normalise
from reporting.training_data import annotate, held_out_questions, known_examples, subject_synonyms

# Parses a text with the current model: Rasa's parse data.
Parser = Callable[[str], dict[str, Any]]

REVIEWED_KINDS = ("fallback", "not_covered", "low_confidence", "not_helpful", "out_of_scope")
SUGGEST, UNSURE, NOT_COVERED, OFF_TOPIC = "suggest", "unsure", "not_covered", "off_topic"
# A proposal the users did not pick needs several questions agreeing, with a mean score of
# at least this for the intent they agree on.
MIN_GROUP_SCORE = 0.1
# Without agreement, a guess this likely means an aspect probably fits ("unsure"); below it,
# none does ("not covered").
MIN_FIT = 0.4
# Share of the distance that is the classifier's view (the rest is the wording).
MODEL_VIEW_WEIGHT = 0.3
TOP = 3
# Intents no example should be added to from a review.
UNTRAINABLE = (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)


@dataclass
class Turn:
    """One reviewed question: the report's item and what the current model makes of it."""

    item: Item
    ranking: list[tuple[str, float]]
    subjects: list[tuple[int, int, str]]  # (start, end, value) in item.text
    on_topic: bool
    vote: str | None = None
    vote_score: float = 0.0
    reason: str = ""

    @property
    def top_three(self) -> list[tuple[str, float]]:
        return self.ranking[:TOP]


@dataclass
class Group:
    id: str
    language: str
    turns: list[Turn]
    verdict: str = NOT_COVERED
    intent: str | None = None
    subject: str | None = None
    agreement: int = 0  # turns voting for the proposed intent
    top_three: list[tuple[str, float]] = field(default_factory=list)
    examples: list[tuple[str, list[Turn]]] = field(default_factory=list)  # (annotated text, its turns)

    @property
    def aspect(self) -> str | None:
        return aspect_of(self.intent)

    @property
    def score(self) -> float:
        """The mean score of the proposed intent over the turns that support it."""
        return _mean_vote_score(self.turns, self.intent) if self.intent else 0.0

    @property
    def chosen(self) -> int:
        return sum(1 for turn in self.turns if turn.item.chosen and turn.item.chosen == self.intent)


@dataclass
class Review:
    groups: list[Group]
    set_aside: Counter[str] = field(default_factory=Counter)  # reason -> turns

    def of(self, verdict: str) -> list[Group]:
        return [group for group in self.groups if group.verdict == verdict]


def review(items: Sequence[Item], parse: Parser, project: Path) -> Review:
    """The review of the report's items, with the training data and held-out sets of `project`."""
    nlu = project / "data" / "nlu"
    held_out = held_out_questions(project / "tests")
    result = Review([])
    by_language: dict[str, list[Turn]] = {}
    known: dict[str, set[str]] = {}
    for item in one_item_per_turn(items):
        if item.kind not in REVIEWED_KINDS or not item.text.strip():
            continue
        if item.language not in known:
            known[item.language] = known_examples(nlu, item.language)
        key = normalise(item.text)
        if key in held_out:
            result.set_aside["a held-out test question (never trained on)"] += 1
        elif key in known[item.language]:
            result.set_aside["already an example in the training data (retrain?)"] += 1
        else:
            by_language.setdefault(item.language, []).append(turn_of(item, parse(item.text)))
    for language in sorted(by_language):
        synonyms = subject_synonyms(nlu, language)
        result.groups += group_turns(language, by_language[language], synonyms)
    return result


def one_item_per_turn(items: Sequence[Item]) -> list[Item]:
    """One item per question: an unsure answer later rated "not helpful" is in the report
    twice, and the rating (or a pick from the buttons) says more than the doubt."""
    best: dict[tuple[str, float, str], Item] = {}
    for item in items:
        key = (item.conversation, item.timestamp, item.text)
        if key not in best or _evidence(item) > _evidence(best[key]):
            best[key] = item
    return list(best.values())


def _evidence(item: Item) -> int:
    return 2 if item.chosen else 1 if item.kind == "not_helpful" else 0


def turn_of(item: Item, parse: dict[str, Any]) -> Turn:
    """A reviewed turn from its item and the model's parse of its text, with its vote."""
    ranking = [
        (str(entry.get("name")), float(entry.get("confidence") or 0.0))
        for entry in parse.get("intent_ranking") or []
        if entry.get("name") and entry.get("name") != FALLBACK_INTENT
    ]
    subjects = [
        (int(entity["start"]), int(entity["end"]), str(entity["value"]))
        for entity in parse.get("entities") or []
        if entity.get("entity") == ENTITY_SUBJECT and "start" in entity and "end" in entity
    ]
    turn = Turn(item, ranking, subjects, on_topic({**parse, "text": item.text}))
    _vote(turn)
    return turn


def _vote(turn: Turn) -> None:
    """The intent this turn supports, its score and why."""
    item = turn.item
    if item.chosen:
        turn.vote, turn.vote_score, turn.reason = item.chosen, 1.0, f"the user picked {item.chosen}"
        return
    rated = aspect_intent(item.aspect) if item.kind == "not_helpful" else None
    candidates = [(intent, score) for intent, score in turn.ranking if intent != rated]
    if candidates:
        turn.vote, turn.vote_score = candidates[0]
        turn.reason = f"rated {rated} not helpful; next likeliest" if rated else "the classifier's likeliest"


def group_turns(language: str, turns: list[Turn], synonyms: dict[str, str]) -> list[Group]:
    """The language's turns in groups of similar questions, each with its verdict."""
    intents = sorted({intent for turn in turns for intent, _ in turn.ranking})
    views = [[dict(turn.ranking).get(intent, 0.0) for intent in intents] or [0.0] for turn in turns]
    labels = group_texts([without_subjects(turn) for turn in turns], views, view_weight=MODEL_VIEW_WEIGHT)
    members: dict[int, list[Turn]] = {}
    for label, turn in zip(labels, turns, strict=True):
        members.setdefault(label, []).append(turn)
    groups = [Group(f"{language}-{label + 1}", language, members[label]) for label in sorted(members)]
    for group in groups:
        propose(group, synonyms)
    return groups


def without_subjects(turn: Turn) -> str:
    """The turn's text without its subject mentions: questions group by what they ask, and
    "BPO" or "call center" in both would otherwise make unrelated questions look alike."""
    text, position, parts = turn.item.text, 0, []
    for start, end, _ in sorted(turn.subjects):
        if start >= position:
            parts.append(text[position:start])
            position = end
    parts.append(text[position:])
    return " ".join("".join(parts).split())


def propose(group: Group, synonyms: dict[str, str]) -> None:
    """Sets the group's verdict, proposed intent and subject, top three and examples."""
    turns = group.turns
    group.top_three = mean_ranking(turns)[:TOP]
    votes = Counter(turn.vote for turn in turns if turn.vote)
    if votes:
        best_score = {intent: _mean_vote_score(turns, intent) for intent in votes}
        group.intent = max(votes, key=lambda intent: (votes[intent], best_score[intent]))
        group.agreement = votes[group.intent]
    group.subject = named_subject(
        (value, turn.item.text[start:end]) for turn in turns for start, end, value in turn.subjects
    )
    if _suggestible(group):
        group.verdict = SUGGEST
        group.examples = examples_of(group, synonyms)
    elif sum(1 for turn in turns if turn.on_topic) * 2 < len(turns):
        group.verdict = OFF_TOPIC
    elif group.intent not in (None, *UNTRAINABLE) and group.score >= MIN_FIT:
        group.verdict = UNSURE
    else:
        group.verdict = NOT_COVERED


def _mean_vote_score(turns: list[Turn], intent: str) -> float:
    scores = [turn.vote_score for turn in turns if turn.vote == intent]
    return sum(scores) / len(scores)


def _suggestible(group: Group) -> bool:
    """Whether the group's proposal is trainable and agreed on: by the users who picked it,
    or by most of a group of several questions, with some support from the classifier."""
    if group.intent is None or group.intent in UNTRAINABLE or group.agreement * 2 <= len(group.turns):
        return False
    if group.chosen:
        return True
    return len(group.turns) > 1 and _mean_vote_score(group.turns, group.intent) >= MIN_GROUP_SCORE


def mean_ranking(turns: list[Turn]) -> list[tuple[str, float]]:
    """The classifier's mean score per intent over the turns, best first."""
    totals: dict[str, float] = {}
    for turn in turns:
        for intent, score in turn.ranking:
            totals[intent] = totals.get(intent, 0.0) + score
    return sorted(((intent, total / len(turns)) for intent, total in totals.items()), key=lambda p: -p[1])


def examples_of(group: Group, synonyms: dict[str, str]) -> list[tuple[str, list[Turn]]]:
    """The group's distinct questions, annotated, with their turns; a question whose user
    picked another aspect from the buttons is left out."""
    examples: dict[str, tuple[str, list[Turn]]] = {}
    for turn in group.turns:
        if turn.item.chosen and turn.item.chosen != group.intent:
            continue
        key = normalise(turn.item.text)
        if key not in examples:
            examples[key] = (annotate(turn.item.text, turn.subjects, synonyms), [])
        examples[key][1].append(turn)
    return list(examples.values())
