#!/usr/bin/env bash
# Prints the path of a working Python 3.10 (Rasa 3.6 supports 3.8-3.10 only).
# pyenv's shim answers to `python3.10` even when 3.10 is not the active version, so each
# candidate is actually run before it is chosen.
set -u
for candidate in "${PYTHON310:-}" python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 \
    "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 /root/.pyenv/versions/3.10*/bin/python3.10; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
# None found: uv (from PyPI) installs a standalone CPython 3.10 where its download host is reachable.
if command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv==0.13.9 >/dev/null 2>&1; then
  uv_bin=$(command -v uv || echo "$HOME/.local/bin/uv")
  if "$uv_bin" python install 3.10 >&2 && found=$("$uv_bin" python find 3.10 2>/dev/null); then
    echo "$found"
    exit 0
  fi
fi
echo "No Python 3.10 found (Rasa 3.6 needs it): install python3.10, or set PYTHON310=/path/to/python3.10." >&2
exit 1
