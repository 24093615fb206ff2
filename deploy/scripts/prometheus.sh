#!/usr/bin/env bash
# Prometheus for the local fleet: Debian's package (installed when missing), run as a plain
# process with deploy/prometheus's configuration and rules, scraping every service `bin/vla up`
# runs (their actuators, deploy/fleet.conf). State in .vla/prometheus/: the configuration as
# started, the target list, the time series, the log.
#
# usage: prometheus.sh install|start|stop|status
#   VLA_PROMETHEUS_PORT  where it listens on 127.0.0.1 (default 9092; 9090 is left to a system Prometheus)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="$ROOT/.vla/prometheus"
PORT=${VLA_PROMETHEUS_PORT:-9092}
PID_FILE="$STATE/prometheus.pid"

usage() { echo "usage: deploy/scripts/prometheus.sh install|start|stop|status"; }

install() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v amtool >/dev/null && return
  echo "installing Prometheus and Alertmanager from Debian (prometheus, prometheus-alertmanager: promtool, amtool)..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends prometheus prometheus-alertmanager >/dev/null
}

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

# One target per service, on the port its actuator listens on, labelled with the service's name.
write_targets() {
  local first=1 name address
  printf '['
  for name in $(fleet_services); do
    address=$(health_url "$name")
    [ $first -eq 1 ] || printf ','
    first=0
    printf '\n  {"targets": ["%s"], "labels": {"service": "%s"}}' "${address#http://}" "$name"
  done
  printf '\n]\n'
}

start() {
  install
  mkdir -p "$STATE/config/targets" "$STATE/data"
  # The configuration as this start found it; `start` again after changing deploy/prometheus.
  cp "$ROOT/deploy/prometheus/prometheus.yml" "$STATE/config/"
  rm -rf "$STATE/config/rules" && cp -r "$ROOT/deploy/prometheus/rules" "$STATE/config/"
  write_targets > "$STATE/config/targets/fleet.json"
  if running; then
    kill -HUP "$(cat "$PID_FILE")"
    echo "  Prometheus reloaded on http://127.0.0.1:$PORT"
    return
  fi
  nohup prometheus --config.file="$STATE/config/prometheus.yml" --storage.tsdb.path="$STATE/data" \
      --storage.tsdb.retention.time=15d --web.listen-address="127.0.0.1:$PORT" \
      > "$STATE/prometheus.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 60); do
    if curl -fsS -m 1 "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1; then
      echo "  Prometheus on http://127.0.0.1:$PORT (rules from deploy/prometheus/rules)"
      return
    fi
    running || break
    sleep 0.5
  done
  tail -n 20 "$STATE/prometheus.log" >&2
  fail "Prometheus did not start (log: $STATE/prometheus.log); is port $PORT taken? Set VLA_PROMETHEUS_PORT."
}

stop() {
  if running; then
    kill -TERM "$(cat "$PID_FILE")"
    for _ in $(seq 1 40); do running || break; sleep 0.25; done
    echo "  Prometheus stopped"
  fi
  rm -f "$PID_FILE"
}

status() {
  if running; then
    local firing
    firing=$(curl -fsS -m 2 "http://127.0.0.1:$PORT/api/v1/alerts" 2>/dev/null \
        | "$PYTHON" -c 'import json,sys; print(sum(a["state"] == "firing" for a in json.load(sys.stdin)["data"]["alerts"]))' \
        2>/dev/null || echo "?")
    printf '  %-18s 127.0.0.1:%-5s up, %s alerts firing\n' prometheus "$PORT" "$firing"
  else
    printf '  %-18s 127.0.0.1:%-5s down\n' prometheus "$PORT"
  fi
}

case "${1:-}" in
  install|start|stop|status) "$1" ;;
  *) usage >&2; exit 2 ;;
esac
