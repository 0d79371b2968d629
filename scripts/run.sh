#!/usr/bin/env bash
# Serve Vida for development: web server, Celery worker and Celery beat together.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# The development settings (SQLite, file broker and cache, DEBUG); without this Vida
# would start with its production settings and ask for secrets.
export VIDA_ENV=development
# VIDA_PORT and VIDA_VAR_DIR run a second copy beside the first (the smoke test does).
PORT=${VIDA_PORT:-8000}
VAR=${VIDA_VAR_DIR:-var}
mkdir -p "$VAR"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Vida..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A vida worker --loglevel=warning --concurrency=1 --pool=solo &
pids+=($!)
$BIN/celery -A vida beat --loglevel=warning --schedule="$VAR/celerybeat-schedule" &
pids+=($!)

echo
echo "Vida is at http://127.0.0.1:$PORT  (demo patient: demo.patient / vida-demo-patient)"
echo "Press Ctrl-C to stop."
echo
$BIN/python manage.py runserver "127.0.0.1:$PORT" &
pids+=($!)
wait -n "${pids[@]}"
