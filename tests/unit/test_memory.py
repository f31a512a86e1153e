"""runtime/memory.py: freed heap memory goes back to the system once the model is loaded."""

from __future__ import annotations

import asyncio

from runtime import memory


def test_freed_memory_is_returned_where_glibc_is():
    assert memory.return_freed_memory() is True  # Debian's glibc, here and in CI


def test_rasa_loads_the_model_then_memory_is_returned(monkeypatch):
    import rasa.core.run

    calls = []

    async def load_agent_on_start(*args, **kwargs):
        calls.append("load")
        return "agent"

    async def periodically(every_seconds: float = 0.0) -> None:
        calls.append("every minute")

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load_agent_on_start)
    monkeypatch.setattr(memory, "return_freed_memory", lambda **_: calls.append("trim") or True)
    monkeypatch.setattr(memory, "return_freed_memory_periodically", periodically)
    memory.trim_after_model_load()

    async def serve() -> str:
        agent = await rasa.core.run.load_agent_on_start("model", None)
        await asyncio.sleep(0)  # the periodic task's first step
        return agent

    assert asyncio.run(serve()) == "agent"
    assert calls == ["load", "trim", "every minute"]


def test_the_periodic_trim_runs_until_the_server_stops(monkeypatch):
    trims = []
    monkeypatch.setattr(memory, "return_freed_memory", lambda collect_garbage: trims.append(collect_garbage))

    async def serve() -> None:
        task = asyncio.create_task(memory.return_freed_memory_periodically(every_seconds=0.01))
        await asyncio.sleep(0.055)
        task.cancel()

    asyncio.run(serve())
    assert 3 <= len(trims) <= 6 and not any(trims)


def test_tensorflow_loads_without_jax_once_jax_is_left_unloaded():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from runtime.memory import leave_jax_unloaded\n"
        "assert leave_jax_unloaded()\n"
        "import tensorflow.lite.python.util\n"
        "assert sys.modules['tensorflow.lite.python.util']._xla_computation is None\n"
        "assert 'jaxlib' not in sys.modules\n"
        "import rasa.engine.recipes.default_recipe\n"  # Rasa's components all import as before
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_jax_already_loaded_is_left_alone(monkeypatch):
    import sys
    import types

    from runtime.memory import leave_jax_unloaded

    loaded = types.ModuleType("jax")
    monkeypatch.setitem(sys.modules, "jax", loaded)
    assert not leave_jax_unloaded()
    assert sys.modules["jax"] is loaded
