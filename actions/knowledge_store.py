"""The knowledge base the action server serves, loaded once and reloadable (SIGHUP)."""

from __future__ import annotations

import logging
from functools import lru_cache

from actions.settings import settings
from faq.knowledge import KnowledgeBase, ReloadableKnowledge

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _store() -> ReloadableKnowledge:
    return ReloadableKnowledge(settings().knowledge_file, settings().phrases_file)


def shared_knowledge() -> KnowledgeBase:
    """The validated knowledge base, loaded on first use (not at import time)."""
    return _store().current()


def reload_knowledge() -> KnowledgeBase:
    """Re-reads the files; on an error the last good version keeps being served.

    Raises:
        KnowledgeError: when the edited files are invalid (the old version stays active).
    """
    fresh = _store().reload()
    logger.info("Knowledge reloaded: %d aspects", len(fresh.aspects))
    return fresh
