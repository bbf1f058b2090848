#!/usr/bin/env bash
# How this machine runs two copies of the same work at once, without a cluster: `segspark label`
# on local[1], pinned to CPU 0 alone, then two at once pinned to CPU 0 and CPU 1 (each its own JVM,
# the same frames, separate outputs); RUNS alternations. Prints each run's images/s (the CLI's own
# figure, JVM start excluded) and the ratio (sum of the pair) / (alone).
#   benchmarks/peers/pinned_pair.sh [IMAGES=1024] [RUNS=2] [SIZE=256x512]
# This is weak scaling (each JVM does all the frames), so each JVM's fixed cost (JIT, libtorch,
# Spark) is in both sides alike; cluster_scaling.sh measures strong scaling (the same frames split
# over 1 or 2 executors), where a second executor's fixed cost is paid for half the frames. A ratio
# near 2 here says the CPUs themselves do not slow each other down. Needs the whole machine (2+
# CPUs): run it alone. MODEL (default segformer-synth) picks the model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGES="${1:-1024}"; RUNS="${2:-2}"; SIZE="${3:-256x512}"
MODEL="${MODEL:-segformer-synth}"
if (($(nproc) < 2)); then
  echo "pinned_pair.sh: needs 2 CPUs, this machine has $(nproc)" >&2
  exit 2
fi
WORK="${SEGSPARK_BENCH_DIR:-/tmp/segspark-bench}/cluster-scaling-$IMAGES-$SIZE"
DATA="$WORK/data"
if [[ ! -f "$DATA/DONE" ]]; then
  "$ROOT/bin/segspark" synth --out "$DATA" --images "$IMAGES" --size "$SIZE" >/dev/null
  touch "$DATA/DONE"
fi
OUT="$WORK/pinned-pair"
mkdir -p "$OUT"

one() { # CPU TAG: prints images/s
  local cpu="$1" tag="$2"
  rm -rf "$OUT/$tag"
  taskset -c "$cpu" env SEGSPARK_JAVA_OPTS="-Xmx2g" "$ROOT/bin/segspark" label --master 'local[1]' \
    --model "$MODEL" --images "$DATA/leftImg8bit" --out "$OUT/$tag" >"$OUT/$tag.log" 2>&1
  sed -n 's/.*(\([0-9.]*\) images\/s).*/\1/p' "$OUT/$tag.log" | tail -n 1
}

ratios=()
for i in $(seq "$RUNS"); do
  alone=$(one 0 "alone-$i")
  one 0 "pair-a-$i" >"$OUT/pair-a-$i.rate" &
  a=$!
  one 1 "pair-b-$i" >"$OUT/pair-b-$i.rate" &
  b=$!
  wait "$a" "$b"
  pa=$(cat "$OUT/pair-a-$i.rate")
  pb=$(cat "$OUT/pair-b-$i.rate")
  r=$(python3 -c "print(f'{($pa + $pb) / $alone:.2f}')")
  ratios+=("$r")
  echo "run $i: alone on CPU 0 $alone images/s; at once: CPU 0 $pa + CPU 1 $pb images/s; ratio ${r}x"
done
echo "label, $IMAGES frames $SIZE each JVM, model $MODEL, local[1] pinned: ratios ${ratios[*]}"
