#!/usr/bin/env bash
# Rebuild the reference policy from seeds: held-out set, training data, training, TorchScript
# export, Python evaluation, the parity files the Java tests compare against, and the reference
# embeddings of the out-of-distribution signal (with the OOD evaluation set).
#
#   reference-policy/training/retrain.sh            full run (~15 min on 2 cores), overwrites
#                                                   reference-policy/bundles/tabletop-v1 and evalsets/tabletop-v1
#   reference-policy/training/retrain.sh --smoke DIR  a few steps into DIR (CI: proves the pipeline works)
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
if ! $PY -c 'import torch, numpy, PIL' 2>/dev/null; then
  echo "error: Debian's PyTorch is missing. Run: bin/vla setup (installs python3-torch python3-numpy python3-pil libopenblas0-pthread)" >&2
  exit 1
fi

if [ "${1:-}" = "--smoke" ]; then
  out=${2:?usage: retrain.sh --smoke DIR}
  mkdir -p "$out"
  echo "== [1/4] held-out smoke set (40 scenes)"
  $PY -m vla_train.heldout --out "$out/evalset" --scenes 40
  echo "== [2/4] training smoke (30 steps) and export"
  $PY -m vla_train.train --bundle "$out/bundle/tabletop-v1" --steps 30 --train-scenes 1000 --validation-scenes 100
  echo "== [3/4] Python evaluation of the exported bundle"
  $PY -m vla_train.evaluate --bundle "$out/bundle/tabletop-v1" --evalset "$out/evalset" --write-parity --episodes 1 --robustness-scenes 10
  echo "== [4/4] reference embeddings for the out-of-distribution signal (200 training scenes)"
  $PY -m vla_train.references --bundle "$out/bundle/tabletop-v1" --count 200
  exit 0
fi

bundle=../bundles/tabletop-v1
evalset=../evalsets/tabletop-v1
ood_evalset=../evalsets/ood-v1
echo "== [1/4] held-out set: 400 scenes at 256x256 from test seeds, and the out-of-distribution set"
rm -rf "$evalset"
$PY -m vla_train.heldout --out "$evalset" --scenes 400
rm -rf "$ood_evalset"
$PY -m vla_train.ood --out "$ood_evalset"
echo "== [2/4] training (24k scenes, 4000 steps of 96) and TorchScript export to $bundle"
$PY -m vla_train.train --bundle "$bundle"
echo "== [3/4] Python evaluation and parity files"
$PY -m vla_train.evaluate --bundle "$bundle" --evalset "$evalset" --write-parity
echo "== [4/4] reference embeddings of training scenes and the out-of-distribution threshold"
$PY -m vla_train.references --bundle "$bundle"
echo "done. Now check the Java side: bin/vla eval, and the OOD AUROC (SceneNoveltyAurocTest in inference-service)"
