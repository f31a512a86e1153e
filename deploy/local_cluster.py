"""A scale-out deployment on one machine, for the scale-out test and `make bench`.

Starts, on 127.0.0.1 only: PostgreSQL (a fresh cluster in a temporary folder), Redis, N
action servers, N Rasa processes using deploy/endpoints.scale.yml, and nginx balancing both
(deploy/nginx.conf.template). Every process it starts is stopped by `stop()`, by PID.
Needs Debian's postgresql, redis-server and nginx (installed by .ci/run).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from string import Template

from deploy.processes import ServerProcess, free_port, rasa_run_arguments, stop_all

PROJECT = Path(__file__).resolve().parent.parent
TOKEN = "cluster-token"
# nginx's per-address request limit. A deployment uses DEPLOYMENT_RATE_*; the load tests and
# `make bench` send every request from 127.0.0.1, so their cluster allows far more.
DEPLOYMENT_RATE_PER_SECOND, DEPLOYMENT_RATE_BURST = 10, 20
LOAD_TEST_RATE_PER_SECOND, LOAD_TEST_RATE_BURST = 5000, 5000


def postgres_binary(name: str) -> str | None:
    """Debian keeps PostgreSQL's server programs in /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def missing_programs() -> list[str]:
    wanted = {
        "initdb": postgres_binary("initdb"),
        "pg_ctl": postgres_binary("pg_ctl"),
        "redis-server": shutil.which("redis-server"),
        "nginx": shutil.which("nginx"),
    }
    return [name for name, path in wanted.items() if not path]


class LocalCluster:
    """PostgreSQL + Redis + N Rasa + N action servers + nginx, on loopback."""

    def __init__(
        self,
        workdir: Path,
        model: Path,
        processes: int = 2,
        rate_per_second: int = LOAD_TEST_RATE_PER_SECOND,
        rate_burst: int = LOAD_TEST_RATE_BURST,
        slack: dict[str, str] | None = None,
        channels: Path | None = None,
    ) -> None:
        self.rate_per_second, self.rate_burst = rate_per_second, rate_burst
        # Another credentials file: the bench serves the channel its single machine is measured on.
        self.channels = channels
        # SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL: the Slack channel is on.
        self.slack = dict(slack or {})
        self.workdir = workdir.resolve()  # nginx resolves relative paths against its prefix
        self.model = model
        self.processes = processes
        self._children: list[ServerProcess] = []
        # PostgreSQL runs as the `postgres` user, who cannot enter pytest's private folders:
        # its data lives in a folder of its own under the system temp directory.
        self._pg_root = Path(tempfile.mkdtemp(prefix="bpo-faq-pg-"))
        self._pg_data = self._pg_root / "data"
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.rasa_port = free_port()
        self.action_port = free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.db_url = f"postgresql://rasa:rasa@127.0.0.1:{self.pg_port}/rasa"
        self.rasa_urls: list[str] = []

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> LocalCluster:
        try:
            self._start_postgres()
            self._start_redis()
            rasa_ports, action_ports = self._start_assistants()
            self._start_nginx(rasa_ports, action_ports)
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_all(reversed(self._children), timeout=30)
        self._children.clear()
        if (self._pg_data / "postmaster.pid").exists():
            self._as_postgres([postgres_binary("pg_ctl"), "-D", str(self._pg_data), "-m", "fast", "stop"])
        shutil.rmtree(self._pg_root, ignore_errors=True)

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def redis_pid(self) -> int:
        return self._redis.pid

    def postgres_pid(self) -> int:
        return int((self._pg_data / "postmaster.pid").read_text().split()[0])

    def restart_redis(self) -> None:
        """Stops Redis and starts it again on the same port (its keys, Rasa's locks, are gone)."""
        self._children.remove(self._redis)
        self._redis.stop(timeout=10)
        self._start_redis()

    def restart_postgres(self) -> None:
        """A fast restart of PostgreSQL: open connections are cut, the data stays."""
        self._as_postgres(
            [postgres_binary("pg_ctl"), "-D", str(self._pg_data), "-w", "-m", "fast", "restart"]
        )

    # -- services -----------------------------------------------------------------------
    def _as_postgres(self, command: list[str]) -> None:
        # PostgreSQL refuses to run as root; Debian's package creates the `postgres` user.
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _start_postgres(self) -> None:
        self._pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self._pg_root, "postgres")
            shutil.chown(self._pg_data, "postgres")
        password_file = self._pg_root / "pg-password"
        password_file.write_text("rasa\n")
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres")
        self._as_postgres(
            [
                postgres_binary("initdb"),
                "-D",
                str(self._pg_data),
                "-U",
                "rasa",
                "--pwfile",
                str(password_file),
                "-A",
                "md5",
                "-E",
                "UTF8",
            ]
        )
        self._as_postgres(
            [
                postgres_binary("pg_ctl"),
                "-D",
                str(self._pg_data),
                "-w",
                "-l",
                str(self._pg_data / "server.log"),
                "-o",
                f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self._pg_data}",
                "start",
            ]
        )
        import sqlalchemy as sa

        engine = sa.create_engine(
            f"postgresql://rasa:rasa@127.0.0.1:{self.pg_port}/postgres", isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE rasa"))
        engine.dispose()

    def _start_redis(self) -> None:
        self._redis = self._spawn(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            "redis.log",
            ready_port=self.redis_port,
        )
        self._redis.wait_ready(timeout=20, interval=0.2)

    def _credentials(self) -> Path:
        """credentials.yml, plus the Slack channel when Slack settings are given (as run.sh does)."""
        if self.channels is not None:
            return self.channels
        if not self.slack:
            return PROJECT / "credentials.yml"
        combined = self.workdir / "credentials.yml"
        if not combined.exists():
            parts = (PROJECT / "credentials.yml", PROJECT / "slack" / "credentials.yml")
            combined.write_text("".join(part.read_text(encoding="utf-8") for part in parts), encoding="utf-8")
        return combined

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            **self.slack,
            "SCALE": "postgres",
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_API_TOKEN": TOKEN,
            "PYTHONPATH": str(PROJECT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(self.pg_port),
            "POSTGRES_DB": "rasa",
            "POSTGRES_USER": "rasa",
            "POSTGRES_PASSWORD": "rasa",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.redis_port),
            "REDIS_DB": "0",
            "REDIS_PASSWORD": "",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "WIDGET_ORIGINS": f"http://127.0.0.1:{self.rasa_port}",
        }

    def _start_assistants(self):
        env = self.environment()
        rasa_ports, action_ports, started = [], [], []
        python = str(PROJECT / ".venv" / "bin" / "python")
        for index in range(self.processes):
            action_port, rasa_port = free_port(), free_port()
            actions = self._spawn(
                [python, "-m", "actions.server", "--host", "127.0.0.1", "--port", str(action_port)],
                f"actions-{index}.log",
                env,
                ready_urls=[f"http://127.0.0.1:{action_port}/health"],
            )
            server = self._spawn(
                [
                    python,
                    "-m",
                    "runtime.rasa_server",
                    *rasa_run_arguments(
                        self.model, PROJECT / "deploy" / "endpoints.scale.yml", self._credentials(), rasa_port
                    ),
                    "--enable-api",  # with RASA_API_TOKEN from the environment, not the command line
                ],
                f"rasa-{index}.log",
                env,
                ready_urls=[f"http://127.0.0.1:{rasa_port}/status?token={TOKEN}"],
            )
            rasa_ports.append(rasa_port)
            action_ports.append(action_port)
            started.append((actions, server))
        # All processes load in parallel; then each must answer.
        for actions, server in started:
            actions.wait_ready(timeout=120)
            server.wait_ready(timeout=300)
        self.rasa_urls = [f"http://127.0.0.1:{port}" for port in rasa_ports]
        return rasa_ports, action_ports

    def _start_nginx(self, rasa_ports: list[int], action_ports: list[int]) -> None:
        prefix = self.workdir / "nginx"
        prefix.mkdir()
        config = Template((PROJECT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
            PREFIX=str(prefix),
            RASA_PORT=self.rasa_port,
            ACTION_PORT=self.action_port,
            RASA_SERVERS="\n".join(f"        server 127.0.0.1:{p};" for p in rasa_ports),
            ACTION_SERVERS="\n".join(f"        server 127.0.0.1:{p};" for p in action_ports),
            RATE_PER_SECOND=self.rate_per_second,
            RATE_BURST=self.rate_burst,
        )
        (prefix / "nginx.conf").write_text(config)
        nginx = self._spawn(
            [shutil.which("nginx"), "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            "nginx.out",
            ready_urls=[f"{self.url}/webhooks/rest/"],
        )
        nginx.wait_ready(timeout=30)

    def _spawn(
        self,
        command: list[str],
        log_name: str,
        env: dict[str, str] | None = None,
        ready_urls: list[str] | None = None,
        ready_port: int | None = None,
    ) -> ServerProcess:
        child = ServerProcess(
            command,
            cwd=PROJECT,
            env=env or self.environment(),
            log_path=self.workdir / log_name,
            ready_urls=ready_urls or [],
            ready_port=ready_port,
            name=log_name.split(".")[0],
        ).start()
        # Registered at once, so start()'s clean-up stops it even if waiting for it fails.
        self._children.append(child)
        return child
