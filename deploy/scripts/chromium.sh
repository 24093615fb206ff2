#!/usr/bin/env bash
# Chromium for the browser tests (billing-service's ReportHtmlChromiumTest opens the charted report
# headless and screenshots it; bench's PortalBrowserIT drives the customer portal through Selenium,
# which needs chromedriver too): Debian's chromium and chromium-driver, installed when missing.
# Safe to run again.
#
# usage: chromium.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v chromium >/dev/null && command -v chromedriver >/dev/null && exit 0
echo "installing Chromium from Debian (chromium and chromium-driver packages)..."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends chromium chromium-driver >/dev/null
command -v chromium >/dev/null || fail "the chromium package installed no chromium command; install it by hand: apt-get install chromium"
command -v chromedriver >/dev/null || fail "the chromium-driver package installed no chromedriver command; install it by hand: apt-get install chromium-driver"
