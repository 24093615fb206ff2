#!/usr/bin/env bash
# Exports one customer's consented requests of a month as a training dataset folder.
# Wired as `bin/vla export-dataset`; `--help` lists the flags.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The first of the gateway's instances: any instance with storage serves the whole fleet's images.
URL=${VLA_INFERENCE_URLS:-$(local_url inference-service)}
URL=${URL%%,*}

usage() {
  cat <<'USAGE'
usage: bin/vla export-dataset --customer ID --month YYYY-MM [--out DIR]

Writes the training dataset of one customer and one calendar month (UTC): every successful request
whose image was stored because the customer consented to training use, as
  DIR/images/<request_id>.png (or .jpg)  the camera image, byte for byte as the robot sent it
  DIR/data.jsonl                          one line per request: image path, instruction, action,
                                          raw_action, unnorm_key, model, model_version, safety_score,
                                          safety_flags, robot, timestamp, request_id, object_key
  DIR/README.md                           the fields and their units, the customer, month, count
Shows progress (N/total images) on stderr. The folder appears only once complete (it is written as
DIR.partial first); an interrupted export starts over when run again.
  --customer ID  the customer's id (bin/vla create-customer printed it)
  --month YYYY-MM
  --out DIR      where to write (default: ./dataset-<customer id>-YYYY-MM); must not exist yet

Needs inference-service with training-image storage (vla.inference.training-images.enabled, see
docs/configuration.md); bin/vla up runs without it.

Environment:
  VLA_ADMIN_TOKEN    admin token (default: contents of .vla/admin-token)
  VLA_INFERENCE_URLS inference-service's base URL, the first if several (default: http://127.0.0.1 on its port in deploy/fleet.conf)
  VLA_EXPORT_PAGE_SIZE  requests listed per call (default 500, at most 1000)
USAGE
}

customer="" month="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    --customer) needs_value $# "$1"; customer=$2; shift 2 ;;
    --month) needs_value $# "$1"; month=$2; shift 2 ;;
    --out) needs_value $# "$1"; out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[ -n "$customer" ] || usage_error "--customer ID is required"
[[ "$customer" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]] \
  || usage_error "--customer must be a customer id (a UUID, as bin/vla create-customer printed it), not '$customer'"
[ -n "$month" ] || usage_error "--month YYYY-MM is required"
[[ "$month" =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]] || usage_error "--month must be YYYY-MM (e.g. 2026-11), not '$month'"
customer=${customer,,}
out=${out:-dataset-$customer-$month}
[[ "${VLA_EXPORT_PAGE_SIZE:-500}" =~ ^[0-9]+$ ]] || fail "VLA_EXPORT_PAGE_SIZE must be a number of requests, not '$VLA_EXPORT_PAGE_SIZE'"
[ ! -e "$out" ] || fail "$out already exists: remove it or choose another --out"

[ -x "$PYTHON" ] || fail "$PYTHON is needed: apt-get install -y python3"
token=$(admin_token)
# The token reaches the exporter on stdin, never on a command line `ps` shows.
printf '%s\n' "$token" | "$PYTHON" "$ROOT/deploy/scripts/dataset_export.py" "$URL" "$customer" "$month" "$out"
