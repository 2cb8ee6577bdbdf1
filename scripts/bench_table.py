#!/usr/bin/env python3
"""Prints Markdown tables comparing the jar with the reference backend from scripts/bench.sh's
outputs: bench.mjs (ingest, latency through the official client) and loadbench (latency through
the lean client, with the CPU each side spent per request), plus peak RSS."""
import json
import os
import re
import sys

out, n = sys.argv[1], sys.argv[2]


def load(name):
    p = os.path.join(out, f"{name}-n{n}.json")
    return json.load(open(p)) if os.path.exists(p) else None


def ratio(a, b):
    return f"{b / a:.0f}x" if a and b else "-"


def latency_rows(ours, ref):
    rl = {r["name"]: r for r in (ref or {}).get("latency", [])}
    for r in (ours or {}).get("latency", []):
        x = rl.get(r["name"], {})
        print(f"| {r['name']} p50 / p99 (ms) | {r['p50']} / {r['p99']} | {x.get('p50', '-')} / {x.get('p99', '-')} | "
              f"{ratio(r['p50'], x.get('p50'))} / {ratio(r['p99'], x.get('p99'))} |")


ours, ref = load("ours"), load("reference")
print(f"bench.mjs (official catalog client, 8 in flight):\n")
print(f"| N = {n} | ours | reference | factor |")
print("| --- | --- | --- | --- |")
oi, ri = (ours or {}).get("ingest", {}), (ref or {}).get("ingest", {})
print(f"| ingest (s) | {oi.get('seconds', '-')} | {ri.get('seconds', '-')} | {ratio(oi.get('seconds'), ri.get('seconds'))} |")
latency_rows(ours, ref)
hwm = (ours or {}).get("rss", {}).get("vmHwmMb")
hwm_file = os.path.join(out, f"ours-vmhwm-n{n}.txt")
if os.path.exists(hwm_file):  # the high-water mark after loadbench ran too
    m = re.search(r"(\d+)\s*kB", open(hwm_file).read())
    if m:
        hwm = max(hwm or 0, round(int(m.group(1)) / 1024))
if hwm:
    print(f"| peak RSS (MB, VmHWM) | {hwm} | {(ref or {}).get('rss', {}).get('vmHwmMb', '-')} | |")

lb_ours, lb_ref = load("ours-lb"), load("reference-lb")
if lb_ours:
    print(f"\nloadbench (lean Java client, 8 in flight):\n")
    print(f"| N = {n} | ours | reference | factor |")
    print("| --- | --- | --- | --- |")
    latency_rows(lb_ours, lb_ref)
    rl = {r["name"]: r for r in (lb_ref or {}).get("latency", [])}
    if any(r.get("serverCpuUs", -1) >= 0 for r in lb_ours.get("latency", [])):
        print("\nCPU per request in the loadbench run (microseconds; client = loadbench itself):\n")
        print("| scenario | ours: server / client | reference: server / client |")
        print("| --- | --- | --- |")
        us = lambda r, k: "-" if r.get(k, -1) < 0 else f"{r[k]:.0f}"
        for r in lb_ours["latency"]:
            x = rl.get(r["name"], {})
            print(f"| {r['name']} | {us(r, 'serverCpuUs')} / {us(r, 'clientCpuUs')} | {us(x, 'serverCpuUs')} / {us(x, 'clientCpuUs')} |")
