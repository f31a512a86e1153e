"""channels/seen_messages.py: a Slack message is answered once, also across processes and
restarts when scaled out (a real redis-server on loopback)."""

from __future__ import annotations

import asyncio

from channels.seen_messages import MemorySeenMessages, RedisSeenMessages, seen_messages_for
from deploy.processes import free_port


def test_memory_answers_each_key_once_and_stays_bounded():
    seen = MemorySeenMessages(size=3)

    async def run() -> list[bool]:
        return [await seen.first_time(key) for key in ("a", "a", "b", "c", "d", "a")]

    # "a" is forgotten once three newer keys were seen: bounded memory.
    assert asyncio.run(run()) == [True, False, True, True, True, True]


def test_redis_answers_each_key_once_across_processes_and_restarts(redis_port):
    async def run() -> list[bool]:
        first_process = RedisSeenMessages.connect("127.0.0.1", redis_port, 0, "")
        second_process = RedisSeenMessages.connect("127.0.0.1", redis_port, 0, "")
        results = [
            await first_process.first_time("message:C1:1.0"),
            await second_process.first_time("message:C1:1.0"),
        ]
        # A restarted process starts with nothing in memory, and still knows the key.
        restarted = RedisSeenMessages.connect("127.0.0.1", redis_port, 0, "")
        results.append(await restarted.first_time("message:C1:1.0"))
        results.append(await restarted.first_time("message:C1:2.0"))
        return results

    assert asyncio.run(run()) == [True, False, False, True]


def test_without_redis_the_process_memory_decides():
    async def run() -> list[bool]:
        seen = RedisSeenMessages.connect("127.0.0.1", free_port(), 0, "")  # nothing listens there
        return [await seen.first_time("k"), await seen.first_time("k")]

    assert asyncio.run(run()) == [True, False]


def test_the_scale_mode_chooses_redis():
    assert isinstance(seen_messages_for("", "127.0.0.1", 6379, 0, ""), MemorySeenMessages)
    assert isinstance(seen_messages_for("postgres", "127.0.0.1", 6379, 0, ""), RedisSeenMessages)
