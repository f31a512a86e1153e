"""runtime/rasa_server.py: the entry point applies each named optimisation and takes the API
token from the settings, not from a command line."""

from __future__ import annotations


def test_the_server_entry_point_names_each_optimisation():
    from runtime.rasa_server import OPTIMISATIONS

    assert set(OPTIMISATIONS) == {
        "action reply validation by event type",
        "kept-open action server connections",
        "action calls with the current turn only",
        "graph run without dask",
        "deep copies only for debug logs that are on",
        "domain emptiness checked once",
        "event types resolved once",
        "tracker copies without replay",
        "memory returned after the model loads",
    }


def test_the_api_token_comes_from_the_settings_not_the_command_line():
    from runtime.rasa_server import with_api_token

    assert with_api_token(["rasa", "run", "--enable-api"], "t0k") == [
        "rasa",
        "run",
        "--enable-api",
        "--auth-token",
        "t0k",
    ]
    assert with_api_token(["rasa", "run"], "t0k") == ["rasa", "run"]  # API off: no token needed
    assert with_api_token(["rasa", "run", "--enable-api", "--auth-token", "x"], "t0k")[-1] == "x"


def test_main_applies_the_optimisations_reloads_phrases_on_sighup_and_runs_rasa(monkeypatch):
    import signal
    import sys

    import rasa.__main__

    import settings as project_settings
    from channels.input_guard import reload_phrases
    from runtime import compatibility, rasa_server

    seen: dict = {}
    monkeypatch.setattr(rasa_server, "leave_jax_unloaded", lambda: seen.setdefault("jax left", True))
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.setdefault("argv", list(sys.argv)))
    monkeypatch.setattr(
        compatibility, "apply", lambda optimisations: seen.setdefault("applied", optimisations)
    )
    monkeypatch.setattr(
        signal, "signal", lambda number, handler: seen.setdefault("signal", (number, handler))
    )
    monkeypatch.setattr(project_settings, "settings", lambda: type("S", (), {"rasa_api_token": "t0k"})())
    monkeypatch.setattr(sys, "argv", ["runtime/rasa_server.py", "run", "--enable-api"])
    rasa_server.main()
    assert seen["argv"] == ["rasa", "run", "--enable-api", "--auth-token", "t0k"]
    assert seen["applied"] is rasa_server.OPTIMISATIONS
    assert seen["signal"] == (signal.SIGHUP, reload_phrases)
    assert seen["jax left"]


def test_the_server_module_loads_no_tensorflow_before_main_can_keep_jax_out():
    import subprocess
    import sys

    probe = "import sys, runtime.rasa_server; assert 'tensorflow' not in sys.modules, 'imported'"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
