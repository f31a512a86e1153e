"""Accepting one review group: its examples appended to `data/nlu/<lang>/review_accepted.yml`.

Reads the group from `suggested_nlu.yml` as the maintainer left it (edited or not): every
example whose metadata names the group, under the intent of the block it is in, or under
the intent the maintainer names. Appends them as one block in the project's usual form
(`version: "3.1"`, a `|` block of "- " lines), with a comment naming the group and each
example's source turn. Examples already in the language's training data are skipped, and
so are held-out test questions, so accepting twice adds nothing. Nothing is trained here:
`make validate` and `make train` come next.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from faq.protocol import SUPPORTED_LANGUAGES
from reporting.grouping import normalise
from reporting.review_files import GROUP_KEY, LANGUAGE_KEY, utc
from reporting.training_data import held_out_questions, known_examples, plain

ACCEPTED_FILE = "review_accepted.yml"
ACCEPTED_HEADER = (
    'version: "3.1"\n'
    "# Examples accepted from `make review` groups (python -m reporting.review accept).\n"
    "# Each block names its review group and the turns its examples came from.\n"
    "nlu:\n"
)


class AcceptError(Exception):
    """The group cannot be accepted as asked; the message says why."""


@dataclass
class Suggested:
    intent: str
    text: str
    language: str
    source: str


@dataclass
class Accepted:
    path: Path
    intent: str
    added: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    held_out: list[str] = field(default_factory=list)


def read_group(suggestions: Path, group_id: str) -> list[Suggested]:
    """The examples of a group in the suggestions file, with the intent each is filed under."""
    try:
        document = yaml.safe_load(suggestions.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise AcceptError(f"cannot read {suggestions}: {error}") from error
    found = [
        _suggested(str(block.get("intent")), example)
        for block in document.get("nlu") or []
        if isinstance(block, dict) and isinstance(block.get("examples"), list)
        for example in block["examples"]
        if isinstance(example, dict) and (example.get("metadata") or {}).get(GROUP_KEY) == group_id
    ]
    if not found:
        raise AcceptError(f"no group {group_id!r} in {suggestions} (run `make review` first?)")
    return found


def _suggested(intent: str, example: dict[str, Any]) -> Suggested:
    metadata = example.get("metadata") or {}
    return Suggested(
        intent,
        " ".join(str(example.get("text") or "").split()),
        str(metadata.get(LANGUAGE_KEY) or ""),
        str(metadata.get("source") or ""),
    )


def accept(
    group_id: str,
    suggestions: Path,
    project: Path,
    intent: str | None = None,
    language: str | None = None,
    now: float | None = None,
) -> Accepted:
    """Appends the group's new examples to the language's accepted-examples file."""
    examples = [example for example in read_group(suggestions, group_id) if example.text]
    language = language or _one_language(examples, group_id)
    if language not in SUPPORTED_LANGUAGES:
        raise AcceptError(f"group {group_id} is in language {language!r}; name one of {SUPPORTED_LANGUAGES}")
    intent = intent or _one_intent(examples, group_id)
    nlu = project / "data" / "nlu"
    known = known_examples(nlu, language)
    held_out = held_out_questions(project / "tests")
    result = Accepted(nlu / language / ACCEPTED_FILE, intent)
    new: list[Suggested] = []
    for example in examples:
        key = normalise(plain(example.text))
        if key in held_out:
            result.held_out.append(example.text)
        elif key in known:
            result.already_there.append(example.text)
        else:
            known.add(key)
            new.append(example)
    if new:
        _append(result.path, group_id, intent, new, time.time() if now is None else now)
        result.added = [example.text for example in new]
    return result


def _one_language(examples: list[Suggested], group_id: str) -> str:
    languages = {example.language for example in examples}
    if len(languages) != 1:
        raise AcceptError(f"group {group_id} mixes languages {sorted(languages)}; name one with --language")
    return languages.pop()


def _one_intent(examples: list[Suggested], group_id: str) -> str:
    intents = list(dict.fromkeys(example.intent for example in examples))
    if len(intents) != 1:
        raise AcceptError(f"group {group_id}'s examples are filed under {intents}; name one with --intent")
    return intents[0]


def _append(path: Path, group_id: str, intent: str, examples: list[Suggested], now: float) -> None:
    """One block for the group, after what the file already holds (its comments kept)."""
    lines = [f"# review group {group_id}, accepted {utc(now)}; the source turn of each example:"]
    lines += [f"#   {number}. {example.source}" for number, example in enumerate(examples, start=1)]
    lines += [f"- intent: {intent}", "  examples: |"]
    lines += [f"    - {example.text}" for example in examples]
    block = "\n".join(lines) + "\n"
    existing = path.read_text(encoding="utf-8") if path.exists() else ACCEPTED_HEADER
    if not existing.endswith("\n"):
        existing += "\n"
    updated = existing + block
    _check(updated, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")


def _check(document: str, path: Path) -> None:
    """Refuses to write a file that would no longer be the NLU YAML the project expects."""
    try:
        parsed = yaml.safe_load(document)
    except yaml.YAMLError as error:
        raise AcceptError(f"{path} would not be valid YAML ({error}); left unchanged") from error
    nlu = parsed.get("nlu") if isinstance(parsed, dict) else None
    if not isinstance(nlu, list) or parsed.get("version") != "3.1":
        raise AcceptError(f'{path} must hold `version: "3.1"` and an `nlu:` list; left unchanged')
