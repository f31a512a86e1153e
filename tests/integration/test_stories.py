"""The stories in data/stories are learned: every path they cover is predicted right by the
dialogue policy alone, with every rule removed."""

from __future__ import annotations

import os
import subprocess

import yaml

from tests.conftest import PROJECT

RASA = PROJECT / ".venv" / "bin" / "rasa"


def test_every_story_path_is_right_without_the_rules(tmp_path):
    config = yaml.safe_load((PROJECT / "config.yml").read_text(encoding="utf-8"))
    config["policies"] = [policy for policy in config["policies"] if policy["name"] != "RulePolicy"]
    assert config["policies"], "a policy must learn the stories"
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "RASA_TELEMETRY_ENABLED": "false"}

    def rasa(*args: str) -> None:
        done = subprocess.run(
            [str(RASA), *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    rasa(
        "train",
        "core",
        "--config",
        str(tmp_path / "config.yml"),
        "--domain",
        "domain.yml",
        "--stories",
        "data/stories",
        "--out",
        str(tmp_path),
        "--fixed-model-name",
        "stories-only",
    )
    rasa(
        "test",
        "core",
        "--model",
        str(tmp_path / "stories-only.tar.gz"),
        "--stories",
        "data/stories",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path / "results"),
    )
