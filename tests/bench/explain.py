#!/usr/bin/env python3
"""make bench: where the time of the "consolidate" statement goes, from
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of it (read on stdin).

Each key of the answer's json_build_object is one InitPlan, in the order
of sql/queries.sql; a CTE is computed inside the first InitPlan that reads
it, and that InitPlan's time includes it.  Prints "part ms" lines, the
costliest first, then the JIT and execution totals."""

import json
import sys

KEYS = ["units_expected", "units_reported", "units_accepted", "units_late",
        "values (+ CTE sums: the grouped pass)", "stations.values",
        "stations.by_district", "by_district", "by_kind", "units",
        "missing", "late", "lists", "texts", "monthly.from",
        "monthly.values", "trend"]

text = sys.stdin.read()
doc = json.loads(text[text.index("["):])[0]
plan = doc["Plan"]
inits = [p for p in plan.get("Plans", [])
         if p.get("Subplan Name", "").startswith("InitPlan")]
names = KEYS if len(inits) == len(KEYS) else \
    [p["Subplan Name"] for p in inits]
rows = []
for name, p in zip(names, inits):
    if p.get("Actual Loops", 0) == 0:
        continue
    rows.append((p["Actual Total Time"] * p["Actual Loops"], name))
rows.sort(reverse=True)
for ms, name in rows:
    if ms >= 1:
        print("%.0f\t%s" % (ms, name))
jit = doc.get("JIT", {}).get("Timing", {}).get("Total")
if isinstance(jit, dict):
    jit = jit.get("Total")
if jit is not None:
    print("%.0f\tJIT compilation (counted inside the parts above)" % jit)
print("%.0f\texecution total" % doc["Execution Time"])
