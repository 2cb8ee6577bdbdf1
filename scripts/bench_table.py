#!/usr/bin/env python3
"""Prints a Markdown table comparing bench.mjs JSON outputs of ours and the reference backend."""
import json
import os
import sys

out, n = sys.argv[1], sys.argv[2]
def load(name):
    p = os.path.join(out, f"{name}-n{n}.json")
    return json.load(open(p)) if os.path.exists(p) else None
ours, ref = load("ours"), load("reference")
def ratio(a, b):
    return f"{b / a:.0f}x" if a and b else "-"
print(f"| N = {n} | ours | reference | factor |")
print("| --- | --- | --- | --- |")
oi, ri = (ours or {}).get("ingest", {}), (ref or {}).get("ingest", {})
print(f"| ingest (s) | {oi.get('seconds', '-')} | {ri.get('seconds', '-')} | {ratio(oi.get('seconds'), ri.get('seconds'))} |")
rl = {r["name"]: r for r in (ref or {}).get("latency", [])}
for r in (ours or {}).get("latency", []):
    x = rl.get(r["name"], {})
    print(f"| {r['name']} p50 / p99 (ms) | {r['p50']} / {r['p99']} | {x.get('p50', '-')} / {x.get('p99', '-')} | "
          f"{ratio(r['p50'], x.get('p50'))} / {ratio(r['p99'], x.get('p99'))} |")
if ours and "rss" in ours:
    print(f"| peak RSS (MB, VmHWM) | {ours['rss']['vmHwmMb']} | {(ref or {}).get('rss', {}).get('vmHwmMb', '-')} | |")
