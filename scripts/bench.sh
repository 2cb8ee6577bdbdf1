#!/usr/bin/env bash
# Side-by-side benchmark: the jar and the real Backstage backend (../shared/compat/reference-backend)
# on the same generated data, one after the other. Each server is driven by ../shared/compat/bench.mjs
# (ingest, then its latency scenarios through the official catalog client) and then by loadbench
# (the same latency scenarios from a lean Java client whose own cost per request is far smaller).
#
#   bash scripts/bench.sh [N=10000] [OUT_DIR=bench-out]      (needs the jar; first run installs
#                                                              the reference backend, ~390 MB)
# SKIP_REFERENCE=1 measures only the jar.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SHARED="$(cd "$ROOT/../shared" && pwd)"
N="${1:-10000}"
OUT="$(mkdir -p "${2:-$ROOT/bench-out}" && cd "${2:-$ROOT/bench-out}" && pwd)"
CACHE="${BENCH_CACHE:-$ROOT/.bench-cache}"   # npm installs and data, reused between runs
source .ci/jdk.sh
JAR="$ROOT/catalog-backend/target/catalog-backend.jar"
LOADBENCH="$ROOT/loadbench/target/loadbench.jar"
test -f "$JAR" -a -f "$LOADBENCH" || { echo "build the jars first: ./mvnw -q package -DskipTests" >&2; exit 1; }
loadbench() { # BASE_URL NAME SERVER_PID
  java ${LOADBENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m} -jar "$LOADBENCH" "$1" --data "$DATA" --pid "$3" \
    --json "$OUT/$2-lb-n$N.json" | tee "$OUT/$2-lb-n$N.txt"
}

mkdir -p "$CACHE"
if [[ ! -d "$CACHE/compat/node_modules" ]]; then
  rm -rf "$CACHE/compat" && cp -r "$SHARED/compat" "$CACHE/compat"
  (cd "$CACHE/compat" && npm ci --no-audit --no-fund --loglevel=error)
fi
DATA="$CACHE/data/n$N"
[[ -f "$DATA/manifest.json" ]] || node "$CACHE/compat/gen_catalog.mjs" --count "$N" --out "$DATA" >/dev/null
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"

echo "== ours (jar) N=$N"
WORK="$(mktemp -d)"
cat >"$WORK/bench.yaml" <<YAML
backend:
  baseUrl: http://localhost:$PORT
  listen: { host: 127.0.0.1, port: $PORT }
  dataDir: $WORK/data
  auth: { dangerouslyDisableDefaultAuthPolicy: true }
  reading: { directories: ["$DATA"] }
YAML
# bin/portal's production defaults unless BENCH_JAVA_OPTS is set; the launcher execs java, so $! is the server
JAVA_OPTS="${BENCH_JAVA_OPTS:-}" bin/portal --config "$WORK/bench.yaml" >"$OUT/ours-server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/.backstage/health/v1/readiness"; do
  kill -0 $PID 2>/dev/null || { tail -n 30 "$OUT/ours-server.log"; exit 1; }; sleep 0.2
done
(cd "$CACHE/compat" && node bench.mjs "http://localhost:$PORT" --data "$DATA" --pid $PID --json "$OUT/ours-n$N.json") | tee "$OUT/ours-n$N.txt"
loadbench "http://localhost:$PORT" ours $PID
grep VmHWM "/proc/$PID/status" | tee "$OUT/ours-vmhwm-n$N.txt"
kill $PID; wait $PID 2>/dev/null || true

if [[ "${SKIP_REFERENCE:-0}" != "1" ]]; then
  echo "== reference Backstage backend N=$N"
  REF="$CACHE/compat/reference-backend"
  [[ -d "$REF/node_modules" ]] || (cd "$REF" && npm ci --no-audit --no-fund --loglevel=error)
  RPID="$(cd "$REF" && PORT=$PORT ./start.sh)"
  trap 'kill $RPID 2>/dev/null || true; rm -rf "$WORK"' EXIT
  (cd "$CACHE/compat" && node bench.mjs "http://localhost:$PORT" --data "$DATA" --pid "$RPID" --json "$OUT/reference-n$N.json") | tee "$OUT/reference-n$N.txt"
  loadbench "http://localhost:$PORT" reference "$RPID"
  (cd "$REF" && PORT=$PORT ./stop.sh) || kill "$RPID"
fi
python3 "$ROOT/scripts/bench_table.py" "$OUT" "$N" | tee "$OUT/comparison-n$N.md"
