"""The comparison knowledge file: loading, validation and queries.

`knowledge/comparison.yml` holds every answer the assistant gives, as aspects x subjects x
languages, each entry citing the source articles its facts come from. `knowledge/phrases.yml`
holds the assistant's own lines (greetings, fallbacks, labels) per language. Both are
validated once, when loaded; an error names the file, the entry and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from faq import comparisons
from faq.protocol import BOTH, PHRASE_IDS, SUBJECT_PHRASE_PREFIX, SUBJECTS, SUPPORTED_LANGUAGES

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
DEFAULT_KNOWLEDGE_FILE = KNOWLEDGE_DIR / "comparison.yml"
DEFAULT_PHRASES_FILE = KNOWLEDGE_DIR / "phrases.yml"

PER_SUBJECT = "per_subject"
FIELD = "field"
SCOPES = {PER_SUBJECT: SUBJECTS, FIELD: (BOTH,)}

# The aspects every knowledge file must cover: intents, the evaluation and the actions rely
# on these ids. A file may add more.
REQUIRED_ASPECTS = {
    PER_SUBJECT: (
        "definition",
        "services",
        "types",
        "skills",
        "advantages",
        "disadvantages",
        "location",
        "scope",
        "marketing",
        "functions",
        "pay",
        "careers",
    ),
    FIELD: (
        "difference",
        "relationship",
        "cost",
        "history",
        "philippines",
        "choosing",
        "voice_nonvoice",
        "kpo",
        "working_hours",
        "remote_work",
        "attrition",
        "metrics",
        "contact_center",
        "outsourcing_decision",
    ),
}

# Phrases the actions and channels use; a phrases file must define each in every language.
REQUIRED_PHRASES = PHRASE_IDS


class KnowledgeError(ValueError):
    """The knowledge or phrases file is malformed; the message says where."""

    def __init__(self, path: Path, location: str, problem: str) -> None:
        super().__init__(f"{path}: {location}: {problem}")
        self.path = path
        self.location = location
        self.problem = problem


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    language: str | None
    file: str | None = None

    @property
    def is_article(self) -> bool:
        return self.file is not None


@dataclass(frozen=True)
class Focus:
    """The answer to a comparison inside one subject ("inbound vs outbound")."""

    id: str
    label: Mapping[str, str]
    sources: tuple[Source, ...]
    answer: Mapping[str, str]


@dataclass(frozen=True)
class Entry:
    subject: str
    sources: tuple[Source, ...]
    summary: Mapping[str, str]
    answer: Mapping[str, str]
    focus: Mapping[str, Focus] = field(default_factory=dict)


@dataclass(frozen=True)
class Disagreement:
    sources: tuple[Source, ...]
    note: Mapping[str, str]


@dataclass(frozen=True)
class Aspect:
    id: str
    scope: str
    label: Mapping[str, str]
    related: tuple[str, ...]
    entries: Mapping[str, Entry]
    disagreement: Disagreement | None = None

    @property
    def per_subject(self) -> bool:
        return self.scope == PER_SUBJECT


@dataclass(frozen=True)
class AnswerPart:
    """One subject's answer within an `Answer`."""

    subject: str
    text: str
    summary: str


@dataclass(frozen=True)
class Answer:
    """What the assistant says for one aspect, subject and language."""

    aspect: str
    subject: str
    language: str
    parts: tuple[AnswerPart, ...]
    sources: tuple[Source, ...]
    disagreement: str | None = None
    related: tuple[str, ...] = field(default_factory=tuple)
    # The comparison inside the subject this answer is focused on, if any.
    focus: str | None = None


class _Reader:
    """Walks a parsed YAML document, raising `KnowledgeError` with the path of what is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, location: str, problem: str) -> KnowledgeError:
        return KnowledgeError(self.path, location, problem)

    def mapping(self, value: Any, location: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(location, f"expected a mapping, got {type(value).__name__}")
        return value

    def key(self, mapping: Mapping[str, Any], key: str, location: str) -> Any:
        if key not in mapping or mapping[key] is None:
            raise self.fail(location, f"missing key '{key}'")
        return mapping[key]

    def text(self, value: Any, location: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(location, "expected non-empty text")
        return " ".join(value.split())

    def per_language(self, value: Any, location: str) -> dict[str, str]:
        texts = self.mapping(value, location)
        for language in SUPPORTED_LANGUAGES:
            if language not in texts:
                raise self.fail(location, f"missing key '{language}'")
        unknown = sorted(set(texts) - set(SUPPORTED_LANGUAGES))
        if unknown:
            raise self.fail(location, f"unknown language(s) {unknown}")
        return {lang: self.text(texts[lang], f"{location}.{lang}") for lang in SUPPORTED_LANGUAGES}

    def id_list(self, value: Any, location: str) -> list[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(location, "expected a non-empty list of ids")
        return value


def _load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise KnowledgeError(path, "file", "not found") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(path, "file", f"invalid YAML: {error}") from None


def _parse_sources(reader: _Reader, raw: Any) -> dict[str, Source]:
    sources = {}
    for source_id, spec in reader.mapping(raw, "sources").items():
        location = f"sources.{source_id}"
        spec = reader.mapping(spec, location)
        language = spec.get("language")
        if language is not None and language not in SUPPORTED_LANGUAGES:
            raise reader.fail(location, f"unknown language '{language}'")
        sources[source_id] = Source(
            id=source_id,
            title=reader.text(reader.key(spec, "title", location), f"{location}.title"),
            language=language,
            file=spec.get("file"),
        )
    return sources


def _resolve_sources(
    reader: _Reader, ids: list[str], known: Mapping[str, Source], location: str
) -> tuple[Source, ...]:
    unknown = [source_id for source_id in ids if source_id not in known]
    if unknown:
        raise reader.fail(location, f"unknown source(s) {unknown}")
    return tuple(known[source_id] for source_id in ids)


def _parse_focus(reader: _Reader, raw: Any, sources: Mapping[str, Source], location: str) -> dict[str, Focus]:
    if raw is None:
        return {}
    focus = {}
    for focus_id, spec in reader.mapping(raw, location).items():
        where = f"{location}.{focus_id}"
        spec = reader.mapping(spec, where)
        focus[focus_id] = Focus(
            id=focus_id,
            label=reader.per_language(reader.key(spec, "label", where), f"{where}.label"),
            sources=_resolve_sources(
                reader,
                reader.id_list(reader.key(spec, "sources", where), f"{where}.sources"),
                sources,
                f"{where}.sources",
            ),
            answer=reader.per_language(reader.key(spec, "answer", where), f"{where}.answer"),
        )
    return focus


def _parse_aspect(reader: _Reader, aspect_id: str, raw: Any, sources: Mapping[str, Source]) -> Aspect:
    location = f"aspects.{aspect_id}"
    spec = reader.mapping(raw, location)
    scope = reader.key(spec, "scope", location)
    if scope not in SCOPES:
        raise reader.fail(f"{location}.scope", f"expected one of {sorted(SCOPES)}, got '{scope}'")
    raw_entries = reader.mapping(reader.key(spec, "entries", location), f"{location}.entries")
    entries = {}
    for subject in SCOPES[scope]:
        entry_location = f"{location}.entries.{subject}"
        entry = reader.mapping(reader.key(raw_entries, subject, f"{location}.entries"), entry_location)
        entries[subject] = Entry(
            subject=subject,
            sources=_resolve_sources(
                reader,
                reader.id_list(reader.key(entry, "sources", entry_location), f"{entry_location}.sources"),
                sources,
                f"{entry_location}.sources",
            ),
            summary=reader.per_language(
                reader.key(entry, "summary", entry_location), f"{entry_location}.summary"
            ),
            answer=reader.per_language(
                reader.key(entry, "answer", entry_location), f"{entry_location}.answer"
            ),
            focus=_parse_focus(reader, entry.get("focus"), sources, f"{entry_location}.focus"),
        )
        missing = [f for f in comparisons.focuses(aspect_id, subject) if f not in entries[subject].focus]
        if missing:
            raise reader.fail(f"{entry_location}.focus", f"missing key(s) {missing}")
    extra = sorted(set(raw_entries) - set(SCOPES[scope]))
    if extra:
        raise reader.fail(f"{location}.entries", f"unexpected subject(s) {extra} for scope '{scope}'")

    disagreement = None
    if spec.get("disagreement") is not None:
        d_location = f"{location}.disagreement"
        raw_disagreement = reader.mapping(spec["disagreement"], d_location)
        disagreement = Disagreement(
            sources=_resolve_sources(
                reader,
                reader.id_list(reader.key(raw_disagreement, "sources", d_location), f"{d_location}.sources"),
                sources,
                f"{d_location}.sources",
            ),
            note=reader.per_language(reader.key(raw_disagreement, "note", d_location), f"{d_location}.note"),
        )
    related = spec.get("related") or []
    if not isinstance(related, list):
        raise reader.fail(f"{location}.related", "expected a list of aspect ids")
    return Aspect(
        id=aspect_id,
        scope=scope,
        label=reader.per_language(reader.key(spec, "label", location), f"{location}.label"),
        related=tuple(related),
        entries=entries,
        disagreement=disagreement,
    )


class KnowledgeBase:
    """All answers and phrases, validated, in memory."""

    def __init__(
        self,
        aspects: Mapping[str, Aspect],
        sources: Mapping[str, Source],
        phrases: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.aspects = dict(aspects)
        self.sources = dict(sources)
        self.phrases = dict(phrases)

    @classmethod
    def load(
        cls,
        knowledge_file: Path = DEFAULT_KNOWLEDGE_FILE,
        phrases_file: Path = DEFAULT_PHRASES_FILE,
    ) -> KnowledgeBase:
        """Reads and validates both files.

        Raises:
            KnowledgeError: naming the file, the entry and the key that is wrong.
        """
        knowledge_file, phrases_file = Path(knowledge_file), Path(phrases_file)
        reader = _Reader(knowledge_file)
        document = reader.mapping(_load_yaml(knowledge_file), "file")
        sources = _parse_sources(reader, reader.key(document, "sources", "file"))
        raw_aspects = reader.mapping(reader.key(document, "aspects", "file"), "aspects")
        aspects = {
            aspect_id: _parse_aspect(reader, aspect_id, raw, sources)
            for aspect_id, raw in raw_aspects.items()
        }
        for scope, required in REQUIRED_ASPECTS.items():
            for aspect_id in required:
                if aspect_id not in aspects:
                    raise reader.fail("aspects", f"missing key '{aspect_id}'")
                if aspects[aspect_id].scope != scope:
                    raise reader.fail(f"aspects.{aspect_id}.scope", f"expected '{scope}'")
        for aspect in aspects.values():
            unknown = [related for related in aspect.related if related not in aspects]
            if unknown:
                raise reader.fail(f"aspects.{aspect.id}.related", f"unknown aspect(s) {unknown}")
        return cls(aspects, sources, _load_phrases(phrases_file))

    def has_aspect(self, aspect_id: str | None) -> TypeGuard[str]:
        return aspect_id in self.aspects

    def subject_for(self, aspect_id: str, requested: str | None) -> str:
        """The subject an answer covers: `both` for field aspects or when none is known."""
        aspect = self.aspects[aspect_id]
        if not aspect.per_subject or requested not in SUBJECTS:
            return BOTH
        return requested

    def answer(self, aspect_id: str, subject: str | None, language: str, focus: str | None = None) -> Answer:
        """The answer for an aspect about a subject (`bpo`, `call_center` or `both`).

        With `focus` ("inbound_outbound"), the answer is that comparison's own, for the
        subject whose entry has it; an unknown focus is ignored.
        """
        aspect = self.aspects[aspect_id]
        focused = next((e for e in aspect.entries.values() if focus and focus in e.focus), None)
        if focused is not None and focus is not None:
            part = focused.focus[focus]
            return Answer(
                aspect=aspect_id,
                subject=focused.subject,
                language=language,
                parts=(AnswerPart(focused.subject, part.answer[language], part.label[language]),),
                sources=part.sources,
                disagreement=None,
                related=aspect.related,
                focus=focus,
            )
        subject = self.subject_for(aspect_id, subject)
        subjects = SCOPES[aspect.scope] if subject == BOTH else (subject,)
        entries = [aspect.entries[s] for s in subjects]
        sources: list[Source] = []
        for entry in entries:
            sources.extend(source for source in entry.sources if source not in sources)
        return Answer(
            aspect=aspect_id,
            subject=subject,
            language=language,
            parts=tuple(
                AnswerPart(entry.subject, entry.answer[language], entry.summary[language])
                for entry in entries
            ),
            sources=tuple(sources),
            disagreement=aspect.disagreement.note[language] if aspect.disagreement else None,
            related=aspect.related,
        )

    def label(self, aspect_id: str, language: str) -> str:
        return self.aspects[aspect_id].label[language]

    def phrase(self, phrase_id: str, language: str, **values: Any) -> str:
        """One of the assistant's own lines, with `{placeholders}` filled in."""
        text = self.phrases[phrase_id][language]
        return text.format(**values) if values else text

    def subject_name(self, subject: str, language: str) -> str:
        return self.phrase(f"{SUBJECT_PHRASE_PREFIX}{subject}", language)


class ReloadableKnowledge:
    """The knowledge base a process serves: loaded on first use, and replaced only by a
    version that validates, so a bad edit followed by SIGHUP never takes answers away."""

    def __init__(self, knowledge_file: Path, phrases_file: Path) -> None:
        self.knowledge_file = knowledge_file
        self.phrases_file = phrases_file
        self._current: KnowledgeBase | None = None

    def current(self) -> KnowledgeBase:
        if self._current is None:
            self._current = KnowledgeBase.load(self.knowledge_file, self.phrases_file)
        return self._current

    def reload(self) -> KnowledgeBase:
        """Re-reads both files.

        Raises:
            KnowledgeError: the edited files are invalid; the last good version stays.
        """
        fresh = KnowledgeBase.load(self.knowledge_file, self.phrases_file)
        self._current = fresh
        return fresh


def _load_phrases(path: Path) -> dict[str, dict[str, str]]:
    reader = _Reader(path)
    document = reader.mapping(_load_yaml(path), "file")
    raw = reader.mapping(reader.key(document, "phrases", "file"), "phrases")
    phrases = {
        phrase_id: reader.per_language(texts, f"phrases.{phrase_id}") for phrase_id, texts in raw.items()
    }
    for phrase_id in REQUIRED_PHRASES:
        if phrase_id not in phrases:
            raise reader.fail("phrases", f"missing key '{phrase_id}'")
    return phrases
