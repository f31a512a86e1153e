#!/usr/bin/env bash
# Starts the assistant in the foreground under supervisord, which restarts any server that
# stops; Ctrl-C or SIGTERM stops everything it started.
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
log_dir=$LOG_DIR
mkdir -p "$log_dir"

model=${RASA_MODEL:-$(ls -t models/*.tar.gz 2>/dev/null | head -n 1)}
if [ -z "$model" ] || [ ! -f "$model" ]; then
  echo "No model to serve (${RASA_MODEL:-models/ is empty}): run 'make train' or set RASA_MODEL." >&2
  exit 1
fi

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

# supervisord (from PyPI) runs the servers and restarts any that stops, with a growing
# delay between failed starts; the others keep serving meanwhile. `supervisorctl -c
# $supervisor_conf status` (or restart actions) works while it runs.
run_dir=$(dirname "$TRACKER_DB")
supervisor_conf=$run_dir/supervisord.conf
program() {  # name, command...
  local name=$1; shift
  printf '\n[program:%s]\ncommand=%s\n' "$name" "$(printf '%q ' "$@")"
  printf 'directory=%s\nautostart=true\nautorestart=true\nstartretries=20\nstartsecs=3\n' "$PWD"
  printf 'stopasgroup=true\nkillasgroup=true\nstopwaitsecs=20\nredirect_stderr=true\n'
  printf 'stdout_logfile=%s\nstdout_logfile_maxbytes=10MB\nstdout_logfile_backups=3\n' "$log_dir/$name.log"
}
{
  printf '[supervisord]\nnodaemon=true\nlogfile=%s\npidfile=%s\nchildlogdir=%s\n' \
    "$log_dir/supervisord.log" "$run_dir/supervisord.pid" "$log_dir"
  printf '[unix_http_server]\nfile=%s\nchmod=0700\n' "$run_dir/supervisor.sock"
  printf '[supervisorctl]\nserverurl=unix://%s\n' "$run_dir/supervisor.sock"
  printf '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n'
  # The action server checks the knowledge file before it serves (actions/server.py).
  program actions "$BIN/python" -m actions.server --host "$ACTION_HOST" --port "$ACTION_PORT"
  # runtime.rasa_server is Rasa's CLI with the per-message costs profiling found removed.
  program rasa "$BIN/python" -m runtime.rasa_server run "${rasa_args[@]}"
  if [ "$mode" != shell ]; then
    program widget "$BIN/python" -m channels.widget_page --host "$WIDGET_HOST" --port "$WIDGET_PORT"
  fi
} > "$supervisor_conf"

supervisor_pid=
stop() {
  trap - INT TERM EXIT
  if [ -n "$supervisor_pid" ]; then
    kill -TERM "$supervisor_pid" 2>/dev/null || true  # supervisord stops every program
    wait "$supervisor_pid" 2>/dev/null || true
  fi
}
trap stop INT TERM EXIT
"$BIN/supervisord" -c "$supervisor_conf" >>"$log_dir/supervisord.out" 2>&1 &
supervisor_pid=$!

# Wait until Rasa has loaded the model and the action server answers, with a progress line.
printf 'Starting the assistant (model %s, logs in %s/)' "$model" "$log_dir"
for _ in $(seq 600); do
  if "$BIN/python" -c "import sys, urllib.request as u; [u.urlopen(x, timeout=2) for x in sys.argv[1:]]" \
       "http://$RASA_HOST:$RASA_PORT/" "http://$ACTION_HOST:$ACTION_PORT/health" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$supervisor_pid" 2>/dev/null \
     || "$BIN/supervisorctl" -c "$supervisor_conf" status 2>/dev/null | grep -q FATAL; then
    printf '\nA server could not start; the end of its logs:\n' >&2
    tail -n 20 "$log_dir"/*.log >&2
    exit 1
  fi
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
  wait "$supervisor_pid"
fi
