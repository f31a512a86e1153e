"""Scores a running assistant on files of conversations, per language and per kind.

Talks to the stack as a client does: each turn goes to the REST channel, then the
conversation's tracker (HTTP API, token needed) tells which aspect, subject and language
answered. The case format is the shared evaluation's (faq_eval), so the same files run
in both; two optional keys add what this runner reports on:

    - - {q: "Inbound vs outbound call center", lang: en, aspect: types, subject: call_center,
         kind: intra_comparison, source: "https://..."}

A turn passes when every expectation it states holds: `aspect` and `subject` (a value or a
list of accepted values), `oos: true` (the intent is out_of_scope or nlu_fallback), and
`lang` (the `language` slot and the language the longest reply reads as).

    python -m evaluation.conversations tests/real_questions tests/blind_questions \\
        --url http://127.0.0.1:5005 --token TOKEN [--report out.json] [--min-accuracy 0.9]

A directory argument means every `*.yml` in it; each argument is reported as one set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from faq.protocol import FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, SUPPORTED_LANGUAGES

FALLBACK_INTENTS = {FALLBACK_INTENT, OUT_OF_SCOPE_INTENT}
DEFAULT_KIND = "plain"
Turn = dict[str, Any]


@dataclass
class TurnResult:
    case: Turn
    got: dict[str, Any]
    replies: list[str]
    latency_s: float | None
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def language(self) -> str:
        return str(self.case.get("lang") or "?")

    @property
    def kind(self) -> str:
        return str(self.case.get("kind") or DEFAULT_KIND)


def load_cases(path: Path) -> list[list[Turn]]:
    """The conversations in a file, or in every `*.yml` of a directory."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    conversations: list[list[Turn]] = []
    for file in files:
        loaded = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        if not isinstance(loaded, list) or not all(isinstance(c, list) for c in loaded):
            raise ValueError(f"{file}: expected a list of conversations (lists of turns)")
        conversations.extend(loaded)
    return conversations


class Client:
    def __init__(self, url: str, token: str, timeout: float = 30.0) -> None:
        self.base = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, url: str, body: dict | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            url, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read() or b"null")

    def say(self, sender: str, text: str) -> list[dict]:
        return (
            self._call("POST", f"{self.base}/webhooks/rest/webhook", {"sender": sender, "message": text})
            or []
        )

    def tracker(self, sender: str) -> dict:
        query = urllib.parse.urlencode({"token": self.token, "include_events": "NONE"})
        return (
            self._call("GET", f"{self.base}/conversations/{urllib.parse.quote(sender)}/tracker?{query}") or {}
        )


@lru_cache(maxsize=1)
def _reply_detector():
    # The shared harness's detector (lingua, full accuracy, the five languages), so both
    # runners judge a reply's language alike.
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def _reply_language(texts: Sequence[str]) -> str | None:
    """The language the longest reply reads as (the answer, not a short source line)."""
    text = max((t.strip() for t in texts if t and t.strip()), key=len, default="")
    if not text:
        return None
    found = _reply_detector().detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None


def _accepted(expected: Any) -> list:
    return list(expected) if isinstance(expected, list) else [expected]


def check(case: Turn, got: dict[str, Any], texts: Sequence[str]) -> list[str]:
    """The expectations of a turn that the reply did not meet."""
    failures = []
    if not any(t.strip() for t in texts):
        failures.append("no reply text")
    if case.get("oos"):
        if got.get("intent") not in FALLBACK_INTENTS:
            failures.append(f"intent {got.get('intent')!r} is not a fallback")
    else:
        for key in ("aspect", "subject"):
            if key in case and got.get(key) not in _accepted(case[key]):
                failures.append(f"{key} {got.get(key)!r} not in {_accepted(case[key])}")
    if "lang" in case:
        if got.get("language") != case["lang"]:
            failures.append(f"slot language {got.get('language')!r} != {case['lang']!r}")
        if got.get("reply_language") != case["lang"]:
            failures.append(f"reply reads as {got.get('reply_language')!r}, not {case['lang']!r}")
    return failures


def run_conversation(client: Client, conversation: Iterable[Turn]) -> list[TurnResult]:
    sender = f"eval-{uuid.uuid4().hex[:12]}"
    results = []
    for case in conversation:
        started = time.perf_counter()
        try:
            replies = client.say(sender, str(case["q"]))
            latency = time.perf_counter() - started
            tracker = client.tracker(sender)
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            results.append(TurnResult(case, {}, [], None, [f"request failed: {error}"]))
            continue
        slots = tracker.get("slots") or {}
        texts = [r.get("text") or "" for r in replies]
        got = {
            "intent": ((tracker.get("latest_message") or {}).get("intent") or {}).get("name"),
            "aspect": slots.get("aspect"),
            "subject": slots.get("subject"),
            "language": slots.get("language"),
            "reply_language": _reply_language(texts),
        }
        results.append(TurnResult(case, got, texts, latency, check(case, got, texts)))
    return results


def accuracy_by(results: Sequence[TurnResult], key: str) -> dict[str, tuple]:
    """(passed, total) per value of `key` ("language" or "kind")."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        groups[getattr(result, key)].append(result.passed)
    return {name: (sum(oks), len(oks)) for name, oks in sorted(groups.items())}


def summary_lines(name: str, results: Sequence[TurnResult]) -> list[str]:
    passed = sum(r.passed for r in results)
    total = len(results)
    lines = [f"== {name}: accuracy {passed / total if total else 0:.3f} ({passed}/{total} turns)"]
    for key in ("language", "kind"):
        cells = [f"{value} {ok}/{n}={ok / n:.2f}" for value, (ok, n) in accuracy_by(results, key).items()]
        lines.append(f"   by {key}: " + ", ".join(cells))
    latencies = sorted(r.latency_s for r in results if r.latency_s is not None)
    if latencies:
        lines.append(f"   latency p50 {statistics.median(latencies) * 1000:.1f} ms")
    return lines


def main(argv: list[str] | None = None) -> int:
    from settings import settings

    current = settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="+", type=Path, help="case files or directories of them")
    parser.add_argument("--url", default=f"http://{current.rasa_host}:{current.rasa_port}")
    parser.add_argument("--token", default=current.rasa_api_token, help="default: RASA_API_TOKEN")
    parser.add_argument("--report", type=Path, help="write every turn's result as JSON here")
    parser.add_argument("--min-accuracy", type=float, default=0.0, help="exit 1 when any set scores lower")
    parser.add_argument("--quiet", action="store_true", help="do not list failing turns")
    args = parser.parse_args(argv)

    client = Client(args.url, args.token)
    report: dict[str, list[dict]] = {}
    lowest = 1.0
    for path in args.cases:
        results = [r for conversation in load_cases(path) for r in run_conversation(client, conversation)]
        if not args.quiet:
            for result in results:
                if not result.passed:
                    print(
                        f"FAIL [{result.language}/{result.kind}] {result.case['q']!r}: "
                        + "; ".join(result.failures)
                    )
        print("\n".join(summary_lines(str(path), results)))
        report[str(path)] = [
            {
                "case": r.case,
                "got": r.got,
                "replies": r.replies,
                "latency_s": r.latency_s,
                "failures": r.failures,
            }
            for r in results
        ]
        lowest = min(lowest, sum(r.passed for r in results) / len(results) if results else 0.0)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if lowest >= args.min_accuracy else 1


if __name__ == "__main__":
    sys.exit(main())
