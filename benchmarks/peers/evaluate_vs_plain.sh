#!/usr/bin/env bash
# Side by side, same files, same machine: `segspark evaluate --predictions` (wall clock, JVM start
# included) against the plain Python evaluator (plain_semantic_eval.py: PIL + numpy bincount, one
# process), mmseg semantics; alternating runs, then the ratio of the medians and both mIoUs, and
# the wall time of a one-image evaluate.
#   benchmarks/peers/evaluate_vs_plain.sh [IMAGES=300] [RUNS=3] [SIZE=1024x2048]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGES="${1:-300}"; RUNS="${2:-3}"; SIZE="${3:-1024x2048}"
DATA="${SEGSPARK_BENCH_DIR:-/tmp/segspark-bench}/plain-vs-segspark-$IMAGES-$SIZE"
if [[ ! -f "$DATA/DONE" ]]; then
  "$ROOT/bin/segspark" synth --out "$DATA" --images "$IMAGES" --size "$SIZE" --with-predictions >/dev/null
  touch "$DATA/DONE"
fi
seg=(); py=()
for i in $(seq "$RUNS"); do
  s=$(date +%s.%N)
  "$ROOT/bin/segspark" evaluate --dataset cityscapes --data-root "$DATA" --convention mmseg \
    --prediction-ids trainIds --predictions "$DATA/predictions/trainIds" --out "$DATA/report" >/dev/null 2>&1
  seg+=("$(echo "$(date +%s.%N) - $s" | bc)")
  s=$(date +%s.%N)
  /usr/bin/python3 "$ROOT/benchmarks/peers/plain_semantic_eval.py" "$DATA" > "$DATA/plain.json"
  py+=("$(echo "$(date +%s.%N) - $s" | bc)")
  echo "run $i: segspark ${seg[-1]} s, python ${py[-1]} s" >&2
done
# the one-image evaluate (JVM start to exit), the fixed cost of a run
ONE="${SEGSPARK_BENCH_DIR:-/tmp/segspark-bench}/plain-vs-segspark-1-$SIZE"
if [[ ! -f "$ONE/DONE" ]]; then
  "$ROOT/bin/segspark" synth --out "$ONE" --images 1 --size "$SIZE" --with-predictions >/dev/null
  touch "$ONE/DONE"
fi
one=()
for i in $(seq "$RUNS"); do
  s=$(date +%s.%N)
  "$ROOT/bin/segspark" evaluate --dataset cityscapes --data-root "$ONE" --convention mmseg \
    --prediction-ids trainIds --predictions "$ONE/predictions/trainIds" --out "$ONE/report" >/dev/null 2>&1
  one+=("$(echo "$(date +%s.%N) - $s" | bc)")
done
echo "one image: ${one[*]} s" >&2
/usr/bin/python3 - "$DATA" "${seg[*]}" "${py[*]}" "${one[*]}" <<'PY'
import json, statistics, sys
data, seg, py = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
r = json.load(open(data + "/report/report.json"))
p = json.load(open(data + "/plain.json"))
ms, mp = statistics.median(seg), statistics.median(py)
print(f"images {p['images']}: segspark median {ms:.2f} s (runs {seg}), python median {mp:.2f} s (runs {py})")
print(f"ratio python/segspark = {mp / ms:.2f}x")
one = [float(x) for x in sys.argv[4].split()]
print(f"one-image evaluate: median {statistics.median(one):.2f} s (runs {one})")
print(f"mIoU segspark {r['summary']['mIoU']!r} python {p['mIoU']!r}; aAcc segspark {r['summary']['aAcc']!r} python {p['aAcc']!r}")
PY
