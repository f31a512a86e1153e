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

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load_agent_on_start)
    monkeypatch.setattr(memory, "return_freed_memory", lambda: calls.append("trim") or True)
    memory.trim_after_model_load()
    assert asyncio.run(rasa.core.run.load_agent_on_start("model", None)) == "agent"
    assert calls == ["load", "trim"]
