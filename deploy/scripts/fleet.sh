#!/usr/bin/env bash
# Starts, stops and reports the local fleet: PostgreSQL and Redis (started or installed when
# missing), then the services deploy/fleet.conf defines, as background processes, each under
# supervise.sh, which starts it again when it dies, then Prometheus scraping them
# (deploy/scripts/prometheus.sh). State lives in .vla/: generated tokens, pid
# files (the supervisor's NAME.pid, the service's NAME.java.pid), restart counts, logs, and each
# service's folder NAME/ for what it must not lose in a crash (inference-service's request journal).
# `up --tls` also starts more gateways and nginx in front of them, terminating TLS (see below).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
STATE="$ROOT/.vla"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
# Exporting VLA_GATEWAY_PORT and the like moves a service and this script's checks together.
# Any start order works: billing-service waits for the read models the other two publish.
SERVICES=$(fleet_services)

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid" || true; }
restarts_of() { [ -f "$PIDS/$1.restarts" ] && cat "$PIDS/$1.restarts" || echo 0; }
# The supervisor runs: the service is running, or about to be started again.
running() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
healthy() { curl -fsS -m 2 "$(instance_health_url "$1")$(fleet_health_path "$(service_of "$1")")" 2>/dev/null | grep -q '"UP"'; }

# up --tls: nginx (deploy/scripts/nginx.sh) on https://127.0.0.1:8443 in front of VLA_TLS_GATEWAYS
# gateways, gateway-service and the extra instances gateway-service-2, -3, ...; the k-th listens on
# the first's port and management port plus 100 * (k - 1) (8180 and 8190 for the second).
TLS=false
TLS_GATEWAYS=${VLA_TLS_GATEWAYS:-2}
service_of() { echo "${1%-[0-9]*}"; }
# 1 for a service of deploy/fleet.conf, k for its k-th instance.
instance_number() { [[ $1 =~ -([0-9]+)$ ]] && echo "${BASH_REMATCH[1]}" || echo 1; }
instance_port() { echo $(( $(port_of "$(service_of "$1")") + 100 * ($(instance_number "$1") - 1) )); }
instance_health_url() {
  local base
  base=$(health_url "$(service_of "$1")")
  echo "${base%:*}:$(( ${base##*:} + 100 * ($(instance_number "$1") - 1) ))"
}
extra_gateways() { [ "$TLS_GATEWAYS" -ge 2 ] && seq -f 'gateway-service-%g' 2 "$TLS_GATEWAYS" || true; }
# The extra instances an earlier `up --tls` started, whatever VLA_TLS_GATEWAYS says now.
started_extras() { ls "$PIDS" 2>/dev/null | sed -n 's/^\(.*-[0-9][0-9]*\)\.pid$/\1/p'; }
tls_upstreams() {
  local name upstreams=()
  for name in gateway-service $(extra_gateways); do upstreams+=("127.0.0.1:$(instance_port "$name")"); done
  echo "${upstreams[*]}"
}

# resolve SERVICE VALUE: a setting of deploy/fleet.conf as this machine runs the fleet. Empty for the
# database and Redis: the services' defaults are this machine's, and an exported VLA_DB_URL or
# VLA_REDIS_HOST still reaches them; VLA_POSTGRES_PORT or VLA_DB_NAME, where postgres.sh prepared
# the database, move the database's URL with them.
resolve() {
  local service=$1 value=$2 whole kind argument replacement
  while [[ $value =~ \{([a-z-]+)(:([a-z0-9-]+))?\} ]]; do
    whole=${BASH_REMATCH[0]} kind=${BASH_REMATCH[1]} argument=${BASH_REMATCH[3]}
    case "$kind" in
      url) replacement=$(local_url "$argument") ;;
      secret) replacement=$(token "$argument") ;;
      models) replacement="$ROOT/reference-policy/bundles" ;;
      state) replacement="$STATE/$service" ;;
      database)
        [ -n "${VLA_POSTGRES_PORT:-}${VLA_DB_NAME:-}" ] && [ -z "${VLA_DB_URL:-}" ] || return 0
        replacement="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/${VLA_DB_NAME:-vlaapi}" ;;
      redis-host) return 0 ;;
      *) fail "deploy/fleet.conf: unknown placeholder $whole" ;;
    esac
    value=${value//"$whole"/"$replacement"}
  done
  printf '%s' "$value"
}

# Starts the service in the background unless it already runs; NAME is one of deploy/fleet.conf's
# services or an extra instance of one (gateway-service-2), which has ports of its own.
launch_service() {
  local name=$1 service port health jar
  service=$(service_of "$name")
  port=$(instance_port "$name")
  health=$(instance_health_url "$name")
  if running "$name" && healthy "$name"; then
    echo "  $name already running on 127.0.0.1:$port"
    return
  fi
  jar=$(ls "$ROOT/$service"/target/"$service"-*.jar 2>/dev/null | grep -v original | head -1)
  [ -n "$jar" ] || { echo "error: $service is not built; run 'mvn -DskipTests install'" >&2; exit 1; }
  echo "  starting $name on 127.0.0.1:$port"
  # Resolved here, not in the background command: its expansions would run in a subshell of
  # its own, where the services' launches would race to generate the shared secrets.
  local settings=("$(port_variable "$service")=$port") variable value
  [ "${health##*:}" = "$port" ] || settings+=("MANAGEMENT_SERVER_PORT=${health##*:}")
  # Behind nginx a gateway takes the client's address from the X-Forwarded-For nginx sets.
  if $TLS && [ "$service" = gateway-service ]; then
    settings+=("VLA_GATEWAY_TRUSTED_PROXIES=${VLA_GATEWAY_TRUSTED_PROXIES:-127.0.0.1}")
  fi
  # Invitation links to the portal point at nginx, which serves it over HTTPS.
  if $TLS && [ "$service" = customer-service ]; then
    settings+=("VLA_CUSTOMER_PORTAL_PUBLIC_URL=${VLA_CUSTOMER_PORTAL_PUBLIC_URL:-https://${VLA_TLS_ADDRESS:-127.0.0.1}:${VLA_TLS_PORT:-8443}}")
  fi
  while read -r variable value; do
    value=$(resolve "$name" "$value")
    [ -z "$value" ] || settings+=("$variable=$value")
  done < <(fleet_env "$service")
  local jvm_options
  jvm_options=$(fleet_jvm_options "$service")
  env "${settings[@]}" nohup "$ROOT/deploy/scripts/supervise.sh" "$PIDS/$name.java.pid" "$PIDS/$name.restarts" \
      java ${VLA_JAVA_OPTS:--Xmx1g} $jvm_options -jar "$jar" > "$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

# Waits until the service answers its health check (all of them start at once, so allow for it).
await_service() {
  local name=$1
  printf '  waiting for %-18s' "$name"
  for _ in $(seq 1 180); do
    if healthy "$name"; then echo " up"; return; fi
    # A service that dies while starting would die again: say why instead of restarting it forever.
    if ! running "$name" || [ "$(restarts_of "$name")" -gt 0 ]; then break; fi
    printf '.'
    sleep 1
  done
  echo " FAILED"
  kill -TERM "$(pid_of "$name")" 2>/dev/null || true
  echo "---- last lines of $LOGS/$name.log ----" >&2
  tail -n 30 "$LOGS/$name.log" >&2
  echo "Fix the problem above, then run 'bin/vla up' again ('bin/vla down' stops what started)." >&2
  exit 1
}

up() {
  case "${1:-}" in
    --tls) TLS=true ;;
    "") ;;
    *) fail "unknown option $1; usage: bin/vla up [--tls]" ;;
  esac
  mkdir -p "$LOGS" "$PIDS"
  echo "== infrastructure"
  "$ROOT/deploy/scripts/redis.sh"
  # Each service's database role gets the password deploy/fleet.conf gives the service.
  VLA_CUSTOMER_DB_PASSWORD=$(token customer-db-password) VLA_INFERENCE_DB_PASSWORD=$(token inference-db-password) \
    VLA_BILLING_DB_PASSWORD=$(token billing-db-password) "$ROOT/deploy/scripts/postgres.sh"
  echo "== build (mvn -DskipTests install, a minute or two the first time)"
  (cd "$ROOT" && mvn -q -B -DskipTests install)
  echo "== services"
  local instances=$SERVICES
  ! $TLS || instances="$instances $(extra_gateways)"
  for s in $instances; do launch_service "$s"; done
  for s in $instances; do await_service "$s"; done
  echo "== monitoring"
  "$ROOT/deploy/scripts/prometheus.sh" start
  local gateway api api_note="(gateway-service)" cacert="" portal
  gateway=$(port_of gateway-service)
  api="http://127.0.0.1:$gateway"
  portal="http://127.0.0.1:$(port_of customer-service)/portal   (its cookies need HTTPS: use bin/vla up --tls in a browser)"
  if $TLS; then
    echo "== TLS (nginx)"
    VLA_TLS_UPSTREAMS=$(tls_upstreams) VLA_TLS_PORTAL=127.0.0.1:$(port_of customer-service) \
      "$ROOT/deploy/scripts/nginx.sh" start
    api="https://${VLA_TLS_ADDRESS:-127.0.0.1}:${VLA_TLS_PORT:-8443}"
    api_note="(nginx in front of the gateways $(tls_upstreams))"
    cacert=" --cacert ${VLA_TLS_CERT:-${VLA_NGINX_DIR:-.vla/nginx}/tls/cert.pem}"
    portal="$api/portal   (customers sign in with bin/vla invite's link)"
  fi
  cat <<EOM

The VLA API is up.
  public API     $api/v1/inference   $api_note
  inference      http://127.0.0.1:$(port_of inference-service)                (internal; only the gateway may call it)
  customers      http://127.0.0.1:$(port_of customer-service)/admin/v1       (admin token in .vla/admin-token)
  portal         $portal
  billing        http://127.0.0.1:$(port_of billing-service)
  metrics        /actuator/prometheus on each service's port; the gateway's at $(health_url gateway-service) (loopback only)
  prometheus     http://127.0.0.1:${VLA_PROMETHEUS_PORT:-9092}   (alerts and queries; rules in deploy/prometheus)
  logs           .vla/logs/

Next:
  bin/vla create-customer          # prints a customer id and an API key
  KEY=vla_live_...                 # the key it printed
  IMG=\$(base64 -w0 reference-policy/evalsets/tabletop-v1/images/0001.png)
  curl -s$cacert $api/v1/inference -H "Authorization: Bearer \$KEY" \\
       -H 'Content-Type: application/json' \\
       -d "{\"image\": \"\$IMG\", \"instruction\": \"go to the purple tube\"}"
EOM
}

down() {
  local name pid
  "$ROOT/deploy/scripts/nginx.sh" stop
  # The reverse of the start order: the gateways stop taking requests before what serves them.
  for name in $(started_extras) $(echo "$SERVICES" | tac); do
    pid=$(pid_of "$name")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      printf '  stopping %s ' "$name"
      # The supervisor passes SIGTERM on and waits: inference-service drains its request-log
      # queue before exiting.
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; printf '.'; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then
        echo " did not stop in 30 s; killing"
        kill -KILL "$pid" "$(cat "$PIDS/$name.java.pid" 2>/dev/null)" 2>/dev/null || true
      else
        echo " stopped"
      fi
    fi
    rm -f "$PIDS/$name.pid" "$PIDS/$name.java.pid" "$PIDS/$name.restarts"
  done
  "$ROOT/deploy/scripts/prometheus.sh" stop
}

status() {
  local name
  for name in $SERVICES $(started_extras); do
    local state=down restarts
    if running "$name"; then state="running, not healthy"; healthy "$name" && state=up; fi
    restarts=$(restarts_of "$name")
    [ "$restarts" = 0 ] || state="$state, restarted $restarts times (see .vla/logs/$name.log)"
    printf '  %-18s 127.0.0.1:%-5s %s\n' "$name" "$(instance_port "$name")" "$state"
  done
  redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && echo "  redis              127.0.0.1:6379  up" || echo "  redis              127.0.0.1:6379  down"
  postgres_running && echo "  postgresql         127.0.0.1:$POSTGRES_PORT  up" || echo "  postgresql         127.0.0.1:$POSTGRES_PORT  down"
  "$ROOT/deploy/scripts/prometheus.sh" status
  [ ! -d "${VLA_NGINX_DIR:-$STATE/nginx}" ] || "$ROOT/deploy/scripts/nginx.sh" status
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  *) echo "usage: fleet.sh up [--tls]|down|status" >&2; exit 2 ;;
esac
