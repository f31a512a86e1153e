"""Settings: one place for defaults, the environment over .env, errors that name the variable."""

from __future__ import annotations

import re

import pytest

from settings import PROJECT, Settings, SettingsError


def test_defaults_serve_a_local_assistant_on_loopback(tmp_path):
    current = Settings.from_environment({}, env_file=tmp_path / "missing.env")
    assert (current.rasa_host, current.rasa_port, current.action_host, current.action_port) == (
        "127.0.0.1",
        5005,
        "127.0.0.1",
        5055,
    )
    assert current.action_url == "http://127.0.0.1:5055/webhook"
    assert current.widget_origins == ("http://127.0.0.1:8080", "http://localhost:8080")


def test_the_committed_endpoints_file_is_the_defaults(tmp_path):
    # Rasa's own commands (rasa shell, rasa run, rasa test) read endpoints.yml as it is.
    defaults = Settings.from_environment({}, env_file=tmp_path / "missing.env")
    assert (PROJECT / "endpoints.yml").read_text(encoding="utf-8") == defaults.endpoints_yaml()
    assert "${" not in (PROJECT / "credentials.yml").read_text(encoding="utf-8")


def test_env_file_values_with_hash_dollar_and_quotes_arrive_intact(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "RASA_API_TOKEN='s3cr#t$HOME'\n"
        'SLACK_SIGNING_SECRET="a#b$c"\n'
        "ACTION_PORT=6055 # a comment\n"
        "WIDGET_ORIGINS=https://a.example, https://b.example\n",
        encoding="utf-8",
    )
    current = Settings.from_environment({}, env_file=env_file)
    assert current.rasa_api_token == "s3cr#t$HOME"
    assert current.slack["SLACK_SIGNING_SECRET"] == "a#b$c"
    assert current.action_port == 6055
    assert current.widget_origins == ("https://a.example", "https://b.example")


def test_the_environment_overrides_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("RASA_PORT=6000\nREPLY_BUDGET_SECONDS=3\n", encoding="utf-8")
    current = Settings.from_environment({"RASA_PORT": "7000"}, env_file=env_file)
    assert (current.rasa_port, current.reply_budget_seconds) == (7000, 3.0)


@pytest.mark.parametrize(
    "name, value",
    [
        ("RASA_PORT", "http"),
        ("ACTION_PORT", "70000"),
        ("REPLY_BUDGET_SECONDS", "-1"),
        ("SCALE", "mongo"),
        ("RATE_LIMIT_SENDER_PER_MINUTE", "0"),
        ("RATE_LIMIT_ADDRESS_BURST", "lots"),
    ],
)
def test_a_bad_value_is_refused_naming_its_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_environment({name: value}, env_file=tmp_path / "missing.env")


def test_every_variable_of_env_example_is_read(tmp_path):
    documented = set(re.findall(r"^([A-Z_]+)=", (PROJECT / ".env.example").read_text(encoding="utf-8"), re.M))
    numeric = ("PORT", "SECONDS", "MINUTE", "BURST")
    environ = {name: "1" if name.endswith(numeric) else "" for name in documented}
    environ["SLACK_BOT_TOKEN"] = "xoxb-test"
    exported = Settings.from_environment(environ, env_file=tmp_path / "missing.env").exports()
    assert documented - {"SLACK_BOT_TOKEN"} <= set(exported) | {"SLACK_SIGNING_SECRET", "SLACK_API_URL"}
    assert exported["SLACK_BOT_TOKEN"] == "xoxb-test"
