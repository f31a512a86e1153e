"""Security defaults: loopback only, origins checked, no secrets in the repository or logs."""

from __future__ import annotations

import re
import subprocess
import urllib.error
import urllib.request

from tests.conftest import PROJECT
from tests.live_stack import SLACK_SIGNING_SECRET

# Shapes of real credentials; test fixtures use obviously fake values that do not match.
SECRET_PATTERNS = {
    "Slack token": re.compile(r"xox[abposr]-\d{6,}-[A-Za-z0-9-]{10,}"),
    "Slack webhook": re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "private key": re.compile(r"-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----"),
    "GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    "assigned secret": re.compile(
        r"(?i)(signing_secret|api_token|password)\s*[=:]\s*['\"]?[A-Za-z0-9/+]{24,}"
    ),
}


def _listening_addresses(port: int) -> set:
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            next(handle)
            for line in handle:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:
                    addresses.add(address)
    return addresses


def test_every_server_listens_on_loopback_only(stack):
    loopback = {"0100007F", "00000000000000000000000001000000"}
    for name, port in {
        "rasa": stack.rasa_port,
        "actions": stack.action_port,
        "widget": stack.widget_port,
    }.items():
        found = _listening_addresses(port)
        assert found and found <= loopback, (name, found)
    print(f"\n  loopback: rasa {stack.rasa_port}, actions {stack.action_port}, widget {stack.widget_port}")


def test_cors_allows_only_the_widget_origin(stack):
    def allowed(origin: str) -> str | None:
        request = urllib.request.Request(
            f"{stack.url}/webhooks/rest/webhook",
            method="OPTIONS",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.headers.get("Access-Control-Allow-Origin")
        except urllib.error.HTTPError as error:
            return error.headers.get("Access-Control-Allow-Origin")

    assert allowed(stack.widget_url) == stack.widget_url
    assert allowed("http://evil.example") in (None, "")


def test_no_secret_is_committed():
    files = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.split()
    findings = []
    for name in files:
        path = PROJECT / name
        if not path.is_file() or path.suffix in (".png", ".gz", ".tar"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        findings += [f"{name}: {kind}" for kind, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    assert findings == []
    print(f"\n  secrets scan: {len(files)} tracked files, no credentials found")


def test_secrets_never_reach_the_logs(stack):
    log = stack.logs()
    assert log, "the stack wrote no log"
    for secret in (SLACK_SIGNING_SECRET, "xoxb-test-token", stack.token):
        assert secret not in log


def test_the_slack_signature_is_always_checked(stack):
    body = b'{"type": "url_verification", "challenge": "c"}'
    for headers in ({}, {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=" + "0" * 64}):
        request = urllib.request.Request(
            f"{stack.url}/webhooks/slack/webhook",
            data=body,
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            urllib.request.urlopen(request, timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == 401


def test_the_api_token_is_on_no_command_line_yet_the_api_takes_it(stack):
    from pathlib import Path

    rasa = stack.child_pid("runtime.rasa_server")
    command = (Path("/proc") / str(rasa) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    assert "--enable-api" in command and stack.token not in command
    with urllib.request.urlopen(f"{stack.url}/status?token={stack.token}", timeout=10) as response:
        assert response.status == 200
