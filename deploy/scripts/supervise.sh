#!/usr/bin/env bash
# Runs a command and starts it again whenever it dies, until told to stop: SIGTERM (what
# `bin/vla down` sends), which it passes on to the command and waits for. Between restarts it
# backs off from 1 s to 60 s; a run that lasted over a minute starts the backoff again at 1 s.
#
# usage: supervise.sh PID_FILE RESTARTS_FILE COMMAND [ARG...]
#   PID_FILE       holds the command's current pid
#   RESTARTS_FILE  holds how often it was restarted (bin/vla status shows it)
set -uo pipefail
pid_file=$1 restarts_file=$2
shift 2

child=""
stopping=false
stop() {
  stopping=true
  [ -z "$child" ] || kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

restarts=0
backoff=1
echo "$restarts" > "$restarts_file"
while true; do
  started=$SECONDS
  "$@" &
  child=$!
  echo "$child" > "$pid_file"
  # wait returns early when a trapped signal arrives; keep waiting until the command has exited.
  while kill -0 "$child" 2>/dev/null; do wait "$child"; done
  wait "$child"
  code=$?
  $stopping && exit 0
  restarts=$((restarts + 1))
  echo "$restarts" > "$restarts_file"
  if [ $((SECONDS - started)) -gt 60 ]; then backoff=1; fi
  echo "supervise.sh: $1 (pid $child) exited with status $code; restart $restarts in ${backoff} s" >&2
  sleep "$backoff" &
  wait $!
  $stopping && exit 0
  backoff=$((backoff * 2 > 60 ? 60 : backoff * 2))
done
