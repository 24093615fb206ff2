#!/usr/bin/env bash
# nginx terminating TLS in front of the gateways (deploy/nginx/: the configuration, and what a
# client sees when a gateway dies): Debian's package, installed when missing, run as a plain
# process. Its state folder holds the configuration as rendered, the certificate (a self-signed one
# for localhost and 127.0.0.1 is generated when none is given), logs, pid and temporary files.
#
# usage: nginx.sh install|start|stop|status|foreground
#   foreground: in a container (docker-compose.yml's lb tier): render, then run nginx in the
#   foreground with its logs on standard output; VLA_TLS_CERT and VLA_TLS_KEY are required there
#   VLA_TLS_UPSTREAMS   start: the gateways, host:port separated by spaces or commas
#                       (bin/vla up --tls passes its own)
#   VLA_TLS_PORTAL      customer-service, host:port, which serves /portal (default 127.0.0.1:8082)
#   VLA_TLS_PORT        the HTTPS port (default 8443)
#   VLA_TLS_ADDRESS     the address it listens on (default 127.0.0.1; 0.0.0.0 for every interface)
#   VLA_TLS_CERT, VLA_TLS_KEY  PEM certificate (chain) and key; default: the generated self-signed pair
#   VLA_NGINX_DIR       the state folder (default .vla/nginx)
#   VLA_GATEWAY_MAX_BODY_BYTES, VLA_GATEWAY_READ_TIMEOUT, VLA_GATEWAY_IDLE_TIMEOUT: the gateways'
#                       own settings, which nginx's limits follow (defaults 12MB, 10s, 60s)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DIR=${VLA_NGINX_DIR:-$ROOT/.vla/nginx}
PORT=${VLA_TLS_PORT:-8443}
ADDRESS=${VLA_TLS_ADDRESS:-127.0.0.1}
PID_FILE="$DIR/nginx.pid"
# Debian puts it in /usr/sbin, which a non-root PATH may lack.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

usage() { echo "usage: deploy/scripts/nginx.sh install|start|stop|status|foreground"; }

install() {
  [ -x "$NGINX" ] && command -v openssl >/dev/null && return
  echo "installing nginx from Debian (nginx and openssl packages)..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends nginx openssl >/dev/null
  [ -x "$NGINX" ] || fail "the nginx package installed no $NGINX; install it by hand: apt-get install nginx"
}

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

# Spring's data size (12MB, 512KB, 1048576) in bytes.
bytes() {
  local size=${1^^}
  [[ $size =~ ^([0-9]+)(B|KB|MB|GB)?$ ]] || fail "VLA_GATEWAY_MAX_BODY_BYTES=$1: use a size like 12MB, 512KB or a number of bytes"
  case "${BASH_REMATCH[2]}" in
    KB) echo $((BASH_REMATCH[1] * 1024)) ;;
    MB) echo $((BASH_REMATCH[1] * 1024 * 1024)) ;;
    GB) echo $((BASH_REMATCH[1] * 1024 * 1024 * 1024)) ;;
    *) echo "${BASH_REMATCH[1]}" ;;
  esac
}

# Spring's duration (10s, 500ms, 1m) as nginx writes it: the same units, when whole.
duration() {
  [[ $2 =~ ^[0-9]+(ms|s|m|h|d)$ ]] || fail "$1=$2: use a duration like 500ms, 10s or 1m for nginx to follow it"
  echo "$2"
}

seconds() {
  [[ $1 =~ ^([0-9]+)(ms|s|m|h|d)$ ]]
  case "${BASH_REMATCH[2]}" in
    ms) echo $((BASH_REMATCH[1] / 1000)) ;;
    s) echo "${BASH_REMATCH[1]}" ;;
    m) echo $((BASH_REMATCH[1] * 60)) ;;
    h) echo $((BASH_REMATCH[1] * 3600)) ;;
    d) echo $((BASH_REMATCH[1] * 86400)) ;;
  esac
}

# A self-signed certificate for this machine's names, made once: clients trust it by pinning
# DIR/tls/cert.pem (curl --cacert, a Java trust store), not by turning verification off.
certificate() {
  [ -s "$DIR/tls/cert.pem" ] && [ -s "$DIR/tls/key.pem" ] && return
  mkdir -p "$DIR/tls"
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
      -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>"$DIR/tls/openssl.log") \
      || fail "openssl could not make a certificate (see $DIR/tls/openssl.log)"
  chmod 644 "$DIR/tls/cert.pem"
  echo "  generated a self-signed certificate: $DIR/tls/cert.pem"
}

render() {
  local upstreams=${VLA_TLS_UPSTREAMS:-}
  [ -n "$upstreams" ] || fail "VLA_TLS_UPSTREAMS is empty: name the gateways (host:port, space-separated), or run 'bin/vla up --tls'"
  local servers="" upstream idle
  for upstream in ${upstreams//,/ }; do
    [[ $upstream =~ ^[^:]+:[0-9]+$ ]] || fail "VLA_TLS_UPSTREAMS: '$upstream' is not host:port"
    servers+="        server $upstream max_fails=2 fail_timeout=10s;"$'\n'
  done
  local portal=${VLA_TLS_PORTAL:-127.0.0.1:8082}
  [[ $portal =~ ^[^:]+:[0-9]+$ ]] || fail "VLA_TLS_PORTAL: '$portal' is not host:port"
  idle=$(duration VLA_GATEWAY_IDLE_TIMEOUT "${VLA_GATEWAY_IDLE_TIMEOUT:-60s}")
  local max_bytes
  max_bytes=$(bytes "${VLA_GATEWAY_MAX_BODY_BYTES:-12MB}")
  local user_directive=""
  # As root, nginx would hand its workers to nobody, who cannot write request bodies into this
  # folder's temporary files; workers run as the user who owns the folder instead.
  [ "$(id -u)" -ne 0 ] || user_directive="user $(stat -c %U "$DIR") $(stat -c %G "$DIR");"
  NGX_USER_DIRECTIVE=$user_directive NGX_PREFIX=$DIR NGX_CONF_DIR=$DIR/conf \
  NGX_UPSTREAM_SERVERS=${servers%$'\n'} NGX_ADDRESS=$ADDRESS NGX_TLS_PORT=$PORT \
  NGX_CERT=${VLA_TLS_CERT:-$DIR/tls/cert.pem} NGX_KEY=${VLA_TLS_KEY:-$DIR/tls/key.pem} \
  NGX_MAX_BODY_BYTES=$max_bytes NGX_PORTAL_SERVER=$portal \
  NGX_READ_TIMEOUT=$(duration VLA_GATEWAY_READ_TIMEOUT "${VLA_GATEWAY_READ_TIMEOUT:-10s}") \
  NGX_IDLE_TIMEOUT=$idle NGX_UPSTREAM_KEEPALIVE_TIMEOUT=$(( $(seconds "$idle") * 5 / 6 ))s \
  awk '{
    while (match($0, /\{\{[A-Z_]+\}\}/)) {
      name = "NGX_" substr($0, RSTART + 2, RLENGTH - 4)
      if (!(name in ENVIRON)) { print "unknown placeholder " name > "/dev/stderr"; exit 1 }
      $0 = substr($0, 1, RSTART - 1) ENVIRON[name] substr($0, RSTART + RLENGTH)
    }
    print
  }' "$ROOT/deploy/nginx/nginx.conf.template" > "$DIR/conf/nginx.conf"
  cp "$ROOT/deploy/nginx/security-headers.conf" "$DIR/conf/"
}

start() {
  install
  mkdir -p "$DIR/conf" "$DIR/logs" "$DIR/tmp"
  [ -n "${VLA_TLS_CERT:-}" ] || certificate
  render
  # nginx writes the times in its logs in the zone it starts in.
  local check
  check=$(TZ=UTC "$NGINX" -t -q -p "$DIR" -e "$DIR/logs/error.log" -c "$DIR/conf/nginx.conf" 2>&1) \
      || fail "nginx refused the configuration $DIR/conf/nginx.conf: $check"
  if running; then
    TZ=UTC "$NGINX" -p "$DIR" -e "$DIR/logs/error.log" -c "$DIR/conf/nginx.conf" -s reload
    echo "  nginx reloaded on https://$ADDRESS:$PORT"
    return
  fi
  TZ=UTC "$NGINX" -p "$DIR" -e "$DIR/logs/error.log" -c "$DIR/conf/nginx.conf"
  for _ in $(seq 1 40); do
    running && { echo "  nginx on https://$ADDRESS:$PORT in front of ${VLA_TLS_UPSTREAMS//,/ }"; return; }
    sleep 0.25
  done
  tail -n 20 "$DIR/logs/error.log" >&2
  fail "nginx did not start (log: $DIR/logs/error.log); is port $PORT taken? Set VLA_TLS_PORT."
}

stop() {
  if running; then
    # QUIT: a graceful stop, requests in flight are answered first.
    kill -QUIT "$(cat "$PID_FILE")"
    for _ in $(seq 1 80); do running || break; sleep 0.25; done
    if running; then
      echo "  nginx did not stop in 20 s; terminating it"
      kill -TERM "$(cat "$PID_FILE")" 2>/dev/null || true
    else
      echo "  nginx stopped"
    fi
  fi
  rm -f "$PID_FILE"
}

status() {
  if running; then
    printf '  %-18s %s:%-5s up (https; access log %s)\n' nginx "$ADDRESS" "$PORT" "$DIR/logs/access.log"
  else
    printf '  %-18s %s:%-5s down\n' nginx "$ADDRESS" "$PORT"
  fi
}

foreground() {
  [ -n "${VLA_TLS_CERT:-}" ] && [ -n "${VLA_TLS_KEY:-}" ] \
      || fail "VLA_TLS_CERT and VLA_TLS_KEY: mount the certificate (chain) and key and name them"
  mkdir -p "$DIR/conf" "$DIR/logs" "$DIR/tmp"
  # As the official image does: the logs go to the container's output.
  ln -sf /dev/stdout "$DIR/logs/access.log"
  ln -sf /dev/stderr "$DIR/logs/error.log"
  # Workers run as the folder's owner (render): the image's unprivileged nginx user.
  [ "$(id -u)" -ne 0 ] || ! id nginx >/dev/null 2>&1 || chown -h nginx:nginx "$DIR" "$DIR"/*
  render
  exec "$NGINX" -g 'daemon off;' -p "$DIR" -e "$DIR/logs/error.log" -c "$DIR/conf/nginx.conf"
}

case "${1:-}" in
  install|start|stop|status|foreground) "$1" ;;
  *) usage >&2; exit 2 ;;
esac
