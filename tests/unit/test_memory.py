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
