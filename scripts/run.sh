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
# Server logs go to files, so the terminal shows the banner (and, in shell mode, only the chat).
log_dir=$(dirname "$TRACKER_DB")/log
mkdir -p "$log_dir"

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
"$BIN/python" -m actions.server --host "$ACTION_HOST" --port "$ACTION_PORT" >>"$log_dir/actions.log" 2>&1 &
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
  # runtime.rasa_server reads the token from the environment: never on a command line (ps).
  rasa_args+=(--enable-api)
fi
# HTTP CORS for the widget's origins (socket.io checks origins itself, see credentials.yml).
IFS=',' read -r -a cors_origins <<< "${WIDGET_ORIGINS:-}"
if [ "${#cors_origins[@]}" -gt 0 ]; then
  rasa_args+=(--cors "${cors_origins[@]}")
fi
# runtime.rasa_server is Rasa's CLI with the per-message costs profiling found removed (see its docstring).
"$BIN/python" -m runtime.rasa_server run "${rasa_args[@]}" >>"$log_dir/rasa.log" 2>&1 &
pids+=($!)

if [ "$mode" != shell ]; then
  "$BIN/python" -m channels.widget_page --host "$WIDGET_HOST" --port "$WIDGET_PORT" \
    >>"$log_dir/widget.log" 2>&1 &
  pids+=($!)
fi

# Wait until Rasa has loaded the model and the action server answers, with a progress line.
printf 'Starting the assistant (model %s, logs in %s/)' "$model" "$log_dir"
for _ in $(seq 600); do
  if "$BIN/python" -c "import sys, urllib.request as u; [u.urlopen(x, timeout=2) for x in sys.argv[1:]]" \
       "http://$RASA_HOST:$RASA_PORT/" "http://$ACTION_HOST:$ACTION_PORT/health" 2>/dev/null; then
    break
  fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      printf '\nA server stopped while starting; the end of its logs:\n' >&2
      tail -n 20 "$log_dir"/*.log >&2
      exit 1
    fi
  done
  printf '.'
  sleep 1
done
echo

if [ "${SCALE:-}" = postgres ]; then
  store="PostgreSQL ${POSTGRES_HOST:-}:${POSTGRES_PORT:-}/${POSTGRES_DB:-}"
else
  store=$TRACKER_DB
fi
cat <<BANNER
The BPO vs call center assistant is ready.
  Widget page     http://$WIDGET_HOST:$WIDGET_PORT$([ "$mode" = shell ] && echo " (not served in shell mode)")
  REST webhook    http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook
  Action server   http://$ACTION_HOST:$ACTION_PORT
  Conversations   $store
  Server logs     $log_dir/
Press Ctrl-C to stop.
BANNER

if [ "$mode" = shell ]; then
  "$BIN/python" -m channels.terminal --url "http://$RASA_HOST:$RASA_PORT"
else
  wait -n "${pids[@]}"
fi
