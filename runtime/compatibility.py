"""Which Rasa version the runtime's replacements of Rasa internals were written for.

The optimisations in runtime/ change how parts of Rasa work (a method of `RemoteAction`,
the action endpoint's session and Rasa's shutdown listener, the graph runner
`rasa.core.processor` uses, the SQL tracker store's per-operation connections). They are
correct for the Rasa release they were written and tested against, and nothing guarantees
them on another. On any other version none is applied: the assistant runs on stock Rasa
behaviour, and one warning says which optimisations are off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

WRITTEN_FOR_RASA = "3.6.21"


def installed_rasa_version() -> str:
    from rasa.version import __version__

    return __version__


def optimisations_apply(version: str | None = None) -> bool:
    """Whether the installed (or given) Rasa is the release the optimisations were written for."""
    return (version or installed_rasa_version()) == WRITTEN_FOR_RASA


def apply(optimisations: dict[str, Callable[[], None]], version: str | None = None) -> list[str]:
    """Applies each named optimisation when the Rasa version matches; returns those applied.

    On another version nothing is applied and one warning names what is off.
    """
    version = version or installed_rasa_version()
    if not optimisations_apply(version):
        logger.warning(
            "Rasa %s is installed; runtime/ was written for Rasa %s, so these optimisations are off "
            "and stock Rasa behaviour is used: %s.",
            version,
            WRITTEN_FOR_RASA,
            ", ".join(optimisations),
        )
        return []
    for install in optimisations.values():
        install()
    return list(optimisations)
