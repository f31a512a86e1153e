"""On a Rasa release other than the one runtime/ was written for, the assistant starts on
stock Rasa behaviour, answers, and says once which optimisations are off."""

from __future__ import annotations

import os
import sys
import uuid

from deploy.processes import free_port, rasa_run_arguments, start_server, stop_all
from settings import Settings
from tests.conftest import PROJECT
from tests.live_stack import ask

# The server entry point, run with Rasa reporting another release (nothing else changes).
OTHER_RELEASE = "3.7.0"
PRETEND = (
    "import sys, rasa.version; rasa.version.__version__ = sys.argv.pop(1); "
    "from runtime.rasa_server import main; sys.argv[0] = 'rasa'; main()"
)


def test_another_rasa_release_runs_stock_rasa_answers_and_warns_once(trained_model, tmp_path):
    rasa_port, action_port = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "RASA_TELEMETRY_ENABLED": "false",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DB": str(tmp_path / "tracker.db"),
    }
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(Settings.from_environment(env).endpoints_yaml(), encoding="utf-8")
    actions = start_server(
        [sys.executable, "-m", "actions.server", "--host", "127.0.0.1", "--port", str(action_port)],
        cwd=PROJECT,
        env=env,
        log_path=tmp_path / "actions.log",
        ready_urls=[f"http://127.0.0.1:{action_port}/health"],
        name="action server",
    )
    rasa_log = tmp_path / "rasa.log"
    try:
        rasa = start_server(
            [
                sys.executable,
                "-c",
                PRETEND,
                OTHER_RELEASE,
                *rasa_run_arguments(
                    trained_model, endpoints, PROJECT / "bench" / "credentials.yml", rasa_port
                ),
            ],
            cwd=PROJECT,
            env=env,
            log_path=rasa_log,
            ready_urls=[f"http://127.0.0.1:{rasa_port}/webhooks/rest/"],
            timeout=300,
            name="rasa (other release)",
        )
        try:
            replies = ask(
                f"http://127.0.0.1:{rasa_port}", f"release-{uuid.uuid4().hex}", "Mitä BPO tarkoittaa?"
            )
        finally:
            stop_all([rasa])
    finally:
        stop_all([actions])
    assert any("ulkoist" in reply.get("text", "").lower() for reply in replies), replies
    log = rasa_log.read_text(encoding="utf-8", errors="replace")
    warnings = [line for line in log.splitlines() if "optimisations are off" in line]
    # One warning for the runtime patches, one for the tracker store: each names what is off.
    assert any("action reply validation by event type" in line and OTHER_RELEASE in line for line in warnings)
    assert any("cached SQLite tracker store" in line for line in warnings)
    assert len(warnings) == 2, warnings
