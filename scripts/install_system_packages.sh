#!/usr/bin/env bash
# Installs the Debian packages `make test` needs; `.ci/run` calls it too. Idempotent: it does
# nothing when every program is already there.
#   make, tmux        the entry point; the terminal test drives `make shell` in tmux
#   chromium          the widget's browser test (no browser is downloaded at run time)
#   fonts-noto-color-emoji   the widget's 👍/👎 feedback buttons in Chromium's screenshots
#                     (headless Chromium has no emoji font of its own: they were empty boxes)
#   postgresql, redis-server, nginx   the scale-out and fault tests start their own instances
#   nodejs, npm       the widget's socket.io client (npm ci)
# As root it uses apt-get, otherwise sudo when available; without either it stops and prints
# the exact command to run.
set -euo pipefail

packages=(make tmux chromium fonts-noto-color-emoji postgresql redis-server nginx nodejs npm curl ca-certificates)
# Program that tells whether each package is installed (postgres lives in a versioned folder).
declare -A probe=([make]=make [tmux]=tmux [chromium]=chromium [redis-server]=redis-server
                  [nginx]=nginx [nodejs]=node [npm]=npm [curl]=curl)

missing=()
for package in "${packages[@]}"; do
  case "$package" in
    postgresql) compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=("$package") ;;
    ca-certificates) [ -d /etc/ssl/certs ] || missing+=("$package") ;;
    fonts-noto-color-emoji) [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=("$package") ;;
    *) PATH="$PATH:/usr/sbin:/sbin" command -v "${probe[$package]}" >/dev/null || missing+=("$package") ;;
  esac
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi

command=(apt-get install -y -qq "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  run=(sudo)
else
  echo "Missing system packages: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo ${command[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" "${command[@]}" >/dev/null
