"""A full disk under the SQLite store: every message still gets a reply, nothing stored is
lost or duplicated, and answers are stored again once there is room.

The store sits on a small tmpfs mounted for the test (root, or sudo without a password:
.ci/run runs as root); the logs live elsewhere, as an operator would keep them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.live_stack import Stack
from tests.live_stack import ask as _ask

TURNS_BEFORE = ["What is BPO?", "What skills do call center agents need?", "and for BPO?"]
TURNS_FULL = ["What is the difference between BPO and a call center?", "How much does a call center cost?"]
TURNS_AFTER = ["What are the disadvantages of BPO?", "Where are BPO companies located?"]


def _privileged(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n", *command]
    pytest.fail("mounting a tmpfs needs root or password-less sudo (CI runs as root)")


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    subprocess.run(
        _privileged(["mount", "-t", "tmpfs", "-o", "size=4m,mode=1777", "tmpfs", str(mount_point)]),
        check=True,
    )
    yield mount_point
    subprocess.run(_privileged(["umount", "-l", str(mount_point)]), check=False)


def _fill(directory: Path) -> Path:
    filler = directory / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_gets_replies_and_loses_or_duplicates_nothing(trained_model, tmp_path, small_disk):
    from faq.knowledge import KnowledgeBase

    apology = KnowledgeBase.load().phrase("service_unavailable", "en")
    stack = Stack(
        tmp_path / "stack",
        trained_model,
        TRACKER_DB=str(small_disk / "tracker.db"),
        LOG_DIR=str(tmp_path / "stack" / "log"),
    )
    (tmp_path / "stack").mkdir()
    stack.start()
    try:
        sender = f"disk-{uuid.uuid4().hex}"
        for text in TURNS_BEFORE:
            assert _ask(stack.url, sender, text)
        filler = _fill(small_disk)
        during = [_ask(stack.url, sender, text) for text in TURNS_FULL]
        filler.unlink()
        after = [_ask(stack.url, sender, text) for text in TURNS_AFTER]
    finally:
        stack.stop()
    assert all(replies for replies in during)  # a reply, never silence
    assert all(replies and replies[0]["text"] != apology for replies in after)
    with sqlite3.connect(small_disk / "tracker.db") as connection:
        stored = [
            json.loads(row[0])["text"]
            for row in connection.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
            )
        ]
    answered_while_full = [t for t, r in zip(TURNS_FULL, during, strict=True) if r[0]["text"] != apology]
    assert stored == TURNS_BEFORE + answered_while_full + TURNS_AFTER
    print(
        f"\n  full disk: {len(during)} messages while full -> "
        f"{sum(r[0]['text'] == apology for r in during)} apologies; "
        f"{len(stored)} user events stored, in order"
    )
