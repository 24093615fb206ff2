#!/usr/bin/env bash
# Makes sure Redis answers on 127.0.0.1:6379: starts it, or installs it from Debian, when it doesn't.
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
if ! command -v redis-server >/dev/null; then
  echo "installing Redis from Debian..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
fi
echo "starting Redis on 127.0.0.1:6379..."
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && exit 0; sleep 0.5; done
echo "error: Redis did not start; run 'redis-server --port 6379' to see why" >&2
exit 1
