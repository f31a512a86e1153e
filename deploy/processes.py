"""Starting a server process, waiting until it answers, and stopping it: in one place.

Used by bench/run_bench.py, deploy/local_cluster.py and the live tests (tests/live_stack.py,
tests/reliability/test_faults.py, tests/integration/test_rasa_cli.py). Standard library only,
so it can be imported before (and without) Rasa, and by tools that do not load the project.

    with start_server([python, "-m", "actions.server", "--port", str(port)],
                      log_path=tmp / "actions.log", cwd=PROJECT, env=env,
                      ready_urls=[f"http://127.0.0.1:{port}/health"], timeout=120) as server:
        ...  # the server answers here; it is stopped (SIGTERM, then SIGKILL) on leaving

A server that cannot start raises ServerNotReady, whose message names the log file and
quotes its last lines: the reason is nearly always there, not in the traceback.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

LOOPBACK = "127.0.0.1"

# Readiness probes go to our own servers on loopback: a proxy set in the environment
# (http_proxy without no_proxy) must neither answer for them nor hide that they are down.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nothing listens on now, chosen by the kernel (so parallel runs do not collide).

    Also serves as a "closed port" for tests that need an address where nobody answers."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def url_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a GET of `url` gets a 2xx reply: a server that is up but still loading (a 503,
    a 404 from a half-registered route) is not ready yet."""
    try:
        with _DIRECT.open(url, timeout=timeout) as response:
            status: int = response.status
            return 200 <= status < 300
    except (OSError, http.client.HTTPException):
        # OSError covers refused connections, timeouts and HTTPError; HTTPException covers a
        # listener that speaks something other than HTTP or hangs up mid-reply.
        return False


def port_answers(port: int, host: str = LOOPBACK, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on host:port (for servers without HTTP, e.g. Redis)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def log_tail(path: Path, lines: int = 40, max_bytes: int = 16_384) -> str:
    """The last `lines` lines of a log file ("" if it does not exist); reads only its end,
    since a server's log can be large."""
    try:
        with open(path, "rb") as log:
            size = log.seek(0, os.SEEK_END)
            log.seek(max(0, size - max_bytes))
            data = log.read()
    except OSError:
        return ""
    return "\n".join(data.decode(errors="replace").splitlines()[-lines:])


class ServerNotReady(RuntimeError):
    """A server exited or did not answer in time. A RuntimeError, as the copies it replaces raised."""

    def __init__(self, name: str, reason: str, log_path: Path) -> None:
        self.name = name
        self.reason = reason
        self.log_path = log_path
        self.log_tail = log_tail(log_path)
        quoted = f", which ends with:\n{self.log_tail}" if self.log_tail else " (empty so far)"
        super().__init__(f"{name} {reason}; its output is in {log_path}{quoted}")


class ServerProcess:
    """One server subprocess: its output appended to `log_path`, ready when every URL in
    `ready_urls` answers 2xx and `ready_port` (if given) accepts connections.

    With `new_session=True` it runs in a process group of its own, and stop() signals that
    group: for launchers such as scripts/run.sh whose servers are their children. Otherwise
    only its PID is signalled. Nothing else is ever signalled, and nothing once the process
    has been reaped, since its PID may then belong to another process.
    """

    def __init__(
        self,
        command: Sequence[str | os.PathLike[str]],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        ready_urls: Sequence[str] = (),
        ready_port: int | None = None,
        new_session: bool = False,
        name: str | None = None,
    ) -> None:
        self.command = [os.fspath(part) for part in command]
        self.log_path = Path(log_path)
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.ready_urls = list(ready_urls)
        self.ready_port = ready_port
        self.new_session = new_session
        self.name = name or Path(self.command[0]).name
        self._process: subprocess.Popen[bytes] | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> ServerProcess:
        """Starts the process (without waiting for it to answer)."""
        if self.running:
            raise RuntimeError(f"{self.name} is already running (PID {self.pid})")
        # Appending keeps the output of earlier runs (a restarted server, servers sharing a log).
        with open(self.log_path, "ab") as log:
            # The child gets its own copy of the descriptor; ours is closed on leaving the block.
            self._process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=self.new_session,
            )
        return self

    def wait_ready(self, timeout: float, interval: float = 0.5) -> None:
        """Polls until the server answers. Raises ServerNotReady if it exits first or `timeout`
        seconds pass; it is left running then (start_server stops it, or the caller does)."""
        if not self.ready_urls and self.ready_port is None:
            raise ValueError(f"{self.name}: no ready_urls or ready_port to wait for")
        process = self._started()
        deadline = time.monotonic() + timeout
        while True:
            # Checked before probing: a port answered by someone else must not hide that ours died.
            if process.poll() is not None:
                raise ServerNotReady(
                    self.name, f"exited with code {process.returncode} before it answered", self.log_path
                )
            if self.ready():
                return
            if time.monotonic() >= deadline:
                raise ServerNotReady(self.name, f"did not answer within {timeout:.0f} s", self.log_path)
            time.sleep(interval)

    def ready(self) -> bool:
        """Whether every readiness probe answers now."""
        if self.ready_port is not None and not port_answers(self.ready_port):
            return False
        return all(url_answers(url) for url in self.ready_urls)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout` seconds; returns the exit code (None if never started)."""
        stop_all([self], timeout)
        return self._process.returncode if self._process else None

    def __enter__(self) -> ServerProcess:
        if self._process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- state and signals ----------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self._started().pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._process.poll() if self._process else None

    def send_signal(self, signum: int) -> None:
        """Sends `signum` to the process itself (e.g. SIGHUP to reload), if it still runs."""
        process = self._started()
        if process.poll() is None:
            process.send_signal(signum)

    def terminate(self) -> None:
        """Sends SIGTERM to the process (or its group), if it still runs; does not wait."""
        self._signal_own(signal.SIGTERM)

    def _signal_own(self, signum: int) -> None:
        process = self._process
        # poll() first: a reaped PID can be reused. An exited but unreaped one (a zombie) cannot.
        if process is None or process.poll() is not None:
            return
        if self.new_session:
            try:
                os.killpg(process.pid, signum)  # its group ID is its PID: start_new_session made it so
            except ProcessLookupError:
                pass
        else:
            process.send_signal(signum)

    def _wait_or_kill(self, timeout: float) -> None:
        process = self._process
        if process is None:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal_own(signal.SIGKILL)
            process.wait()  # reaped, so it leaves no zombie behind

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            raise RuntimeError(f"{self.name} has not been started")
        return self._process


def stop_all(servers: Iterable[ServerProcess], timeout: float = 30.0) -> None:
    """Stops several servers: SIGTERM to all first so they shut down in parallel, then waits
    for each in turn, killing one that is still running after `timeout` seconds."""
    servers = list(servers)
    for server in servers:
        server.terminate()
    for server in servers:
        server._wait_or_kill(timeout)


def start_server(
    command: Sequence[str | os.PathLike[str]],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    ready_urls: Sequence[str] = (),
    ready_port: int | None = None,
    timeout: float = 120.0,
    new_session: bool = False,
    name: str | None = None,
) -> ServerProcess:
    """Starts a server and returns it once it answers (see ServerProcess). If it does not,
    it is stopped before ServerNotReady propagates: nobody else holds a handle to it."""
    server = ServerProcess(
        command,
        log_path=log_path,
        env=env,
        cwd=cwd,
        ready_urls=ready_urls,
        ready_port=ready_port,
        new_session=new_session,
        name=name,
    ).start()
    try:
        server.wait_ready(timeout)
    except BaseException:  # also Ctrl-C while waiting: the server must not outlive us
        server.stop()
        raise
    return server


def rasa_run_arguments(model: Path, endpoints: Path, credentials: Path, port: int) -> list[str]:
    """`rasa run` arguments serving `model` on 127.0.0.1:`port` (the tests, bench, cluster)."""
    return [
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
        "--interface",
        LOOPBACK,
        "--port",
        str(port),
    ]
