#!/usr/bin/env bash
# Side by side, same files, same machine: `segspark evaluate --task panoptic` (wall clock, JVM
# start included) against panopticapi's pq_compute (its multiprocessing pool, one process per
# core), each run as a fresh process; alternating runs, then the ratio of the medians and both PQs.
# The set is COCO-sized (640x480 RGB-id PNGs, ~29 segments an image), made once by
# make_coco_panoptic.py. panopticapi is not part of this repository: PANOPTICAPI_SRC names the
# directory holding its `panopticapi/` package (e.g. a checkout of cocodataset/panopticapi).
#   PANOPTICAPI_SRC=DIR benchmarks/peers/panoptic_vs_panopticapi.sh [IMAGES=500] [RUNS=3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGES="${1:-500}"; RUNS="${2:-3}"
: "${PANOPTICAPI_SRC:?set PANOPTICAPI_SRC to the directory that contains panopticapi/}"
DATA="${SEGSPARK_BENCH_DIR:-/tmp/segspark-bench}/coco-panoptic-$IMAGES"
if [[ ! -f "$DATA/DONE" ]]; then
  /usr/bin/python3 "$ROOT/benchmarks/peers/make_coco_panoptic.py" "$DATA" --images "$IMAGES"
  touch "$DATA/DONE"
fi
"$ROOT/bin/segspark" --version >/dev/null  # builds the tree once, outside the timed runs
PEER=$(cat <<'PY'
import contextlib, io, json, sys
sys.path.insert(0, sys.argv[1])
from panopticapi.evaluation import pq_compute
d = sys.argv[2]
with contextlib.redirect_stdout(io.StringIO()):
    r = pq_compute(d + "/gt.json", d + "/pred.json", d + "/gt", d + "/pred")
json.dump({k: r[k] for k in ("All", "Things", "Stuff")}, open(d + "/panopticapi.json", "w"))
PY
)
seg=(); py=()
for i in $(seq "$RUNS"); do
  s=$(date +%s.%N)
  "$ROOT/bin/segspark" evaluate --task panoptic --gt-json "$DATA/gt.json" --gt-dir "$DATA/gt" \
    --pred-json "$DATA/pred.json" --pred-dir "$DATA/pred" --out "$DATA/report" >/dev/null 2>&1
  seg+=("$(echo "$(date +%s.%N) - $s" | bc)")
  s=$(date +%s.%N)
  /usr/bin/python3 -c "$PEER" "$PANOPTICAPI_SRC" "$DATA"
  py+=("$(echo "$(date +%s.%N) - $s" | bc)")
  echo "run $i: segspark ${seg[-1]} s, panopticapi ${py[-1]} s" >&2
done
/usr/bin/python3 - "$DATA" "${seg[*]}" "${py[*]}" <<'PY'
import json, statistics, sys
data, seg, py = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
r = json.load(open(data + "/report/report.json"))["summary"]
p = json.load(open(data + "/panopticapi.json"))
ms, mp = statistics.median(seg), statistics.median(py)
print(f"{len(json.load(open(data + '/gt.json'))['annotations'])} images: segspark median {ms:.2f} s (runs {seg}), "
      f"panopticapi median {mp:.2f} s (runs {py})")
print(f"ratio panopticapi/segspark = {mp / ms:.2f}x")
for k in ("All", "Things", "Stuff"):
    print(f"{k}: PQ segspark {r[k]['pq']!r} panopticapi {p[k]['pq']!r}; "
          f"SQ {r[k]['sq']!r} / {p[k]['sq']!r}; RQ {r[k]['rq']!r} / {p[k]['rq']!r}")
PY
