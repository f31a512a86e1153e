"""Rate limits: a flood from one conversation is answered 429 with Retry-After and a polite
line in the user's language, while another conversation goes on being answered."""

from __future__ import annotations

import json
import statistics
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from channels.input_guard import RateLimiter
from tests.live_stack import STACK_SENDER_BURST

FLOOD = 3 * STACK_SENDER_BURST


def _post(url: str, sender: str, text: str) -> tuple[int, dict[str, str], list, float]:
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return (
                response.status,
                dict(response.headers),
                json.loads(response.read()),
                time.perf_counter() - started,
            )
    except urllib.error.HTTPError as error:
        return (
            error.code,
            dict(error.headers),
            json.loads(error.read() or b"[]"),
            time.perf_counter() - started,
        )


def test_a_token_bucket_allows_the_burst_then_the_rate():
    limiter = RateLimiter(rate_per_minute=60, burst=3)
    assert [limiter.wait_seconds("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait_seconds("a", now=0.0) == 1.0  # one message a second
    assert limiter.wait_seconds("b", now=0.0) == 0.0  # another key has its own bucket
    assert limiter.wait_seconds("a", now=1.0) == 0.0


def test_the_limiter_keeps_a_bounded_number_of_keys():
    limiter = RateLimiter(rate_per_minute=60, burst=1, max_keys=100)
    for index in range(1000):
        limiter.wait_seconds(f"sender-{index}", now=0.0)
    assert len(limiter._buckets) == 100


def test_a_flooding_sender_gets_429_and_another_sender_is_not_slowed(stack):
    calm, flooder = f"calm-{uuid.uuid4().hex}", f"flood-{uuid.uuid4().hex}"
    baseline = [_post(stack.url, calm, "What is BPO?")[3] for _ in range(3)]
    # All at once, as a script would: the limit is checked when a message arrives.
    with ThreadPoolExecutor(max_workers=FLOOD) as pool:
        flood = pool.map(lambda _: _post(stack.url, flooder, "Mikä on BPO?"), range(FLOOD))
        during = [_post(stack.url, calm, "What skills do call center agents need?") for _ in range(3)]
        flood = list(flood)
    refused = [result for result in flood if result[0] == 429]
    assert refused, "the flood was never limited"
    status, headers, replies, _ = refused[0]
    assert int(headers["Retry-After"]) >= 1
    assert "odota" in replies[0]["text"].lower()  # polite, and in the flooder's language (Finnish)
    assert all(result[0] == 200 for result in during)
    assert all(result[2] for result in during)  # the calm user got answers
    print(
        f"\n  rate limit: {len(refused)}/{FLOOD} flood messages refused (429); the other user's p50 "
        f"{statistics.median(baseline) * 1000:.0f} ms before, "
        f"{statistics.median(r[3] for r in during) * 1000:.0f} ms during the flood"
    )
