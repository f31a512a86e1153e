"""A skipped test fails the run in CI and is named in the summary elsewhere (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT

SKIPPING_TEST = 'import pytest\n\n\ndef test_needs_a_program():\n    pytest.skip("tmux is not installed")\n'


def _run(tmp_path, ci: bool) -> subprocess.CompletedProcess:
    folder = PROJECT / "tests" / "unit" / f"_skip_probe_{os.getpid()}"
    folder.mkdir()
    try:
        (folder / "test_probe.py").write_text(SKIPPING_TEST, encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if key != "CI"}
        if ci:
            env["CI"] = "true"
        return subprocess.run(
            [sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider"],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def test_a_skip_fails_the_run_in_ci(tmp_path):
    result = _run(tmp_path, ci=True)
    assert result.returncode != 0 and "skipped in CI" in result.stdout


def test_outside_ci_a_skip_is_named_in_one_summary_line(tmp_path):
    result = _run(tmp_path, ci=False)
    assert result.returncode == 0
    assert "SKIPPED 1 test(s): Skipped: tmux is not installed" in result.stdout
