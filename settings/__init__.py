"""Every setting of the assistant, read once per process from the environment and `.env`.

One place holds the single-machine defaults (servers on 127.0.0.1, conversations in
var/tracker.db); the environment overrides them, and `.env` in the project folder
(parsed by python-dotenv, never by make) fills in what the environment leaves unset.
`python -m settings` turns the same values into what the processes that are not Python
read: shell exports for scripts/run.sh, and Rasa's endpoints file (see `endpoints_yaml`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ENV_FILE = PROJECT / ".env"


class SettingsError(ValueError):
    """A setting has a value the assistant cannot use; the message names the variable."""


def _read_env_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {key: value for key, value in dotenv_values(path).items() if value is not None}


def _port(name: str, raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a port number") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name}={raw!r}: expected a port between 1 and 65535")
    return port


def _database_number(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise SettingsError(f"{name}={raw!r}: expected a database number (0, 1, ...)")
    return int(raw)


def _rate(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a number of messages") from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r}: expected a positive number of messages")
    return value


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a number of seconds") from None
    if value <= 0:
        raise SettingsError(f"{name}={raw!r}: expected a positive number of seconds")
    return value


RATE_VARIABLES = {
    "sender_rate_per_minute": "RATE_LIMIT_SENDER_PER_MINUTE",
    "sender_burst": "RATE_LIMIT_SENDER_BURST",
    "address_rate_per_minute": "RATE_LIMIT_ADDRESS_PER_MINUTE",
    "address_burst": "RATE_LIMIT_ADDRESS_BURST",
}


@dataclass(frozen=True)
class Settings:
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_host: str = "127.0.0.1"
    action_port: int = 5055
    # Overrides the URL built from action_host/action_port (an action server elsewhere).
    action_endpoint_url: str = ""
    tracker_db: str = "var/tracker.db"
    # Server logs (make run); empty: a log/ folder beside the tracker database.
    log_dir: str = ""
    # Where `make report` reads conversations from instead (e.g. the PostgreSQL of a scale-out).
    tracker_db_url: str = ""
    widget_host: str = "127.0.0.1"
    widget_port: int = 8080
    # Origins allowed to open the widget's socket.io connection; default: the widget page.
    widget_origins: tuple[str, ...] = ()
    # The Rasa server's address as the browser reaches it: the page connects there only.
    widget_server_url: str = ""
    rasa_api_token: str = ""
    rasa_model: str = ""
    reply_budget_seconds: float = 8.0
    knowledge_file: str = "knowledge/comparison.yml"
    phrases_file: str = "knowledge/phrases.yml"
    scale: str = ""
    # SCALE=postgres: the Redis that holds Rasa's locks and the channels' shared state.
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_db: int = 0
    redis_password: str = ""
    slack: Mapping[str, str] = field(default_factory=dict)
    # Messages a conversation, and a client address, may send: a steady rate per minute and
    # a burst on top. A person types a few messages a minute; a flood gets 429.
    sender_rate_per_minute: float = 30.0
    sender_burst: float = 10.0
    address_rate_per_minute: float = 600.0
    address_burst: float = 100.0

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, env_file: Path = ENV_FILE
    ) -> Settings:
        """Reads the settings: the environment first, then `.env`, then the defaults.

        Raises:
            SettingsError: naming the variable whose value cannot be used.
        """
        values = {**_read_env_file(env_file), **{k: v for k, v in (environ or os.environ).items()}}

        def get(name: str, default: str) -> str:
            value = values.get(name)
            return default if value is None or value == "" else value

        defaults = cls()
        widget_host = get("WIDGET_HOST", defaults.widget_host)
        widget_port = _port("WIDGET_PORT", get("WIDGET_PORT", str(defaults.widget_port)))
        origins = tuple(o.strip() for o in get("WIDGET_ORIGINS", "").split(",") if o.strip()) or (
            f"http://{widget_host}:{widget_port}",
            f"http://localhost:{widget_port}",
        )
        scale = get("SCALE", "")
        if scale not in ("", "postgres"):
            raise SettingsError(f"SCALE={scale!r}: use SCALE=postgres or leave it unset")
        return cls(
            rasa_host=get("RASA_HOST", defaults.rasa_host),
            rasa_port=_port("RASA_PORT", get("RASA_PORT", str(defaults.rasa_port))),
            action_host=get("ACTION_HOST", defaults.action_host),
            action_port=_port("ACTION_PORT", get("ACTION_PORT", str(defaults.action_port))),
            action_endpoint_url=get("ACTION_ENDPOINT_URL", ""),
            tracker_db=get("TRACKER_DB", defaults.tracker_db),
            log_dir=get("LOG_DIR", ""),
            tracker_db_url=get("TRACKER_DB_URL", ""),
            widget_host=widget_host,
            widget_port=widget_port,
            widget_origins=origins,
            widget_server_url=get("WIDGET_SERVER_URL", "")
            or f"http://{get('RASA_HOST', defaults.rasa_host)}:{get('RASA_PORT', str(defaults.rasa_port))}",
            rasa_api_token=get("RASA_API_TOKEN", ""),
            rasa_model=get("RASA_MODEL", ""),
            reply_budget_seconds=_seconds(
                "REPLY_BUDGET_SECONDS", get("REPLY_BUDGET_SECONDS", str(defaults.reply_budget_seconds))
            ),
            knowledge_file=get("KNOWLEDGE_FILE", defaults.knowledge_file),
            phrases_file=get("PHRASES_FILE", defaults.phrases_file),
            scale=scale,
            redis_host=get("REDIS_HOST", defaults.redis_host),
            redis_port=_port("REDIS_PORT", get("REDIS_PORT", str(defaults.redis_port))),
            redis_db=_database_number("REDIS_DB", get("REDIS_DB", "0") or "0"),
            redis_password=get("REDIS_PASSWORD", ""),
            slack={k: v for k, v in values.items() if k.startswith("SLACK_") and v},
            **{
                attribute: _rate(variable, get(variable, str(getattr(defaults, attribute))))
                for attribute, variable in RATE_VARIABLES.items()
            },
        )

    @property
    def action_url(self) -> str:
        return self.action_endpoint_url or f"http://{self.action_host}:{self.action_port}/webhook"

    def path(self, value: str) -> Path:
        """A configured path; relative ones are relative to the project folder."""
        return Path(value) if Path(value).is_absolute() else PROJECT / value

    def exports(self) -> dict[str, str]:
        """The settings as environment variables, for processes started from the shell."""
        return {
            "RASA_HOST": self.rasa_host,
            "RASA_PORT": str(self.rasa_port),
            "ACTION_HOST": self.action_host,
            "ACTION_PORT": str(self.action_port),
            "ACTION_ENDPOINT_URL": self.action_url,
            "TRACKER_DB": str(self.path(self.tracker_db)),
            "LOG_DIR": str(
                self.path(self.log_dir) if self.log_dir else self.path(self.tracker_db).parent / "log"
            ),
            "TRACKER_DB_URL": self.tracker_db_url,
            "WIDGET_HOST": self.widget_host,
            "WIDGET_PORT": str(self.widget_port),
            "WIDGET_ORIGINS": ",".join(self.widget_origins),
            "WIDGET_SERVER_URL": self.widget_server_url,
            "RASA_API_TOKEN": self.rasa_api_token,
            "RASA_MODEL": self.rasa_model,
            "REPLY_BUDGET_SECONDS": str(self.reply_budget_seconds),
            "KNOWLEDGE_FILE": str(self.path(self.knowledge_file)),
            "PHRASES_FILE": str(self.path(self.phrases_file)),
            "SCALE": self.scale,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_DB": str(self.redis_db),
            "REDIS_PASSWORD": self.redis_password,
            **{variable: str(getattr(self, attribute)) for attribute, variable in RATE_VARIABLES.items()},
            **dict(self.slack),
        }

    def endpoints_yaml(self) -> str:
        """Rasa's endpoints file for the single-machine set-up with these settings.

        The committed endpoints.yml is this text for the default settings (a unit test
        checks it), so Rasa's own commands (`rasa shell`, `rasa run`, `rasa test`) work in
        the project folder with no variable set; `make run` writes it for the current
        settings into var/ and serves that.
        """
        return (
            "# Where Rasa finds the action server and stores conversations: the single-machine\n"
            "# defaults of settings/ (python -m settings endpoints writes this file; make run\n"
            "# writes it for the current settings into var/). deploy/ holds the scale-out variant.\n"
            "action_endpoint:\n"
            f"  url: {self.action_url}\n"
            "\n"
            "# Rasa's SQL store on SQLite, with open conversations kept in memory\n"
            "# (runtime/tracker_store.py).\n"
            "tracker_store:\n"
            "  type: runtime.tracker_store.CachedSQLiteTrackerStore\n"
            "  dialect: sqlite\n"
            f"  db: {self.tracker_db}\n"
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """This process's settings, read once."""
    return Settings.from_environment()
