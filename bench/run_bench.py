"""`make bench`: the project against Rasa's defaults, side by side.

For (a) the project and (b) Rasa's defaults (same data, domain and actions), it trains a
model, serves it with its action server on loopback, and measures: p50/p95 latency with
1 user; throughput and p95 with 10 and 50 concurrent users (6-turn conversations); peak
RSS of the Rasa and action server processes; training time; model size; accuracy on the
held-out conversations (tests/eval/heldout.yml, faq_eval format). Then, for long
conversations: the growth curve (p50/p95 at turns 1-20, 181-200 and 481-500, each window a
conversation of its own played up to it, the windows measured side by side) and 1 and 10
users each continuing a 200-turn conversation; and for (a)
resident memory over 10,000 messages in 500 conversations. Prints the tables with the
ratios (a)/(b) and the targets met or not, writes results/bench/bench.json, bench.md and
bench.png (with the growth curve), and reports progress as it goes.

(a) is config.yml served as `make run` serves it: runtime/rasa_server.py with endpoints.yml
(the cached SQLite tracker store). (b) is bench/default-config.yml served by Rasa as it
ships: `rasa run` with Rasa's SQL tracker store on SQLite (bench/endpoints.stock.yml). A
third run serves (b)'s model the way (a) is served, to show how much of the difference is
the configuration and how much the serving: it is reported below the table.

    python bench/run_bench.py            full run (trains both, then the scale-out runs)
    python bench/run_bench.py --smoke    checks that it works: English data, short loads
    python bench/run_bench.py --train-only   trains (or reuses) both models, measures nothing

Load is bounded in requests and time and targets 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
RASA = PROJECT / ".venv" / "bin" / "rasa"
OWN_EVAL = PROJECT / "tests" / "eval" / "heldout.yml"
TOKEN = "bench-token"
# Conversations in the load test are this long, like a visitor asking a few questions.
TURNS_PER_CONVERSATION = 6
CONFIGS = {"project": PROJECT / "config.yml", "rasa_default": PROJECT / "bench" / "default-config.yml"}
# Stock Rasa's REST channel, the one the default-config peer is served with.
BENCH_CHANNELS = PROJECT / "bench" / "credentials.yml"
# How a model is served: the project's runtime and endpoints, or Rasa as it ships.
# None: the endpoints settings/ writes for this server's ports and database, as `make run` does.
PROJECT_SERVING = ([str(PYTHON), "-m", "runtime.rasa_server"], None)
STOCK_SERVING = ([str(RASA)], PROJECT / "bench" / "endpoints.stock.yml")
SERVED_ALIKE = "rasa_default_served_like_project"

# `python bench/run_bench.py` puts bench/, not the project, on sys.path; deploy/ is imported from there.
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
from deploy.processes import ServerProcess, free_port, rasa_run_arguments, stop_all  # noqa: E402


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(PROJECT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **(extra or {}),
    }


def training_fingerprint(config: Path, data: list[str]) -> str:
    """A digest of everything a model is trained from: config, domain, data and our components."""
    import hashlib

    digest = hashlib.sha256()
    files = [config, PROJECT / "domain.yml"]
    if "nlu_components." in config.read_text(encoding="utf-8"):  # the project's own components and their data
        files += sorted(PROJECT.glob("nlu_components/*.py")) + sorted(PROJECT.glob("faq/*.py"))
    for root in map(Path, data):
        files += sorted(root.rglob("*.yml")) if root.is_dir() else [root]
    for path in files:
        digest.update(str(path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train(name: str, config: Path, data: list[str], out: Path) -> dict[str, float]:
    """Trains a model, or reuses the one trained from the very same inputs (its training
    time is the one measured then): Rasa's default pipeline takes over half an hour here."""
    model, stamp = out / f"{name}.tar.gz", out / f"{name}.training.json"
    fingerprint = training_fingerprint(config, data)
    if model.exists() and stamp.exists():
        trained = json.loads(stamp.read_text(encoding="utf-8"))
        if trained.get("fingerprint") == fingerprint:
            log(f"reusing {name}: trained from the same inputs in {trained['train_seconds']:.0f} s")
            return {"train_seconds": trained["train_seconds"], "model_mb": model.stat().st_size / 1e6}
    log(f"training {name} ({config.name})")
    started = time.perf_counter()
    subprocess.run(
        [
            str(RASA),
            "train",
            "--config",
            str(config),
            "--data",
            *data,
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--force",
        ],
        cwd=PROJECT,
        env=environment(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "train_seconds": seconds}), encoding="utf-8")
    log(f"trained {name} in {seconds:.0f} s ({model.stat().st_size / 1e6:.1f} MB)")
    return {"train_seconds": seconds, "model_mb": model.stat().st_size / 1e6}


class Server:
    """An action server and a Rasa server for one model, on free loopback ports."""

    def __init__(self, model: Path, workdir: Path, serving: tuple = PROJECT_SERVING) -> None:
        self.rasa_port, self.action_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        env = environment(
            {
                "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
                "TRACKER_DB": str(workdir / f"tracker-{uuid.uuid4().hex[:6]}.db"),
                "RASA_API_TOKEN": TOKEN,
                # The bench drives conversations far faster than anyone types: no per-conversation
                # limit (the limiter itself is measured in tests/reliability/test_rate_limits.py).
                "RATE_LIMIT_SENDER_PER_MINUTE": "1000000",
                "RATE_LIMIT_SENDER_BURST": "1000000",
            }
        )
        self.tracker_db = Path(env["TRACKER_DB"])
        log_path = workdir / "server.log"  # both servers append to it
        self.actions = ServerProcess(
            [str(PYTHON), "-m", "actions.server", "--host", "127.0.0.1", "--port", str(self.action_port)],
            cwd=PROJECT,
            env=env,
            log_path=log_path,
            ready_urls=[f"http://127.0.0.1:{self.action_port}/health"],
            name="action server",
        ).start()
        command, endpoints = serving
        if endpoints is None:
            from settings import Settings

            endpoints = workdir / f"endpoints-{uuid.uuid4().hex[:6]}.yml"
            endpoints.write_text(Settings.from_environment(env).endpoints_yaml(), encoding="utf-8")
        self.rasa = ServerProcess(
            [
                *command,
                *rasa_run_arguments(model, endpoints, BENCH_CHANNELS, self.rasa_port),
                "--enable-api",
                # runtime.rasa_server takes the token from RASA_API_TOKEN; stock Rasa only from here.
                *([] if serving is PROJECT_SERVING else ["--auth-token", TOKEN]),
            ],
            cwd=PROJECT,
            env=env,
            log_path=log_path,
            ready_urls=[f"{self.url}/status?token={TOKEN}"],
            name="rasa",
        ).start()
        # Both load in parallel; together they get 300 s to answer.
        deadline = time.monotonic() + 300
        try:
            for server in (self.actions, self.rasa):
                server.wait_ready(timeout=deadline - time.monotonic())
        except BaseException:  # not ready, or Ctrl-C while waiting: stop both, not only the late one
            self.stop()
            raise

    def peak_rss_mb(self) -> dict[str, float]:
        def peak(pid: int) -> float:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
            return 0.0

        rasa, actions = peak(self.rasa.pid), peak(self.actions.pid)
        return {"rss_rasa_mb": rasa, "rss_actions_mb": actions, "rss_total_mb": rasa + actions}

    def rss_mb(self) -> float:
        """The Rasa and action server processes' resident memory now (not their peak)."""

        def resident(pid: int) -> float:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
            return 0.0

        return resident(self.rasa.pid) + resident(self.actions.pid)

    def stop(self) -> None:
        stop_all([self.rasa, self.actions], timeout=30)


_CONNECTIONS = threading.local()


def ask(url: str, sender: str, text: str) -> float:
    """One REST message and its reply, on this thread's kept-open connection to `url`, as a
    browser or a Slack gateway reuses its connection: a new connection per message measured
    the client's and the kernel's connection setup along with the assistant."""
    address = urllib.parse.urlsplit(url)
    connections: dict[str, http.client.HTTPConnection] = _CONNECTIONS.__dict__.setdefault("open", {})
    body = json.dumps({"sender": sender, "message": text}).encode()
    started = time.perf_counter()
    while True:
        connection = connections.get(address.netloc)
        reused = connection is not None
        if connection is None:
            connection = connections[address.netloc] = http.client.HTTPConnection(
                address.hostname, address.port, timeout=60
            )
        try:
            connection.request("POST", "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        except (http.client.HTTPException, OSError) as error:
            # Never reused after a failure. A kept-open connection the server has just closed
            # (its keep-alive timed out) is tried once more on a new one.
            connection.close()
            del connections[address.netloc]
            if not reused:
                raise OSError(f"{url}: {error!r}") from error
            started = time.perf_counter()
            continue
        if response.status >= 400:
            raise OSError(f"HTTP {response.status} from {url}")
        return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def load(
    url: str,
    questions: list[str],
    users: int,
    seconds: float,
    max_requests: int,
    conversations: list[str] | None = None,
    turns_per_conversation: int = TURNS_PER_CONVERSATION,
) -> dict[str, float]:
    """`users` threads, each a user asking questions in its own conversation, until the time
    or the request budget runs out: new visitors' conversations of TURNS_PER_CONVERSATION
    turns, or, given `conversations` (one a user), that conversation continued."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(continued: str | None) -> None:
        rng = random.Random()
        sender, turns = continued or f"bench-{uuid.uuid4().hex}", 0
        while time.monotonic() < deadline:
            if turns == turns_per_conversation and not continued:  # a new visitor, a new conversation
                sender, turns = f"bench-{uuid.uuid4().hex}", 0
            turns += 1
            with lock:
                if len(latencies) + errors[0] >= max_requests:
                    return
            try:
                elapsed = ask(url, sender, rng.choice(questions))
                with lock:
                    latencies.append(elapsed)
            except OSError:
                with lock:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [
        threading.Thread(target=user, args=(conversations[number] if conversations else None,))
        for number in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "throughput": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "requests": len(latencies),
        "errors": errors[0],
    }


# Throughput is the median of this many windows: on a 2-core machine one 20 s window of the
# same code measured anywhere from 73 to 134 msg/s across runs (76 to 121 within one), more
# than the margins the scale-out targets are judged by.
THROUGHPUT_WINDOWS = 3
# The scale-out's clusters: this many Rasa processes each.
SCALE_OUT_PROCESSES = (1, 2)


def load_windows(
    url: str, questions: list[str], users: int, windows: int, **load_args: Any
) -> dict[str, Any]:
    """`load` run `windows` times in a row: the median window's throughput and p95, and the
    errors of all windows together."""
    return median_window([load(url, questions, users, **load_args) for _ in range(windows)])


def load_windows_side_by_side(
    urls: dict[Any, str], questions: list[str], users: int, windows: int, **load_args: Any
) -> dict[Any, dict[str, Any]]:
    """`load_windows` for several servers at once, their windows taking turns (the order
    turned round each round: A B, B A, A B): a slow spell of the host falls on all of them
    alike. Measured one after the other, the scale-out's 1 and 2 processes were minutes apart,
    and consecutive runs of the same cluster differed by up to a fifth."""
    runs: dict[Any, list[dict[str, Any]]] = {name: [] for name in urls}
    for round_number in range(windows):
        order = list(urls) if round_number % 2 == 0 else list(reversed(urls))
        for name in order:
            runs[name].append(load(urls[name], questions, users, **load_args))
    return {name: median_window(measured) for name, measured in runs.items()}


def median_window(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median window's throughput and p95, with every window's throughput and the errors
    of all windows together."""
    runs = sorted(runs, key=lambda run: run["throughput"])
    middle = runs[len(runs) // 2]
    return {
        **middle,
        "throughput_windows": [round(run["throughput"], 1) for run in runs],
        "errors": sum(run["errors"] for run in runs),
    }


# The growth curve: these turns of one long conversation, one user at a time.
GROWTH_WINDOWS = ((1, 20), (181, 200), (481, 500))
SMOKE_GROWTH_WINDOWS = ((1, 10), (31, 40))
# The load tests are also run on conversations this long (each user continues its own).
LONG_CONVERSATION_TURNS = 200
SMOKE_LONG_TURNS = 30


def growth(url: str, questions: list[str], windows: tuple[tuple[int, int], ...]) -> dict[str, float]:
    """p50 and p95 of each window of turns, one user. Each window has a conversation of its
    own, first played unmeasured up to the turn before the window; then the windows are
    measured together, one turn of each in turn. A few slow seconds of the host then fall on
    every window alike: measured one after the other, they fell on whichever window was
    being played, and moved the ratio of the last window to the first by 0.3 between runs.
    Every window asks the same questions in the same order (`growth_question`), so that the
    windows differ only in how far into a conversation they are.
    Returns them with the id of the longest conversation (`growth_sender`)."""
    run = uuid.uuid4().hex[:8]
    senders = [f"bench-growth-{first}-{run}" for first, _ in windows]
    for sender, (first, _) in zip(senders, windows, strict=True):
        for turn in range(1, first):
            ask(url, sender, growth_question(questions, windows, turn))
    latencies: list[list[float]] = [[] for _ in windows]
    for offset in range(max(last - first + 1 for first, last in windows)):
        for measured, sender, (first, last) in zip(latencies, senders, windows, strict=True):
            if first + offset <= last:
                text = growth_question(questions, windows, first + offset)
                measured.append(ask(url, sender, text) * 1000)
    result: dict[str, Any] = {"growth_sender": senders[-1]}
    for window, (first, last) in zip(latencies, windows, strict=True):
        result[f"growth_p50_{first}_{last}_ms"] = statistics.median(window)
        result[f"growth_p95_{first}_{last}_ms"] = percentile(window, 0.95)
    return result


def growth_question(questions: list[str], windows: tuple[tuple[int, int], ...], turn: int) -> str:
    """The question of a growth conversation's `turn` (from 1): the n-th turn of every window
    asks the n-th question; the turns between windows go through the list in order."""
    for first, last in windows:
        if first <= turn <= last:
            return questions[(turn - first) % len(questions)]
    return questions[turn % len(questions)]


def copy_conversation(database: Path, source: str, turns: int, copies: list[str]) -> None:
    """Stores, under each of `copies`, the first `turns` turns of conversation `source` as the
    server stored them: conversations that are already that long, without playing them again
    (at the peer's speed, 200 turns for each of 10 users would take most of an hour)."""
    import sqlite3

    with sqlite3.connect(database, timeout=30) as connection:
        user_rows = connection.execute(
            "SELECT id FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (source,)
        ).fetchall()
        if len(user_rows) <= turns:
            raise ValueError(f"{source} has {len(user_rows)} turns, fewer than {turns + 1}")
        end = user_rows[turns][0]  # the first row of the turn after the last one copied
        for copy in copies:
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "SELECT ?, type_name, timestamp, intent_name, action_name, data FROM events "
                "WHERE sender_id = ? AND id < ? ORDER BY id",
                (copy, source, end),
            )


def accuracy(url: str, cases: Path, workdir: Path) -> float:
    """The share of turns the project's own evaluation runner (evaluation/) scores as right."""
    from evaluation.conversations import Client, load_cases, run_conversation

    client = Client(url, TOKEN)
    results = [r for conversation in load_cases(cases) for r in run_conversation(client, conversation)]
    return sum(r.passed for r in results) / len(results)


def measure(
    name: str,
    model: Path,
    questions: list[str],
    cases: Path | None,
    smoke: bool,
    workdir: Path,
    serving: tuple,
    long_conversations: bool = False,
    soak: bool = False,
) -> dict[str, float]:
    """Speed and memory of one served model, and its accuracy when `cases` are given; with
    `long_conversations`, the growth curve and the loads on 200-turn conversations; with
    `soak`, resident memory over 10,000 messages."""
    log(f"serving {name}")
    server = Server(model, workdir, serving)
    try:
        for text in questions[:5]:  # warm-up
            ask(server.url, "bench-warmup", text)
        single = [
            ask(server.url, f"bench-single-{i // TURNS_PER_CONVERSATION}", questions[i % len(questions)])
            for i in range(20 if smoke else 200)
        ]
        result = {"p50_1_ms": statistics.median(single) * 1000, "p95_1_ms": percentile(single, 0.95) * 1000}
        log(f"{name}: 1 user p50 {result['p50_1_ms']:.1f} ms")
        for users in (10, 50):
            measured = load_windows(
                server.url,
                questions,
                users,
                1 if smoke else THROUGHPUT_WINDOWS,
                seconds=3 if smoke else 20,
                max_requests=300 if smoke else 5000,
            )
            result[f"throughput_{users}"] = measured["throughput"]
            result[f"p95_{users}_ms"] = measured["p95_ms"]
            result[f"errors_{users}"] = measured["errors"]
            log(
                f"{name}: {users} users {measured['throughput']:.1f} msg/s (windows "
                f"{measured['throughput_windows']}), p95 {measured['p95_ms']:.0f} ms"
            )
        result.update(server.peak_rss_mb())
        log(f"{name}: peak RSS {result['rss_total_mb']:.0f} MB")
        if cases is not None:
            result["accuracy"] = accuracy(server.url, cases, workdir)
            log(f"{name}: accuracy {result['accuracy']:.3f}")
        if long_conversations:
            result.update(long_conversation_figures(name, server, questions, smoke))
        if soak:
            result.update(memory_soak(name, server, questions, smoke))
        return result
    finally:
        server.stop()


def long_conversation_figures(
    name: str, server: Server, questions: list[str], smoke: bool
) -> dict[str, float]:
    """The growth curve (`growth`), then 1 and 10 users each continuing a conversation
    that is already LONG_CONVERSATION_TURNS turns long."""
    windows = SMOKE_GROWTH_WINDOWS if smoke else GROWTH_WINDOWS
    log(f"{name}: growth curve, turns {windows} of conversations measured side by side")
    result: dict[str, Any] = growth(server.url, questions, windows)
    for first, last in windows:
        log(f"{name}: turns {first}-{last} p50 {result[f'growth_p50_{first}_{last}_ms']:.1f} ms")
    turns, users = (SMOKE_LONG_TURNS if smoke else LONG_CONVERSATION_TURNS), 10
    copies = [f"bench-long-{number}-{uuid.uuid4().hex[:6]}" for number in range(users + 1)]
    copy_conversation(server.tracker_db, result.pop("growth_sender"), turns, copies)
    single = [ask(server.url, copies[-1], questions[i % len(questions)]) for i in range(10 if smoke else 40)]
    result["long_p50_1_ms"] = statistics.median(single) * 1000
    measured = load(
        server.url,
        questions,
        users,
        seconds=3 if smoke else 20,
        max_requests=300 if smoke else 5000,
        conversations=copies[:users],
    )
    result["long_throughput_10"] = measured["throughput"]
    result["long_p95_10_ms"] = measured["p95_ms"]
    log(
        f"{name}: {turns}-turn conversations: 1 user p50 {result['long_p50_1_ms']:.1f} ms, "
        f"10 users {measured['throughput']:.1f} msg/s"
    )
    return result


SOAK_MESSAGES, SOAK_TURNS = 10_000, 20  # 500 conversations of 20 turns


def memory_soak(name: str, server: Server, questions: list[str], smoke: bool) -> dict[str, float]:
    """Resident memory of Rasa + actions after half and after all of SOAK_MESSAGES messages,
    10 users at a time, each starting a new conversation every SOAK_TURNS turns."""
    half = 200 if smoke else SOAK_MESSAGES // 2
    result = {}
    for label in ("half", "end"):
        load(server.url, questions, 10, seconds=600, max_requests=half, turns_per_conversation=SOAK_TURNS)
        result[f"soak_rss_{label}_mb"] = server.rss_mb()
    result["soak_messages"] = 2 * half
    log(
        f"{name}: RSS after {half} messages {result['soak_rss_half_mb']:.0f} MB, "
        f"after {2 * half} {result['soak_rss_end_mb']:.0f} MB"
    )
    return result


ROWS = [
    ("p50_1_ms", "p50 latency, 1 user (ms)", "lower"),
    ("p95_1_ms", "p95 latency, 1 user (ms)", "lower"),
    ("throughput_10", "throughput, 10 users (msg/s)", "higher"),
    ("p95_10_ms", "p95 latency, 10 users (ms)", "lower"),
    ("throughput_50", "throughput, 50 users (msg/s)", "higher"),
    ("p95_50_ms", "p95 latency, 50 users (ms)", "lower"),
    ("rss_total_mb", "peak RSS, Rasa + actions (MB)", "lower"),
    ("train_seconds", "training time (s)", "lower"),
    ("model_mb", "model size (MB)", "lower"),
    ("accuracy", "held-out accuracy (faq_eval)", "higher"),
]


def scale_out(model: Path, questions: list[str], out: Path) -> dict[str, float]:
    """Throughput at 10 and 50 users through nginx with 1 and with 2 Rasa processes
    (PostgreSQL tracker store, Redis lock store), when those programs are installed, and of
    the single machine (SQLite) they are compared with. All three run at once and are
    measured side by side (`load_windows_side_by_side`): the targets are their ratios."""
    sys.path.insert(0, str(PROJECT))
    from deploy.local_cluster import LocalCluster, missing_programs

    if missing_programs():
        log(f"scale-out skipped: {missing_programs()} not installed")
        return {}
    result = {"machine_parallel_speedup": parallel_speedup()}
    log(f"this machine: 2 CPU-bound processes at {result['machine_parallel_speedup']:.2f}x one")
    with contextlib.ExitStack() as clusters:
        log("scale-out: starting the single machine it is compared with")
        single = Server(model, out, PROJECT_SERVING)
        clusters.callback(single.stop)
        for text in questions[:5]:
            ask(single.url, "bench-warmup", text)
        urls: dict[Any, str] = {"single": single.url}
        for processes in SCALE_OUT_PROCESSES:
            log(f"scale-out: starting a cluster with {processes} Rasa process(es)")
            workdir = out / f"cluster-{processes}-{uuid.uuid4().hex[:6]}"
            workdir.mkdir()
            # The channel the single machine is measured on, so the two differ only in their stores.
            cluster = clusters.enter_context(
                LocalCluster(workdir, model, processes=processes, channels=BENCH_CHANNELS)
            )
            for text in questions[:5]:
                ask(cluster.url, "bench-warmup", text)
            urls[processes] = cluster.url
        for users in (10, 50):
            measured = load_windows_side_by_side(
                urls, questions, users, THROUGHPUT_WINDOWS, seconds=20, max_requests=5000
            )
            for name, figures in measured.items():
                key = "scale_single" if name == "single" else f"scale_{name}p"
                result[f"{key}_throughput_{users}"] = figures["throughput"]
                result[f"{key}_errors_{users}"] = figures["errors"]
                log(
                    f"  {key}, {users} users: {figures['throughput']:.1f} msg/s "
                    f"(windows {figures['throughput_windows']}), {figures['errors']} errors"
                )
    return result


SERVING_ROWS = [row for row in ROWS if row[0] not in ("train_seconds", "model_mb", "accuracy")]


def table(results: dict[str, dict[str, float]]) -> str:
    a, b = results["project"], results["rasa_default"]
    lines = ["| metric | (a) project | (b) Rasa default | (a)/(b) |", "|---|---|---|---|"]
    for key, label, _ in ROWS:
        ratio = a[key] / b[key] if b.get(key) else float("nan")
        lines.append(
            f"| {label} | {a[key]:.3f} | {b[key]:.3f} | {ratio:.2f} |"
            if key == "accuracy"
            else f"| {label} | {a[key]:.1f} | {b[key]:.1f} | {ratio:.2f} |"
        )
    served_alike = results.get(SERVED_ALIKE)
    if served_alike:
        lines += [
            "",
            "(b)'s model served the way (a) is served (runtime/rasa_server.py, cached SQLite store):",
            "",
            "| metric | (a) project | (b) served like (a) | (a)/(b) |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {label} | {a[key]:.1f} | {served_alike[key]:.1f} | {a[key] / served_alike[key]:.2f} |"
            for key, label, _ in SERVING_ROWS
        ]
    return "\n".join(lines)


def growth_windows(result: dict[str, float]) -> list[tuple[int, int]]:
    """The windows of turns a result has growth figures for, in order."""
    windows = [tuple(map(int, key.split("_")[2:4])) for key in result if key.startswith("growth_p50_")]
    return sorted(windows)  # type: ignore[arg-type]


def long_conversation_table(results: dict[str, dict[str, float]], turns: int) -> str:
    a, b = results["project"], results["rasa_default"]
    rows = []
    for first, last in growth_windows(a):
        for share in ("p50", "p95"):
            rows.append((f"growth_{share}_{first}_{last}_ms", f"{share} latency, turns {first}-{last} (ms)"))
    rows += [
        ("long_p50_1_ms", f"p50 latency, 1 user, {turns}-turn conversations (ms)"),
        ("long_throughput_10", f"throughput, 10 users, {turns}-turn conversations (msg/s)"),
        ("long_p95_10_ms", f"p95 latency, 10 users, {turns}-turn conversations (ms)"),
    ]
    lines = [
        "| long conversations, one user each | (a) project | (b) Rasa default | (a)/(b) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {label} | {a[key]:.1f} | {b[key]:.1f} | {a[key] / b[key]:.2f} |" for key, label in rows]
    return "\n".join(lines)


def targets(results: dict[str, dict[str, float]]) -> list[tuple[str, bool]]:
    """Issue 14's targets, each with whether this run meets it."""
    a, b = results["project"], results["rasa_default"]
    windows = growth_windows(a)
    first, last = (f"growth_p50_{w[0]}_{w[1]}_ms" for w in (windows[0], windows[-1]))
    checks = [
        (
            f"p50 at turns {windows[-1][0]}-{windows[-1][1]} <= 1.25 x turns "
            f"{windows[0][0]}-{windows[0][1]}: {a[last] / a[first]:.2f} x",
            a[last] <= 1.25 * a[first],
        ),
        (
            f"p50, 1 user <= 0.25 x the peer's: {a['p50_1_ms'] / b['p50_1_ms']:.2f} x",
            a["p50_1_ms"] <= 0.25 * b["p50_1_ms"],
        ),
        (
            f"throughput, 10 users >= 4 x the peer's: {a['throughput_10'] / b['throughput_10']:.2f} x",
            a["throughput_10"] >= 4 * b["throughput_10"],
        ),
        (
            "long conversations: p50, 1 user <= 0.25 x the peer's: "
            f"{a['long_p50_1_ms'] / b['long_p50_1_ms']:.2f} x",
            a["long_p50_1_ms"] <= 0.25 * b["long_p50_1_ms"],
        ),
        (
            "long conversations: throughput, 10 users >= 4 x the peer's: "
            f"{a['long_throughput_10'] / b['long_throughput_10']:.2f} x",
            a["long_throughput_10"] >= 4 * b["long_throughput_10"],
        ),
    ]
    if "soak_rss_end_mb" in a:
        half, end = a["soak_rss_half_mb"], a["soak_rss_end_mb"]
        checks.append((f"RSS after {a['soak_messages']:.0f} messages <= 800 MB: {end:.0f} MB", end <= 800))
        # "No growth": within 2% (allocator noise) between the half and the end of the run.
        checks.append(
            (f"no RSS growth in the run's second half: {half:.0f} -> {end:.0f} MB", end <= half * 1.02)
        )
    if "scale_1p_throughput_10" in a:
        one, two = a["scale_1p_throughput_10"], a["scale_2p_throughput_10"]
        # The single machine measured side by side with the clusters; an older results file
        # has only the figure measured minutes before them.
        single = a.get("scale_single_throughput_10", a["throughput_10"])
        checks.append(
            (
                f"scale-out, 1 process >= 0.8 x one machine (10 users): {one / single:.2f} x",
                one >= 0.8 * single,
            )
        )
        checks.append((f"scale-out, 2 processes >= 1.5 x 1 (10 users): {two / one:.2f} x", two >= 1.5 * one))
    return checks


def chart(results: dict[str, dict[str, float]], path: Path) -> None:
    import math

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = 5
    rows = math.ceil(len(ROWS) / columns) + 1
    figure = plt.figure(figsize=(16, 3 * rows))
    grid = figure.add_gridspec(rows, columns)
    for index, (key, label, better) in enumerate(ROWS):
        axis = figure.add_subplot(grid[index // columns, index % columns])
        values = [results["project"][key], results["rasa_default"][key]]
        axis.bar(["(a) project", "(b) default"], values, color=["#1f5fa8", "#9aa5b1"])
        axis.set_title(f"{label}\n({better} is better)", fontsize=9)
        axis.tick_params(labelsize=8)
    curve = figure.add_subplot(grid[rows - 1, :])
    windows = growth_windows(results["project"])
    turns = [f"turns {first}-{last}" for first, last in windows]
    for name, colour, label in (
        ("project", "#1f5fa8", "(a) project"),
        ("rasa_default", "#9aa5b1", "(b) default"),
    ):
        for share, style in (("p50", "-o"), ("p95", "--o")):
            values = [results[name][f"growth_{share}_{first}_{last}_ms"] for first, last in windows]
            curve.plot(turns, values, style, color=colour, label=f"{label} {share}")
    curve.set_title("Growth curve: latency by how far into a conversation (ms, lower is better)", fontsize=9)
    curve.set_yscale("log")
    curve.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


SMOKE_INTENTS = (
    "ask_definition",
    "ask_skills",
    "ask_pay",
    "ask_difference",
    "inform_subject",
    "greet",
    "out_of_scope",
)


def smoke_data(out: Path, conversations: list) -> tuple:
    """English examples of a few intents: enough to exercise every step in a few minutes."""
    from rasa.shared.nlu.training_data.loading import load_data

    english = load_data(str(PROJECT / "data" / "nlu" / "en"))
    subset = english.filter_training_examples(lambda example: example.get("intent") in SMOKE_INTENTS)
    nlu_file = out / "smoke-nlu.yml"
    nlu_file.write_text(subset.nlu_as_yaml(), encoding="utf-8")
    kept = [
        c
        for c in conversations
        if all(
            t.get("lang") == "en"
            and (t.get("oos") or t.get("aspect") in ("definition", "skills", "pay", "difference"))
            for t in c
        )
    ][:10]
    return [str(nlu_file), str(PROJECT / "data" / "rules")], kept


# A fixed amount of pure-Python work (~3 s on this machine's cores), run in 1 process and then
# in 2 at once: how much two busy cores give over one here, whatever the software.
_CPU_WORK = "x = 0\nfor i in range(25_000_000):\n    x += i * i % 7\n"


def parallel_speedup(processes: int = 2, repeats: int = 2) -> float:
    """Throughput of `processes` copies of _CPU_WORK at once over one copy alone, each the
    fastest of `repeats` runs after one unmeasured run (the first start of the interpreter
    reads its files from disk). On a virtual machine whose cores share a physical core or
    its caches with other work, this is below `processes`."""

    def wall(copies: int) -> float:
        started = time.perf_counter()
        running = [subprocess.Popen([sys.executable, "-c", _CPU_WORK]) for _ in range(copies)]
        if any(process.wait(timeout=120) != 0 for process in running):
            raise RuntimeError("the CPU work failed")
        return time.perf_counter() - started

    wall(1)
    alone = min(wall(1) for _ in range(repeats))
    together = min(wall(processes) for _ in range(repeats))
    return processes * alone / together


def scale_out_table(scaled: dict[str, float]) -> str:
    """The scale-out figures as a Markdown table; empty when the scale-out did not run."""
    if not scaled:
        return ""
    ceiling = scaled.get("machine_parallel_speedup")
    note = (
        f"\n\nThis machine's own ceiling: two CPU-bound processes ran at {ceiling:.2f}x one "
        "(`parallel_speedup`, pure Python, nothing else running)."
        if ceiling
        else ""
    )
    rows = "\n".join(
        f"| throughput, {users} users (msg/s) | {_figure(scaled, f'scale_single_throughput_{users}')} | "
        f"{scaled[f'scale_1p_throughput_{users}']:.1f} | {scaled[f'scale_2p_throughput_{users}']:.1f} | "
        f"{_ratio(scaled, f'scale_1p_throughput_{users}', f'scale_single_throughput_{users}')} | "
        f"{_ratio(scaled, f'scale_2p_throughput_{users}', f'scale_1p_throughput_{users}')} |"
        for users in (10, 50)
    )
    return (
        "\n\n| measured side by side | single machine (SQLite) | 1 process (PostgreSQL + Redis + nginx) "
        "| 2 processes | 1 process / single | 2/1 |\n"
        "|---|---|---|---|---|---|\n" + rows + note
    )


def _figure(figures: dict[str, float], key: str) -> str:
    return f"{figures[key]:.1f}" if key in figures else "-"


def _ratio(figures: dict[str, float], numerator: str, denominator: str) -> str:
    return f"{figures[numerator] / figures[denominator]:.2f}" if denominator in figures else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="English data only, short loads: checks it works"
    )
    parser.add_argument("--out", default=str(PROJECT / "results" / "bench"))
    parser.add_argument(
        "--train-only",
        action="store_true",
        help="train (or reuse) both models and stop: the peer takes ~50 min, which need not "
        "be spent on the quiet machine the measurements want",
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    conversations = yaml.safe_load(OWN_EVAL.read_text(encoding="utf-8"))
    if args.smoke:
        data, conversations = smoke_data(out, conversations)
        cases = out / "smoke-cases.yml"
        cases.write_text(json.dumps(conversations), encoding="utf-8")
    else:
        data, cases = [str(PROJECT / "data")], OWN_EVAL
    questions = [turn["q"] for conversation in conversations for turn in conversation]

    if args.train_only:
        for name, config in CONFIGS.items():
            train(name, config, data, out)
        return 0
    results: dict[str, dict[str, float]] = {}
    for name, config in CONFIGS.items():
        results[name] = train(name, config, data, out)
        results[name].update(
            measure(
                name,
                out / f"{name}.tar.gz",
                questions,
                cases,
                args.smoke,
                out,
                PROJECT_SERVING if name == "project" else STOCK_SERVING,
                long_conversations=True,
                soak=name == "project",
            )
        )
    if not args.smoke:
        results[SERVED_ALIKE] = measure(
            SERVED_ALIKE, out / "rasa_default.tar.gz", questions, None, False, out, PROJECT_SERVING
        )
    long_turns = SMOKE_LONG_TURNS if args.smoke else LONG_CONVERSATION_TURNS
    summary = table(results) + "\n\n" + long_conversation_table(results, long_turns)
    if not args.smoke:
        scaled = scale_out(out / "project.tar.gz", questions, out)
        results["project"].update(scaled)
        summary += scale_out_table(scaled)
    project = results["project"]
    summary += (
        f"\n\nResident memory, Rasa + actions, {project['soak_messages']:.0f} messages in conversations of "
        f"{SOAK_TURNS} turns: {project['soak_rss_half_mb']:.0f} MB at half, "
        f"{project['soak_rss_end_mb']:.0f} MB at the end.\n\nTargets:\n"
    )
    summary += "\n".join(f"- [{'x' if met else ' '}] {text}" for text, met in targets(results))
    print(summary)
    (out / "bench.json").write_text(
        json.dumps(
            {
                "mode": "smoke" if args.smoke else "full",
                "results": results,
                "machine": {"cpus": os.cpu_count()},
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    (out / "bench.md").write_text(summary + "\n", encoding="utf-8")
    chart(results, out / "bench.png")
    log(f"wrote {out / 'bench.json'}, {out / 'bench.md'}, {out / 'bench.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
