"""Fails when a function outside tests/ is more complex than MAX_COMPLEXITY (radon's
cyclomatic complexity): `make lint` runs it so that no branchy function creeps back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from radon.complexity import cc_visit

MAX_COMPLEXITY = 15
PROJECT = Path(__file__).resolve().parent.parent


def python_files() -> list[Path]:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [PROJECT / name for name in tracked if not name.startswith("tests/") and (PROJECT / name).exists()]


def main() -> int:
    too_complex = []
    for path in python_files():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                name = f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name
                too_complex.append(f"{path.relative_to(PROJECT)}:{block.lineno} {name}: {block.complexity}")
    for line in too_complex:
        print(line)
    print(f"complexity: {len(too_complex)} function(s) above {MAX_COMPLEXITY}")
    return 1 if too_complex else 0


if __name__ == "__main__":
    sys.exit(main())
