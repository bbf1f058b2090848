#!/usr/bin/env bash
# GPU discovery script for Spark executors (spark.executor.resource.gpu.discoveryScript).
# Prints the GPUs this executor may use as Spark's resource JSON, e.g.
#   {"name": "gpu", "addresses": ["0", "1"]}
# Honours CUDA_VISIBLE_DEVICES when the cluster manager (YARN, Kubernetes) already pinned GPUs.
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -r -a ids <<< "$CUDA_VISIBLE_DEVICES"
  # inside a pinned container the visible devices are renumbered from 0
  addresses=()
  for i in "${!ids[@]}"; do addresses+=("\"$i\""); done
elif command -v nvidia-smi > /dev/null; then
  mapfile -t ids < <(nvidia-smi --query-gpu=index --format=csv,noheader)
  addresses=()
  for id in "${ids[@]}"; do addresses+=("\"${id// /}\""); done
else
  addresses=()
fi
printf '{"name": "gpu", "addresses": [%s]}\n' "$(IFS=,; echo "${addresses[*]}")"
