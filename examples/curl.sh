#!/usr/bin/env bash
# The robot's next action with curl: the image goes base64-encoded in the JSON body.
#
#   VLA_API_KEY=vla_live_... examples/curl.sh [IMAGE] ["INSTRUCTION"]
#
# VLA_API_URL: where the API is (default http://127.0.0.1:8080, the gateway of `bin/vla up`).
# Prints the answer (JSON, the action in "action"."values"); on an error the error body, and exits 22.
set -euo pipefail

: "${VLA_API_KEY:?Set VLA_API_KEY to your API key (vla_live_...).}"
image=${1:-"$(dirname "$0")/../reference-policy/evalsets/tabletop-v1/images/0001.png"}
instruction=${2:-go to the purple tube}
# As a JSON string: backslashes and double quotes escaped.
instruction=${instruction//\\/\\\\}
instruction=${instruction//\"/\\\"}

# The body comes through a pipe (a large image in base64 is longer than a command-line argument may
# be), the key through a file descriptor (printf is a shell builtin: the key never shows in `ps`).
{ printf '{"image": "'; base64 -w0 "$image"; printf '", "instruction": "%s"}' "$instruction"; } |
  curl -sS --fail-with-body -w '\n' "${VLA_API_URL:-http://127.0.0.1:8080}/v1/inference" \
       -H @<(printf 'Authorization: Bearer %s\n' "$VLA_API_KEY") \
       -H 'Content-Type: application/json' \
       --data-binary @-
