#!/usr/bin/env python3
"""make bench: what else uses the CPU while the benchmark runs.

    load.py OUT PHASE_FILE SCRIPT_PID POSTMASTER_PID_FILE

Every 2 s, from /proc: the CPU share (percent of one core) of every
process that is neither a descendant of SCRIPT_PID (bench.sh: its Kore
servers, wrk, psql, pgbench) nor the benchmark's PostgreSQL cluster (the
postmaster named in POSTMASTER_PID_FILE and its backends).  Appends one
line per sample, "phase<TAB>percent<TAB>busiest command", the phase being
the first line of PHASE_FILE.  Stops when SCRIPT_PID is gone."""

import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def snapshot():
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")]
        rest = s[s.rindex(")") + 2:].split()
        # rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
        procs[int(name)] = (int(rest[1]), comm, int(rest[11]) + int(rest[12]))
    return procs


def descendants(procs, roots):
    children = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = set(), [r for r in roots if r]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo.extend(children.get(p, []))
    return seen


def first_line(path):
    try:
        with open(path) as f:
            return f.readline().strip()
    except OSError:
        return ""


def main():
    out, phase_file, script, pm_file = sys.argv[1:5]
    script = int(script)
    prev, t_prev = snapshot(), time.monotonic()
    while os.path.exists("/proc/%d" % script):
        time.sleep(2)
        now, t_now = snapshot(), time.monotonic()
        pm = first_line(pm_file)
        ours = descendants(now, [script, int(pm) if pm.isdigit() else 0,
                                 os.getpid()])
        total, top, top_pct = 0.0, "-", 0.0
        for pid, (_, comm, ticks) in now.items():
            if pid in ours or pid not in prev or prev[pid][1] != comm:
                continue
            pct = (ticks - prev[pid][2]) / HZ / (t_now - t_prev) * 100
            total += pct
            if pct > top_pct:
                top, top_pct = comm, pct
        with open(out, "a") as f:
            f.write("%s\t%.0f\t%s\n" % (first_line(phase_file) or "-",
                                        total, top if top_pct >= 5 else "-"))
        prev, t_prev = now, t_now


if __name__ == "__main__":
    main()
