"""`python -m faq.validate [KNOWLEDGE_FILE [PHRASES_FILE]]`: check the knowledge files.

Exits 1 with a message naming the file, the entry and the key when something is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

from faq.knowledge import DEFAULT_KNOWLEDGE_FILE, DEFAULT_PHRASES_FILE, KnowledgeBase, KnowledgeError


def main(argv: list[str]) -> int:
    knowledge_file = Path(argv[0]) if argv else DEFAULT_KNOWLEDGE_FILE
    phrases_file = Path(argv[1]) if len(argv) > 1 else DEFAULT_PHRASES_FILE
    try:
        knowledge = KnowledgeBase.load(knowledge_file, phrases_file)
    except KnowledgeError as error:
        print(f"invalid knowledge: {error}", file=sys.stderr)
        return 1
    entries = sum(len(aspect.entries) for aspect in knowledge.aspects.values())
    print(
        f"{knowledge_file}: {len(knowledge.aspects)} aspects, {entries} entries, "
        f"{len(knowledge.sources)} sources; {phrases_file}: {len(knowledge.phrases)} phrases: OK"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
