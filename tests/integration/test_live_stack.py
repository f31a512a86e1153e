"""The assistant as clients see it: REST channel plus tracker API on a stack started like `make run`."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import uuid
from collections import defaultdict

import pytest

from tests.conftest import PROJECT

FAQ_EVAL = PROJECT.parent / "shared" / "eval" / "faq_eval.py"
SAMPLE = PROJECT.parent / "shared" / "eval" / "sample.yml"
HELDOUT = PROJECT / "tests" / "eval" / "heldout.yml"


def _post(stack, sender: str, text: str) -> list:
    request = urllib.request.Request(
        f"{stack.url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _tracker(stack, sender: str) -> dict:
    url = f"{stack.url}/conversations/{sender}/tracker?token={stack.token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _faq_eval(stack, cases, tmp_path):
    report = tmp_path / "report.json"
    completed = subprocess.run(
        [sys.executable, str(FAQ_EVAL), str(cases), "--url", stack.url, "--token", stack.token,
         "--report", str(report)],
        capture_output=True, text=True, timeout=900,
    )
    print(completed.stdout[-3000:])
    by_language = defaultdict(list)
    for turn in json.loads(report.read_text(encoding="utf-8")):
        by_language[turn["lang"]].append(not turn["failures"])
    return completed, {lang: sum(oks) / len(oks) for lang, oks in by_language.items()}


@pytest.mark.skipif(not FAQ_EVAL.exists(), reason="../shared/eval is not beside this checkout")
def test_public_sample_scores_at_least_095(stack, tmp_path):
    completed, _ = _faq_eval(stack, SAMPLE, tmp_path)
    accuracy = float(completed.stdout.strip().splitlines()[-1].split()[1])
    assert accuracy >= 0.95


@pytest.mark.skipif(not FAQ_EVAL.exists(), reason="../shared/eval is not beside this checkout")
def test_own_heldout_conversations_score_per_language(stack, tmp_path):
    completed, per_language = _faq_eval(stack, HELDOUT, tmp_path)
    accuracy = float(completed.stdout.strip().splitlines()[-1].split()[1])
    assert accuracy >= 0.90
    assert set(per_language) == {"en", "sk", "id", "sv", "fi"}
    assert all(score >= 0.85 for score in per_language.values()), per_language


def test_answer_carries_text_sources_and_follow_up_buttons(stack):
    sender = f"test-{uuid.uuid4().hex}"
    replies = _post(stack, sender, "Aké zručnosti potrebujem do call centra?")
    texts = [r["text"] for r in replies if r.get("text")]
    assert texts[0].startswith("Call centrá") or "call centr" in texts[0].lower()
    assert any(t.startswith("Zdroje") for t in texts), texts
    sources = [r["custom"]["sources"] for r in replies if "custom" in r]
    assert sources and all(s["title"] for s in sources[0])
    assert any(r.get("buttons") for r in replies)
    slots = _tracker(stack, sender)["slots"]
    assert (slots["aspect"], slots["subject"], slots["language"]) == ("skills", "call_center", "sk")


def test_gibberish_gets_a_clarification_and_keeps_the_aspect(stack):
    sender = f"test-{uuid.uuid4().hex}"
    _post(stack, sender, "What are the advantages of BPO?")
    replies = _post(stack, sender, "xqzv blorf wug")
    tracker = _tracker(stack, sender)
    assert tracker["latest_message"]["intent"]["name"] in {"nlu_fallback", "out_of_scope"}
    assert replies and replies[0]["text"]
    assert tracker["slots"]["aspect"] == "advantages"
