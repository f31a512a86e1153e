#!/usr/bin/env bash
# Starts the assistant in the foreground; Ctrl-C or SIGTERM stops everything it started.
#   scripts/run.sh          action server, Rasa (REST + widget socket.io) and the widget page
#   scripts/run.sh shell    action server and Rasa, with a terminal chat (channels/terminal.py)
# With SCALE=postgres, conversations go to PostgreSQL and locks to Redis (see deploy/).
# Settings come from the environment and .env, with the defaults of settings/ (one place).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mode=${1:-server}
settings_exports=$("$BIN/python" -m settings shell) || exit 2
eval "$settings_exports"
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

# The action server checks the knowledge file before it serves (actions/server.py).
"$BIN/python" -m actions.server --host "$ACTION_HOST" --port "$ACTION_PORT" &
pids+=($!)

# Slack is enabled by its two secrets in the environment; one without the other is an error.
credentials=credentials.yml
if [ -n "${SLACK_BOT_TOKEN:-}" ] || [ -n "${SLACK_SIGNING_SECRET:-}" ]; then
  if [ -z "${SLACK_BOT_TOKEN:-}" ] || [ -z "${SLACK_SIGNING_SECRET:-}" ]; then
    echo "Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see .env.example)." >&2
    exit 1
  fi
  export SLACK_API_URL=${SLACK_API_URL:-https://slack.com/api/}
  credentials=$(dirname "$TRACKER_DB")/credentials.generated.yml
  cat credentials.yml slack/credentials.yml > "$credentials"
fi

# SCALE=postgres: PostgreSQL tracker store and Redis lock store (deploy/scale.env.example).
endpoints=$(dirname "$TRACKER_DB")/endpoints.generated.yml
"$BIN/python" -m settings endpoints --out "$endpoints"
if [ "${SCALE:-}" = postgres ]; then
  endpoints=deploy/endpoints.scale.yml
elif [ -n "${SCALE:-}" ]; then
  echo "Unknown SCALE=$SCALE (use SCALE=postgres or leave it unset)." >&2
  exit 1
fi

rasa_args=(--model "$model" --endpoints "$endpoints" --credentials "$credentials"
           --interface "$RASA_HOST" --port "$RASA_PORT")
if [ -n "${RASA_API_TOKEN:-}" ]; then
  rasa_args+=(--enable-api --auth-token "$RASA_API_TOKEN")
fi
# HTTP CORS for the widget's origins (socket.io checks origins itself, see credentials.yml).
IFS=',' read -r -a cors_origins <<< "${WIDGET_ORIGINS:-}"
if [ "${#cors_origins[@]}" -gt 0 ]; then
  rasa_args+=(--cors "${cors_origins[@]}")
fi
# runtime.rasa_server is Rasa's CLI with the per-message costs profiling found removed (see its docstring).
"$BIN/python" -m runtime.rasa_server run "${rasa_args[@]}" &
pids+=($!)

if [ "$mode" = shell ]; then
  echo "Loading the model..."
  "$BIN/python" - "$RASA_HOST" "$RASA_PORT" <<'WAIT'
import sys, time, urllib.request
url = f"http://{sys.argv[1]}:{sys.argv[2]}/"
for _ in range(600):
    try:
        urllib.request.urlopen(url, timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit("Rasa did not start")
WAIT
  "$BIN/python" -m channels.terminal --url "http://$RASA_HOST:$RASA_PORT"
else
  "$BIN/python" -m http.server "$WIDGET_PORT" --bind "$WIDGET_HOST" --directory widget/public >/dev/null 2>&1 &
  pids+=($!)
  echo "Serving $model: Rasa http://$RASA_HOST:$RASA_PORT, actions http://$ACTION_HOST:$ACTION_PORT," \
       "widget http://$WIDGET_HOST:$WIDGET_PORT (Ctrl-C stops)"
  wait -n "${pids[@]}"
fi
