#!/usr/bin/env bash
# Starts the action server and Rasa in the foreground; Ctrl-C or SIGTERM stops both.
#   scripts/run.sh          Rasa with the REST channel on $RASA_HOST:$RASA_PORT
#   scripts/run.sh shell    rasa shell in this terminal
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

if [ "$mode" = shell ]; then
  "$BIN/rasa" shell --model "$model" --endpoints endpoints.yml
else
  "$BIN/rasa" run --model "$model" --endpoints endpoints.yml --credentials credentials.yml \
    --interface "$RASA_HOST" --port "$RASA_PORT" "${api_args[@]}" &
  pids+=($!)
  echo "Serving $model: Rasa on http://$RASA_HOST:$RASA_PORT, actions on http://$ACTION_HOST:$ACTION_PORT (Ctrl-C stops)"
  wait -n "${pids[@]}"
fi
