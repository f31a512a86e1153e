"""Action server settings, read once from the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from faq.knowledge import DEFAULT_KNOWLEDGE_FILE, DEFAULT_PHRASES_FILE


@dataclass(frozen=True)
class Settings:
    knowledge_file: Path
    phrases_file: Path

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            knowledge_file=Path(os.environ.get("KNOWLEDGE_FILE") or DEFAULT_KNOWLEDGE_FILE),
            phrases_file=Path(os.environ.get("PHRASES_FILE") or DEFAULT_PHRASES_FILE),
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
