#!/usr/bin/env python3
"""CPU seconds of a Spark run's JVMs on this machine, by role, until SIGTERM.

Samples /proc every 0.2 s and keeps each java process's last user+system time (a process that
exits between two samples loses at most 0.2 s of it); on SIGTERM prints one line,
``cpu_driver_s=.. cpu_executors_s=.. cpu_daemons_s=.. cpu_other_s=..``, counting only what the
processes used after this script started. Roles: the segspark CLI (driver), Spark's
CoarseGrainedExecutorBackend (executors), its Master and Worker (daemons), any other java process
(other). Used by cluster_scaling.sh to show how the machine's CPUs were shared.
"""
import os
import signal
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
ROLES = (
    ("executors", "CoarseGrainedExecutorBackend"),
    ("daemons", "org.apache.spark.deploy."),
    ("driver", "dev.segspark.jobs.cli.SegsparkCli"),
)


def java_processes():
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if "java" not in cmd.split("\0")[0]:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[11], fields[12]: utime, stime (fields 14 and 15 of proc(5))
        yield int(pid), cmd, int(fields[11]) + int(fields[12])


def role(cmd):
    for name, marker in ROLES:
        if marker in cmd:
            return name
    return "other"


start = {}  # pid -> ticks when first seen (processes already running count from then on)
last = {}  # pid -> (role, ticks)
first_pass = True
stop = False


def on_term(signum, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
while True:
    for pid, cmd, ticks in java_processes():
        if pid not in start:
            start[pid] = ticks if first_pass else 0
        last[pid] = (role(cmd), ticks)
    first_pass = False
    if stop:
        break
    time.sleep(0.2)
totals = {"driver": 0.0, "executors": 0.0, "daemons": 0.0, "other": 0.0}
for pid, (r, ticks) in last.items():
    totals[r] += (ticks - start[pid]) / TICK
print(" ".join(f"cpu_{r}_s={v:.1f}" for r, v in totals.items()))
sys.stdout.flush()
