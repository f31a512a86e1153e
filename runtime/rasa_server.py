"""`python -m runtime.rasa_server <rasa arguments>`: Rasa's CLI with the per-message costs
that profiling found in Rasa itself removed (see README "Performance").

- Action calls (runtime/action_calls.py): replies are validated against the branch of
  each event's own type instead of all 23, and connections to the action server are kept
  open between calls, and a call carries the current turn's events, not the conversation's.
- The model's graph runs node after node (runtime/graph_runner.py) instead of through
  dask's scheduler.
- The message processor's own overheads (runtime/processor_overheads.py): deep copies made
  for debug logs that are off, the domain's emptiness checked on every message, event
  classes looked up by walking all of them, and tracker copies made by replaying events.
- Memory used only while the model loads is returned to the system, and JAX, which
  TensorFlow imports for a converter Rasa never uses, is not loaded (runtime/memory.py).
- The single-machine tracker store (runtime/tracker_store.py) is named in endpoints.yml,
  so it needs nothing here.
With `--enable-api`, the API token is taken from RASA_API_TOKEN (settings/) inside the
process rather than from `--auth-token`: a command line is visible to every user (`ps`).
Everything else is Rasa unchanged; `rasa <arguments>` works the same, only slower. On a Rasa
release other than the one these were written for, none is applied (runtime/compatibility.py).
"""

from __future__ import annotations

import signal
import sys

from channels.input_guard import reload_phrases
from runtime import compatibility
from runtime.action_calls import (
    keep_action_server_connections,
    send_the_current_turn_only,
    validate_action_replies_by_event_type,
)
from runtime.graph_runner import run_graphs_without_dask
from runtime.memory import leave_jax_unloaded, trim_after_model_load
from runtime.processor_overheads import (
    check_domain_emptiness_once,
    copy_for_debug_logs_only,
    copy_trackers_without_replay,
    resolve_event_types_once,
)

OPTIMISATIONS = {
    "action reply validation by event type": validate_action_replies_by_event_type,
    "kept-open action server connections": keep_action_server_connections,
    "action calls with the current turn only": send_the_current_turn_only,
    "graph run without dask": run_graphs_without_dask,
    "deep copies only for debug logs that are on": copy_for_debug_logs_only,
    "domain emptiness checked once": check_domain_emptiness_once,
    "event types resolved once": resolve_event_types_once,
    "tracker copies without replay": copy_trackers_without_replay,
    "memory returned after the model loads": trim_after_model_load,
}


def with_api_token(argv: list[str], token: str) -> list[str]:
    """`argv` with `--auth-token` from the settings when the API is enabled without one."""
    if token and "--enable-api" in argv and "--auth-token" not in argv:
        return [*argv, "--auth-token", token]
    return argv


def main() -> None:
    leave_jax_unloaded()  # before anything imports Rasa, and with it TensorFlow
    from settings import settings

    sys.argv = with_api_token(sys.argv, settings().rasa_api_token)
    compatibility.apply(OPTIMISATIONS)
    # The channels' own lines (refusals, apologies) follow an edited phrases file, like the
    # action server's answers do.
    signal.signal(signal.SIGHUP, reload_phrases)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
