"""The review loop end to end, on a live stack started like `make run`.

Simulated users send 60 messages through the REST channel: questions the assistant
answers, off-topic requests, questions on the topic that no knowledge entry covers, and
paraphrases the current model gets wrong ("take home" read as working from home). Each
user reacts to what they get: a wrong answer is rated "not helpful", a "did you mean" that
offers what they meant is clicked, a right answer is sometimes rated "helpful".

Then, as a maintainer would: `python -m reporting.review` (what `make review` runs) on the
stack's tracker store; every suggested group accepted into a copy of the project and
`rasa data validate --fail-on-warnings` run there; one group (the "take home" pay
questions) accepted into another copy, the model retrained there (`rasa train --out`, never
into models/), and that group's questions asked again. At least half must now be answered
as the aspect the users meant. The questions here were written for this test.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from faq.protocol import CAPABILITIES_INTENT, aspect_intent
from reporting.privacy import mask_personal_data
from tests.conftest import PROJECT
from tests.live_stack import Stack

TURNS = 60
UNCOVERED, OFF_TOPIC, SMALL_TALK = "uncovered", "off_topic", "small_talk"
PAY = "ask_pay"

# The paraphrase family the current model gets wrong: "take home" pay.
TAKE_HOME = [
    "how much money do bpo folks take home",
    "how much do bpo folks take home a month",
    "bpo folks take home how much?",
    "how much money do call center folks take home",
    "my name is Maria Santos, how much do call center folks take home?",
    "how much cash do call centre folks take home",
]
# Worded like the group but never asked in the run: printed, to show how far the fix reaches.
UNSEEN = [
    "what do bpo folks take home weekly",
    "how much pay do call centre folks take home",
    "roughly how much do outsourcing folks take home",
]
PERSONAL_DATA = ["Maria", "Santos", "maria.santos@example.com", "917 555 1234", "+63"]

# (sender, [(text, what the user means)]): an aspect intent, or one of the kinds above.
SCRIPT: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "review-01",
        [("hi", SMALL_TALK), (TAKE_HOME[0], PAY), ("what skills do you need for a bpo job", "ask_skills")],
    ),
    ("review-02", [(TAKE_HOME[1], PAY), ("what's the weather tomorrow", OFF_TOPIC)]),
    ("review-03", [(TAKE_HOME[2], PAY), ("is there a dress code at bpo offices", UNCOVERED)]),
    ("review-04", [(TAKE_HOME[3], PAY), ("thanks!", SMALL_TALK)]),
    (
        "review-05",
        [(TAKE_HOME[4], PAY), ("email me at maria.santos@example.com about bpo pricing", "ask_cost")],
    ),
    (
        "review-06",
        [(TAKE_HOME[5], PAY), ("call me on +63 917 555 1234 about jobs in a call center", UNCOVERED)],
    ),
    (
        "review-07",
        [
            ("income of call center workers", PAY),
            ("do BPOs have a dress code", UNCOVERED),
            ("recommend a good pizza place near me", OFF_TOPIC),
        ],
    ),
    (
        "review-08",
        [
            ("what are the advantages of a call center", "ask_advantages"),
            ("call center dress code rules?", UNCOVERED),
            ("who won the football match yesterday", OFF_TOPIC),
        ],
    ),
    (
        "review-09",
        [
            ("Do BPO workers get free meals at the office?", UNCOVERED),
            ("can I smoke inside a call center", UNCOVERED),
            ("book me a flight to Manila", OFF_TOPIC),
        ],
    ),
    (
        "review-10",
        [
            ("Čo je call centrum?", "ask_definition"),
            ("Aký je dress code v call centre?", UNCOVERED),
            ("Aké bude zajtra počasie?", OFF_TOPIC),
            ("Ako dlho existujú call centrá?", "ask_history"),
        ],
    ),
    (
        "review-11",
        [
            ("apa kelebihan BPO?", "ask_advantages"),
            ("ada dress code di kantor BPO?", UNCOVERED),
            ("resep nasi goreng dong", OFF_TOPIC),
            ("Di mana saja lokasi BPO?", "ask_location"),
        ],
    ),
    (
        "review-12",
        [
            ("vad är BPO?", "ask_definition"),
            ("finns det klädkod på ett callcenter?", UNCOVERED),
            ("vad blir det för väder i morgon?", OFF_TOPIC),
            ("Vilka typer av BPO finns det?", "ask_types"),
        ],
    ),
    (
        "review-13",
        [
            ("Mitä BPO tarkoittaa?", "ask_definition"),
            ("onko puhelinkeskuksessa pukeutumiskoodi?", UNCOVERED),
            ("Mikä on Suomen pääkaupunki?", OFF_TOPIC),
            ("Miksi yritykset ulkoistavat?", "ask_cost"),
        ],
    ),
]
# Users who rate a right answer "helpful" (the others just read it).
RATERS = {"review-01", "review-08", "review-10", "review-11", "review-12", "review-13"}
# Asked by one more user until the run has TURNS messages.
FILLERS = [
    ("why do companies outsource customer support", "ask_cost"),
    ("Aké sú nevýhody call centra?", "ask_disadvantages"),
    ("Apa bedanya BPO dan call center?", "ask_difference"),
    ("Hur mycket tjänar man på ett callcenter?", PAY),
    ("Mitä puhelinkeskuksen työntekijä tekee?", "ask_services"),
    ("what is kpo", "ask_kpo"),
    ("is a call center the same thing as a bpo", "ask_relationship"),
    ("Kde sa nachádzajú BPO firmy?", "ask_location"),
    ("apakah call center buka 24 jam?", "ask_working_hours"),
    ("Vad är fördelarna med BPO?", "ask_advantages"),
    ("Mitkä ovat BPO:n haitat?", "ask_disadvantages"),
    ("what is the history of call centers", "ask_history"),
]


@dataclass
class Run:
    db_url: str
    sent: list[tuple[str, str]] = field(default_factory=list)  # (sender, text) in order
    outcomes: dict[str, str] = field(default_factory=dict)  # question -> what the user got


class SimulatedUser:
    """Sends a question and reacts to the reply the way the script's user would."""

    def __init__(self, client, run: Run) -> None:
        self.client = client
        self.run = run

    def send(self, sender: str, text: str) -> list[dict]:
        if len(self.run.sent) >= TURNS:
            raise AssertionError(f"the script needs more than {TURNS} messages; shorten it")
        self.run.sent.append((sender, text))
        return self.client.say(sender, text)

    def ask(self, sender: str, text: str, meant: str) -> None:
        replies = self.send(sender, text)
        tracker = self.client.tracker(sender)
        intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name") or ""
        aspect = (tracker.get("slots") or {}).get("aspect")
        payloads = [b.get("payload", "") for r in replies for b in r.get("buttons") or []]
        answered = intent.startswith("ask_") and intent != CAPABILITIES_INTENT
        self.run.outcomes[text] = f"answered {aspect}" if answered else intent
        if answered and meant.startswith("ask_") and aspect_intent(str(aspect)) == meant:
            if sender in RATERS:
                self.send(sender, '/feedback{"rating":"helpful"}')
        elif answered and meant != SMALL_TALK:
            self.send(sender, '/feedback{"rating":"not_helpful"}')
        else:
            picks = [payload for payload in payloads if payload.split("{")[0] == f"/{meant}"]
            if picks:
                self.send(sender, picks[0])


@pytest.fixture(scope="module")
def scripted_run(trained_model, tmp_path_factory) -> Run:
    """The 60-message run on a stack of its own; its tracker store, once the stack stopped."""
    from evaluation.conversations import Client

    tmp = tmp_path_factory.mktemp("review-stack")
    stack = Stack(tmp, trained_model)
    stack.start()
    run = Run(f"sqlite:///{tmp / 'tracker.db'}")
    try:
        user = SimulatedUser(Client(stack.url, stack.token), run)
        for sender, questions in SCRIPT:
            for text, meant in questions:
                user.ask(sender, text, meant)
        fillers = iter(FILLERS)
        while len(run.sent) < TURNS:
            text, meant = next(fillers)
            user.ask("review-14", text, meant)
    finally:
        stack.stop()  # the store is complete once the server has stopped
    print(f"\nScripted run: {len(run.sent)} messages; what the take-home questions got:")
    for text in TAKE_HOME:
        print(f"  {text!r}: {run.outcomes[text]}")
    return run


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT), "RASA_TELEMETRY_ENABLED": "false"}


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    finished = subprocess.run(
        command, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert (
        finished.returncode == 0
    ), f"{' '.join(command)}:\n{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
    return finished


@pytest.fixture(scope="module")
def reviewed(scripted_run: Run, trained_model, tmp_path_factory) -> Path:
    """What `make review` writes for the run's store."""
    out = tmp_path_factory.mktemp("review") / "review"
    command = [sys.executable, "-m", "reporting.review", "--db-url", scripted_run.db_url]
    _run([*command, "--out", str(out), "--model", str(trained_model)], PROJECT, timeout=600)
    return out


def _suggested(reviewed: Path) -> dict[str, dict]:
    """Group id -> its intent, language and example texts (annotations removed)."""
    groups: dict[str, dict] = {}
    document = yaml.safe_load((reviewed / "suggested_nlu.yml").read_text(encoding="utf-8"))
    for block in document["nlu"]:
        for example in block["examples"]:
            metadata = example["metadata"]
            group = groups.setdefault(
                metadata["review_group"],
                {"intent": block["intent"], "language": metadata["language"], "texts": []},
            )
            group["texts"].append(re.sub(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})", r"\1", example["text"]))
    return groups


def project_copy(root: Path) -> Path:
    """What `rasa data validate` and `rasa train` read, and the held-out sets accept checks."""
    for name in ("config.yml", "domain.yml"):
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / name, root / name)
    shutil.copytree(PROJECT / "data", root / "data")
    for folder in ("nlu_heldout", "real_questions", "blind_questions", "blind_questions_2"):
        shutil.copytree(PROJECT / "tests" / folder, root / "tests" / folder)
    return root


def _accept(reviewed: Path, group: str, project: Path) -> str:
    command = [sys.executable, "-m", "reporting.review", "accept", group]
    command += ["--suggestions", str(reviewed / "suggested_nlu.yml"), "--project", str(project)]
    return _run(command, PROJECT, timeout=120).stdout


def _validate(project: Path) -> None:
    _run([str(PROJECT / ".venv" / "bin" / "rasa"), "data", "validate", "--fail-on-warnings"], project, 600)


def test_the_run_has_60_turns_with_off_topic_and_uncovered_questions(scripted_run: Run) -> None:
    assert len(scripted_run.sent) == TURNS
    assert {sender for sender, _ in scripted_run.sent} >= {sender for sender, _ in SCRIPT}
    # The paraphrases are what the review must fix: the current model misses most of them.
    missed = [text for text in TAKE_HOME if scripted_run.outcomes[text] != "answered pay"]
    assert len(missed) >= 4, scripted_run.outcomes


def test_the_review_suggests_what_validates_once_merged_and_lists_what_no_aspect_covers(
    reviewed: Path, tmp_path: Path
) -> None:
    files = sorted(path.name for path in reviewed.iterdir())
    assert files == ["review.html", "suggested_nlu.yml", "uncovered.csv"]
    for path in reviewed.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not [data for data in PERSONAL_DATA if data in text], path.name
    groups = _suggested(reviewed)
    texts = [text for group in groups.values() for text in group["texts"]]
    assert not [text for text in texts if "dress code" in text or "weather" in text], texts
    with open(reviewed / "uncovered.csv", encoding="utf-8", newline="") as handle:
        uncovered = " ".join(row["all questions"] for row in csv.DictReader(handle))
    assert "dress code" in uncovered and "<phone>" in uncovered
    page = (reviewed / "review.html").read_text(encoding="utf-8")
    assert "resep nasi goreng dong" in page and "make review-accept GROUP=" in page

    merged = project_copy(tmp_path / "all-accepted")
    for group in groups:
        assert "Added " in _accept(reviewed, group, merged)
    accepted = sorted((merged / "data" / "nlu").glob("*/review_accepted.yml"))
    assert accepted, "nothing was accepted"
    _validate(merged)


def test_accepting_one_group_and_retraining_answers_its_questions(
    reviewed: Path, scripted_run: Run, parse, tmp_path: Path
) -> None:
    groups = _suggested(reviewed)
    masked = {mask_personal_data(text): text for text in TAKE_HOME}
    take_home = max(groups, key=lambda group: sum(text in masked for text in groups[group]["texts"]))
    group = groups[take_home]
    assert group["intent"] == PAY and group["language"] == "en", groups
    questions = [masked.get(text, text) for text in group["texts"]]  # what the users typed
    assert sum(text in TAKE_HOME for text in questions) >= 4, questions

    project = project_copy(tmp_path / "one-accepted")
    assert f"Added {len(questions)} examples of ask_pay" in _accept(reviewed, take_home, project)
    _validate(project)
    _run(
        [str(PROJECT / ".venv" / "bin" / "rasa"), "train", "--out", str(project / "models")]
        + ["--fixed-model-name", "after-review"],
        project,
        timeout=1800,
    )
    retrained = _parser(project / "models" / "after-review.tar.gz")
    before = [parse(text)["intent"]["name"] for text in questions]
    after = [retrained(text)["intent"]["name"] for text in questions]
    correct_before, correct_after = before.count(PAY), after.count(PAY)
    print(
        f"\nReview loop: group {take_home} ({len(questions)} questions) answered as {PAY}: "
        f"{correct_before}/{len(questions)} before, {correct_after}/{len(questions)} after accepting "
        "and retraining"
    )
    for text, old, new in zip(questions, before, after, strict=True):
        print(f"  {text!r}: {old} -> {new}")
    print("Not in the group (never asked, never trained on):")
    for text in UNSEEN:
        print(f"  {text!r}: {parse(text)['intent']['name']} -> {retrained(text)['intent']['name']}")
    assert correct_after * 2 >= len(questions), list(zip(questions, after, strict=True))
    assert correct_after > correct_before


def _parser(model: Path):
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def test_the_report_draws_its_charts_from_the_run(scripted_run: Run, tmp_path: Path) -> None:
    out = tmp_path / "report"
    _run(
        [sys.executable, "-m", "reporting.unanswered", "--db-url", scripted_run.db_url, "--out", str(out)],
        PROJECT,
        300,
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<img ") == 6 and not [data for data in PERSONAL_DATA if data in page]
    for language in ("en", "sk", "id", "sv", "fi"):
        assert f"<td>{language}</td>" in page
    assert all((out / name).stat().st_size > 5_000 for name in re.findall(r'<img src="([^"]+)"', page))
