#!/usr/bin/env bash
# Starts the action server and Rasa in the foreground; Ctrl-C or SIGTERM stops both.
#   scripts/run.sh          Rasa with the REST channel on $RASA_HOST:$RASA_PORT
#   scripts/run.sh shell    the same, with a terminal chat (channels/terminal.py) in front
# Settings come from the environment (see .env.example); the Makefile sets the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mode=${1:-server}
mkdir -p "$(dirname "$TRACKER_DB")"

model=${RASA_MODEL:-$(ls -t models/*.tar.gz 2>/dev/null | head -n 1)}
if [ -z "$model" ] || [ ! -f "$model" ]; then
  echo "No model to serve (${RASA_MODEL:-models/ is empty}): run 'make train' or set RASA_MODEL." >&2
  exit 1
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# rasa_sdk has no --host flag; it binds to SANIC_HOST.
SANIC_HOST="$ACTION_HOST" "$BIN/python" -m rasa_sdk --actions actions --port "$ACTION_PORT" &
pids+=($!)

api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
fi

"$BIN/rasa" run --model "$model" --endpoints endpoints.yml --credentials credentials.yml \
  --interface "$RASA_HOST" --port "$RASA_PORT" "${api_args[@]}" &
pids+=($!)

if [ "$mode" = shell ]; then
  # The terminal client renders tables, numbered buttons and sources for a terminal
  # (channels/terminal.py); it talks to Rasa's REST channel once the model is loaded.
  echo "Loading the model..."
  "$BIN/python" - "$RASA_HOST" "$RASA_PORT" <<'WAIT'
import sys, time, urllib.request
url = f"http://{sys.argv[1]}:{sys.argv[2]}/"
for _ in range(300):
    try:
        urllib.request.urlopen(url, timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit("Rasa did not start")
WAIT
  "$BIN/python" -m channels.terminal --url "http://$RASA_HOST:$RASA_PORT"
else
  echo "Serving $model: Rasa on http://$RASA_HOST:$RASA_PORT, actions on http://$ACTION_HOST:$ACTION_PORT (Ctrl-C stops)"
  wait -n "${pids[@]}"
fi
