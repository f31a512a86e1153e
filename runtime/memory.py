"""Memory Rasa's process has freed, returned to the operating system.

glibc keeps the heap memory a process frees for reuse, and it counts as the process's
resident memory ever after. Two moments leave a lot of it: loading the model (spaCy's
language data for five languages, the lemma tables, the classifier: ~10 MB of temporary
objects), and bursts of load (the request bodies, parse results and replies of 50
concurrent users). One `malloc_trim` after the model loads, and one a minute while the
server runs (a few milliseconds each), give it back: `make bench` measures Rasa + actions
over 10,000 messages after its load tests (README "Performance").
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import sys
from typing import Any

logger = logging.getLogger(__name__)

TRIM_EVERY_SECONDS = 60.0


def leave_jax_unloaded() -> bool:
    """Keeps JAX out of this process; False when something imported it already.

    Rasa imports TensorFlow whatever the pipeline (its policies' base module does), and
    TensorFlow 2.12 imports JAX only for TFLite's JAX converter, which Rasa never calls, and
    falls back when the import fails (`tensorflow/lite/python/util.py`). A `None` entry in
    `sys.modules` is Python's way to make an import fail: it saves ~65 MB of resident memory
    and ~0.5 s of start-up per Rasa process (measured with `make bench`).
    """
    if "jax" in sys.modules:
        return False
    sys.modules["jax"] = None  # type: ignore[assignment]
    return True


def _malloc_trim() -> Any:
    library = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(library).malloc_trim if library else None
    except (OSError, AttributeError):
        return None


def return_freed_memory(collect_garbage: bool = True) -> bool:
    """Asks glibc to return free heap memory (after a garbage collection, if asked); False
    where there is no glibc."""
    if collect_garbage:
        gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


async def return_freed_memory_periodically(every_seconds: float = TRIM_EVERY_SECONDS) -> None:
    """Runs for the server's lifetime. No garbage collection here: Python's own runs as
    usual, and a full collection of this process's heap would pause every reply."""
    while True:
        await asyncio.sleep(every_seconds)
        return_freed_memory(collect_garbage=False)


def trim_after_model_load() -> None:
    """Rasa's server loads the model in `rasa.core.run.load_agent_on_start`, on the server's
    event loop: memory is returned right after it, then every minute."""
    import rasa.core.run

    load_agent_on_start = rasa.core.run.load_agent_on_start
    running: set[asyncio.Task[None]] = set()

    async def load_agent_then_trim(*args: Any, **kwargs: Any) -> Any:
        agent = await load_agent_on_start(*args, **kwargs)
        if return_freed_memory():
            task = asyncio.get_running_loop().create_task(return_freed_memory_periodically())
            running.add(task)  # kept: the loop holds tasks only weakly
            task.add_done_callback(running.discard)
        else:
            logger.debug("No glibc malloc_trim here: freed memory stays with the process.")
        return agent

    rasa.core.run.load_agent_on_start = load_agent_then_trim
