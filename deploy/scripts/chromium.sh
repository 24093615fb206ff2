#!/usr/bin/env bash
# Chromium for the charted report's test (billing-service's ReportHtmlChromiumTest opens the page
# headless and screenshots it): Debian's package, installed when missing. Safe to run again.
#
# usage: chromium.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v chromium >/dev/null && exit 0
echo "installing Chromium from Debian (chromium package)..."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null || fail "the chromium package installed no chromium command; install it by hand: apt-get install chromium"
