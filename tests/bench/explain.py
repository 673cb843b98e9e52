#!/usr/bin/env python3
"""make bench: where the time of the "consolidate" statement goes, from
EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) of it (read on stdin).

Each key of the answer's json_build_object is one InitPlan; VERBOSE
shows which parameter ($N) each key takes and which InitPlan returns it.
A CTE is computed inside the first InitPlan that reads it, and that
InitPlan's time includes it, so the CTEs are listed as well.  Prints
"ms part" lines, the costliest first, then the JIT and execution totals."""

import json
import re
import sys


def key_of_param(output):
    """{param number: key} from the top node's output expression."""
    keys = {}
    seen = {}
    for key, param in re.findall(r"'(\w+)'(?:::text)?, \$(\d+)", output):
        n = seen.get(key, 0)
        seen[key] = n + 1
        # The first "values" is the province's, the second the stations';
        # the first "by_district" is the stations', the second the
        # districts' own (the order of sql/queries.sql).
        if (key == "values" and n == 1) or (key == "by_district" and n == 0):
            key = "stations." + key
        keys[int(param)] = key
    return keys


def ctes(node, out):
    name = node.get("Subplan Name", "")
    if name.startswith("CTE "):
        out.append((node["Actual Total Time"] * node.get("Actual Loops", 1),
                    name))
    for child in node.get("Plans", []):
        ctes(child, out)


def main():
    text = sys.stdin.read()
    doc = json.loads(text[text.index("["):])[0]
    plan = doc["Plan"]
    keys = key_of_param(" ".join(plan.get("Output", [])))
    rows = []
    for p in plan.get("Plans", []):
        m = re.match(r"InitPlan \d+ \(returns \$(\d+)\)",
                     p.get("Subplan Name", ""))
        if not m or p.get("Actual Loops", 0) == 0:
            continue
        name = keys.get(int(m.group(1)), p["Subplan Name"])
        rows.append((p["Actual Total Time"] * p["Actual Loops"], name))
    found = []
    ctes(plan, found)
    rows += [(ms, name + " (inside the first part that reads it)")
             for ms, name in found]
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


if __name__ == "__main__":
    main()
