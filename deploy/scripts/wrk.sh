#!/usr/bin/env bash
# wrk, the HTTP load generator of bin/vla bench gateway's throughput rounds (a C event loop: far less
# CPU per request than a Java client, which on two shared cores the services under test get
# instead): Debian's package, installed when missing. Safe to run again.
#
# usage: wrk.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v wrk >/dev/null && exit 0
echo "installing wrk from Debian..."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends wrk >/dev/null
command -v wrk >/dev/null || fail "the wrk package installed no wrk command; install it by hand: apt-get install wrk"
