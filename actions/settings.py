"""The action server's settings: the project's settings (settings/), read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from settings import settings as project_settings


@dataclass(frozen=True)
class Settings:
    knowledge_file: Path
    phrases_file: Path

    @classmethod
    def from_env(cls) -> Settings:
        current = project_settings()
        return cls(current.path(current.knowledge_file), current.path(current.phrases_file))


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
