"""`python -m settings shell|endpoints|check`: the settings for processes that are not Python.

shell               prints `export NAME='value'` lines for scripts/run.sh (`eval` them)
endpoints [--out F] writes Rasa's endpoints file for the current settings
check               validates the settings and says which variable is wrong
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from settings import SettingsError, settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m settings", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("shell", "endpoints", "check"))
    parser.add_argument("--out", type=Path, help="endpoints: write here instead of standard output")
    args = parser.parse_args(argv)
    try:
        current = settings()
    except SettingsError as error:
        print(f"Settings: {error} (see .env.example)", file=sys.stderr)
        return 2
    if args.command == "shell":
        for name, value in current.exports().items():
            print(f"export {name}={shlex.quote(value)}")
    elif args.command == "endpoints":
        text = current.endpoints_yaml()
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
        else:
            print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
