"""What the review needs to know of the training data: the examples already there, the
held-out questions that must never be trained on, and how to annotate a new example.

Reads the YAML files directly (no Rasa import): `data/nlu/<lang>/*.yml` in either of Rasa's
example forms (a `|` block of "- " lines, or a list of `text:` entries), and the held-out
sets under `tests/` (Rasa NLU files, and the question lists with a `q` per question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from faq.protocol import ENTITY_SUBJECT
from faq.text import fold
from reporting.grouping import normalise

# "[BPO](subject)", "[BPOs]{"entity": "subject", "value": "bpo"}": the annotation, not the words.
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
HELD_OUT_FOLDERS = ("nlu_heldout", "real_questions", "blind_questions", "blind_questions_2")


def plain(example: str) -> str:
    """An example's text without its entity annotations."""
    return _ANNOTATION.sub(r"\1", example)


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def nlu_examples(document: Any) -> Iterator[tuple[str, str]]:
    """(intent, example with its annotations) for every intent example of a Rasa NLU document."""
    blocks = document.get("nlu") if isinstance(document, dict) else None
    for block in blocks or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        examples = block.get("examples") or ""
        if isinstance(examples, str):
            lines = [line.strip() for line in examples.splitlines()]
            texts = [line[2:].strip() for line in lines if line.startswith("- ")]
        else:
            texts = [str(entry.get("text", "")).strip() for entry in examples if isinstance(entry, dict)]
        yield from ((str(block["intent"]), text) for text in texts if text)


def known_examples(nlu_folder: Path, language: str) -> set[str]:
    """The normalised texts of every example already in `nlu_folder/<language>/`."""
    return {
        normalise(plain(text))
        for path in sorted((nlu_folder / language).glob("*.yml"))
        for _, text in nlu_examples(_load(path))
    }


def held_out_questions(tests_folder: Path) -> set[str]:
    """The normalised texts of every held-out question (never to be trained on)."""
    found: set[str] = set()
    for folder in HELD_OUT_FOLDERS:
        for path in sorted((tests_folder / folder).glob("*.yml")):
            document = _load(path)
            found |= {normalise(plain(text)) for _, text in nlu_examples(document)}
            found |= {normalise(text) for text in _questions(document)}
    return found


def _questions(node: Any) -> Iterator[str]:
    """Every `q` value in a nested list of question records."""
    if isinstance(node, dict):
        if isinstance(node.get("q"), str):
            yield node["q"]
    elif isinstance(node, list):
        for child in node:
            yield from _questions(child)


def subject_synonyms(nlu_folder: Path, language: str) -> dict[str, str]:
    """Folded surface form -> subject value, from the language's synonym entries."""
    synonyms: dict[str, str] = {}
    for path in sorted((nlu_folder / language).glob("*.yml")):
        document = _load(path)
        for block in (document.get("nlu") if isinstance(document, dict) else None) or []:
            if isinstance(block, dict) and "synonym" in block:
                lines = str(block.get("examples") or "").splitlines()
                for line in (line.strip() for line in lines):
                    if line.startswith("- "):
                        synonyms[fold(line[2:].strip())] = str(block["synonym"])
    return synonyms


_BRACKETS = str.maketrans("[]{}", "()()")


def safe_text(text: str) -> str:
    """A user's text as one training example line: one line, and no brackets that Rasa would
    read as an entity annotation."""
    return " ".join(text.translate(_BRACKETS).split())


def annotate(text: str, spans: Iterable[tuple[int, int, str]], synonyms: dict[str, str]) -> str:
    """The example with its subject mentions annotated, Rasa's way.

    Args:
        text: the (masked) text the spans refer to.
        spans: (start, end, value) of each subject the model found.
        synonyms: the language's folded surface forms and their values; a known form is
            written `[BPO](subject)`, any other with its value spelt out.
    """
    text = text.translate(_BRACKETS)  # the same length: the spans still fit
    parts: list[str] = []
    position = 0
    for start, end, value in sorted(spans):
        if start < position or start >= end or end > len(text):
            continue
        parts += [text[position:start], _annotation(text[start:end], value, synonyms)]
        position = end
    parts.append(text[position:])
    return " ".join("".join(parts).split())


def _annotation(surface: str, value: str, synonyms: dict[str, str]) -> str:
    if synonyms.get(fold(surface)) == value or fold(surface) == fold(value.replace("_", " ")):
        return f"[{surface}]({ENTITY_SUBJECT})"
    return f'[{surface}]{{"entity": "{ENTITY_SUBJECT}", "value": "{value}"}}'
