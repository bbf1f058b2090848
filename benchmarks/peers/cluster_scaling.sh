#!/usr/bin/env bash
# Scaling on the standalone cluster of bin/local-cluster (2 workers x 1 core): `segspark evaluate
# --model` and `segspark label` on the same synthetic frames, first with 1 executor
# (spark.cores.max=1), then with 2 (spark.cores.max=2), 1 core each. Prints images/s of every run,
# the medians and the ratio 2 executors / 1 executor.
#   benchmarks/peers/cluster_scaling.sh [IMAGES=1024] [RUNS=1] [SIZE=256x512]
# images/s is the run's own figure: report.json run.imagesPerSecond for evaluate, the CLI's
# "Labelled ... (N images/s)" line for label, both timed from the start of the action (listing
# included; JVM start and SparkSession creation excluded; the executors' start, jar fetch and
# model load included, since they happen inside the first job). Wall clock of the whole command is
# printed beside it, and the CPU seconds the run's JVMs used by role (driver, executors, master and
# workers: cpu_by_role.py): on one machine the driver and the daemons share the executors' CPUs,
# on a real cluster they do not. The cluster is started if it is not running (and stopped again at
# the end);
# MODEL (default segformer-synth) picks the model. Needs the whole machine: run it alone.
# The cluster it starts pins each worker's executors to a CPU of their own (SEGSPARK_PIN_EXECUTORS,
# default 1 here; 0 leaves them free): on a real cluster an executor's cores are its limit, while
# on one machine an unpinned single executor borrows the idle CPU for its JIT compiler, GC and
# decoding threads, so "1 executor" would mean more than one executor's CPUs. A cluster already
# running is used as it is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGES="${1:-1024}"; RUNS="${2:-1}"; SIZE="${3:-256x512}"
MODEL="${MODEL:-segformer-synth}"
PORT="${SEGSPARK_MASTER_PORT:-7077}"
MASTER="spark://127.0.0.1:$PORT"
WORK="${SEGSPARK_BENCH_DIR:-/tmp/segspark-bench}/cluster-scaling-$IMAGES-$SIZE"
DATA="$WORK/data"
if [[ ! -f "$DATA/DONE" ]]; then
  "$ROOT/bin/segspark" synth --out "$DATA" --images "$IMAGES" --size "$SIZE" >/dev/null
  touch "$DATA/DONE"
fi
started=0
cpus="executors as the running cluster has them"
if ! "$ROOT/bin/local-cluster" status >/dev/null 2>&1; then
  pin="${SEGSPARK_PIN_EXECUTORS:-1}"
  SEGSPARK_PIN_EXECUTORS="$pin" "$ROOT/bin/local-cluster" start >&2
  [[ "$pin" == 1 ]] && cpus="executors pinned to a CPU each" || cpus="executors not pinned"
  started=1
fi
cleanup() { if [[ "$started" == 1 ]]; then "$ROOT/bin/local-cluster" stop >&2; fi; }
trap cleanup EXIT

# how many executors the cluster's newest application had (its folders under the workers' work dirs)
executors_of_last_app() {
  local app
  app="$(ls -1dt "$ROOT"/.local-cluster/work/worker-*/app-* 2>/dev/null | head -n 1 | xargs -r basename)"
  [[ -n "$app" ]] && ls -1d "$ROOT"/.local-cluster/work/worker-*/"$app"/* 2>/dev/null | wc -l || echo "?"
}

results="$WORK/results.txt"
: >"$results"
run() { # ACTION EXECUTORS RUN
  local action="$1" n="$2" i="$3" out="$WORK/$1-$2" s e rate log
  rm -rf "$out"
  log="$WORK/$action-$n.log"
  local cpu_log="$WORK/$action-$n.cpu" sampler
  python3 "$ROOT/benchmarks/peers/cpu_by_role.py" >"$cpu_log" &
  sampler=$!
  s=$(date +%s.%N)
  if [[ "$action" == evaluate ]]; then
    SEGSPARK_JAVA_OPTS="-Xmx4g -Dspark.cores.max=$n" "$ROOT/bin/segspark" evaluate --master "$MASTER" \
      --dataset cityscapes --data-root "$DATA" --model "$MODEL" --out "$out" >"$log" 2>&1
    e=$(date +%s.%N)
    rate=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["imagesPerSecond"])' "$out/report.json")
  else
    SEGSPARK_JAVA_OPTS="-Xmx4g -Dspark.cores.max=$n" "$ROOT/bin/segspark" label --master "$MASTER" \
      --model "$MODEL" --images "$DATA/leftImg8bit" --out "$out" >"$log" 2>&1
    e=$(date +%s.%N)
    rate=$(sed -n 's/.*(\([0-9.]*\) images\/s).*/\1/p' "$log" | tail -n 1)
  fi
  kill -TERM "$sampler"
  wait "$sampler" || true
  local wall
  wall=$(echo "$e - $s" | bc)
  echo "$action executors=$n run=$i images/s=$rate wall_s=$wall executors_seen=$(executors_of_last_app) $(cat "$cpu_log")" | tee -a "$results" >&2
}

for i in $(seq "$RUNS"); do
  for action in evaluate label; do
    run "$action" 1 "$i"
    run "$action" 2 "$i"
  done
done

python3 - "$results" "$IMAGES" "$SIZE" "$MODEL" "$cpus" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()[1:]) | {"action": line.split()[0]}
        for line in open(sys.argv[1]) if line.strip()]
print(f"{sys.argv[2]} frames {sys.argv[3]}, model {sys.argv[4]}, standalone cluster 2 workers x 1 core, {sys.argv[5]}")
for action in ("evaluate", "label"):
    med = {}
    for n in ("1", "2"):
        rs = [float(r["images/s"]) for r in rows if r["action"] == action and r["executors"] == n]
        ws = [float(r["wall_s"]) for r in rows if r["action"] == action and r["executors"] == n]
        med[n] = (statistics.median(rs), statistics.median(ws))
        cpu = {k: statistics.median(float(r[f"cpu_{k}_s"]) for r in rows
                                    if r["action"] == action and r["executors"] == n)
               for k in ("driver", "executors", "daemons", "other")}
        print(f"  {action:8s} {n} executor(s): {med[n][0]:.2f} images/s (runs {rs}), wall {med[n][1]:.1f} s")
        print(f"  {'':8s} CPU s: driver {cpu['driver']:.1f}, executors {cpu['executors']:.1f} "
              f"({cpu['executors'] / med[n][1]:.2f} CPUs busy on average over the wall time; "
              f"{int(sys.argv[2]) / cpu['executors']:.1f} images per executor CPU-s), "
              f"master+workers {cpu['daemons']:.1f}, other java {cpu['other']:.1f}")
    print(f"  {action:8s} ratio 2/1 = {med['2'][0] / med['1'][0]:.2f}x (images/s), "
          f"{med['1'][1] / med['2'][1]:.2f}x (wall)")
PY
