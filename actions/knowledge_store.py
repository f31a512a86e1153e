"""The knowledge base the action server serves, loaded once and reloadable."""

from __future__ import annotations

import logging

from actions.settings import settings
from faq.knowledge import KnowledgeBase

logger = logging.getLogger(__name__)
_current: KnowledgeBase | None = None


def shared_knowledge() -> KnowledgeBase:
    """The validated knowledge base, loaded on first use (not at import time)."""
    global _current
    if _current is None:
        _current = KnowledgeBase.load(settings().knowledge_file, settings().phrases_file)
    return _current


def reload_knowledge() -> KnowledgeBase:
    """Re-reads the files; on an error the last good version keeps being served.

    Raises:
        KnowledgeError: when the edited files are invalid (the old version stays active).
    """
    global _current
    fresh = KnowledgeBase.load(settings().knowledge_file, settings().phrases_file)
    _current = fresh
    logger.info("Knowledge reloaded: %d aspects", len(fresh.aspects))
    return fresh
