#!/usr/bin/env bash
# Installs what the training code and its CI smoke need: Debian's PyTorch 1.13 (PyPI is not
# reachable from our machines) and OpenBLAS (the reference BLAS makes preprocessing 10x slower);
# also requests, which the seed's client snippet (examples/quickstart.py) uses, and msgpack and
# websockets, which the streaming-session and openpi examples (examples/session.py, openpi_*.py) use.
set -euo pipefail
if /usr/bin/python3 -c 'import torch, numpy, PIL, requests, msgpack, websockets' 2>/dev/null \
   && dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing python3-torch python3-numpy python3-pil python3-requests python3-msgpack python3-websockets libopenblas0-pthread from Debian (~1 GB, about a minute)..."
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
  python3-torch python3-numpy python3-pil python3-requests python3-msgpack python3-websockets libopenblas0-pthread >/dev/null
/usr/bin/python3 -c 'import torch; print("PyTorch", torch.__version__, "ready")'
