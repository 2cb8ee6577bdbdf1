#!/usr/bin/env bash
# Steady-state comparison of JVM flag sets for the server (how bin/portal's defaults were chosen).
# For each flag set, one after the other in one run: start the jar on loopback, register a
# generated catalog (POST /api/catalog/locations; the 201 comes once it is processed: "ingest"),
# warm up 20 s, then wrk (8 connections, 2 threads) on a by-name read and on the liveness probe.
# Then deletes the location and registers it again, twice ("warm" is the last of those).
# Reports requests/s, server CPU per request (utime+stime of the server process from
# /proc/PID/stat over the wrk run, divided by the requests wrk completed) and resident memory.
#
#   bash scripts/jvm-bench.sh [N=10000] [SECONDS=15]        (needs wrk, node and ../shared/compat)
#
# FLAGSETS overrides the flag sets: "label=opts;label=opts". ROUNDS=n repeats the whole list n times.
# JAR=path measures another build of the server (e.g. one from an older commit) with the same sets;
# OLD_CONFIG=1 for builds that predate backend.reading.directories. DATABASE_ADMIN_URL=postgresql://
# user@host:port/postgres keeps the catalog in PostgreSQL (a database created and dropped per set).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SHARED="$(cd "$ROOT/../shared" && pwd)"
N="${1:-10000}"
SECS="${2:-15}"
CACHE="${BENCH_CACHE:-$ROOT/.bench-cache}"
source .ci/jdk.sh
command -v wrk >/dev/null || { echo "needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
JAR="${JAR:-$ROOT/catalog-backend/target/catalog-backend.jar}"
test -f "$JAR" || ./mvnw -B -ntp -q -pl catalog-backend -am package -DskipTests
FLAGSETS="${FLAGSETS:-c1-serial-256m=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m;tiered-serial-256m=-XX:+UseSerialGC -Xmx256m;tiered-serial-512m=-XX:+UseSerialGC -Xmx512m;tiered-parallel-512m=-XX:+UseParallelGC -Xmx512m;jvm-defaults=}"

mkdir -p "$CACHE"
if [[ ! -d "$CACHE/compat/node_modules" ]]; then
  rm -rf "$CACHE/compat" && cp -r "$SHARED/compat" "$CACHE/compat"
  (cd "$CACHE/compat" && npm ci --no-audit --no-fund --loglevel=error)
fi
DATA="$CACHE/data/n$N"
[[ -f "$DATA/manifest.json" ]] || node "$CACHE/compat/gen_catalog.mjs" --count "$N" --out "$DATA" >/dev/null
REF="$(sed -n 's/.*"component": "component:default\/\(.*\)".*/\1/p' "$DATA/manifest.json")"
TICK="$(getconf CLK_TCK)"

WORK="$(mktemp -d)"
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { # a loopback port nobody answers on
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wrk_cpu URL: prints "requests/s µs-of-server-CPU-per-request"
wrk_cpu() {
  local before after out reqs rps
  before="$(cpu_ticks "$PID")"
  out="$(wrk -t2 -c8 -d"${SECS}s" "$1")"
  after="$(cpu_ticks "$PID")"
  reqs="$(echo "$out" | awk '/requests in/ {print $1}')"
  rps="$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')"
  echo "$rps $(( (after - before) * 1000000 / TICK / reqs ))"
}

printf '| flags | ingest %s cold / warm (s) | by-name req/s | by-name CPU µs/req | liveness req/s | liveness CPU µs/req | RSS after (MB) | peak RSS (MB) |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n' "$N"
IFS=';' read -r -a SETS <<<"$FLAGSETS"
for _round in $(seq 1 "${ROUNDS:-1}"); do
for set in "${SETS[@]}"; do
  label="${set%%=*}"
  opts="${set#*=}"
  port="$(free_port)"
  rm -rf "$WORK/data"
  cat >"$WORK/bench.yaml" <<YAML
backend:
  baseUrl: http://localhost:$port
  listen: { host: 127.0.0.1, port: $port }
  dataDir: $WORK/data
  auth: { dangerouslyDisableDefaultAuthPolicy: true }
YAML
  # the catalog is registered over the API, so its folder must be readable (builds before the
  # access policy had no such key: OLD_CONFIG=1 leaves it out)
  [[ "${OLD_CONFIG:-0}" == 1 ]] || printf '  reading: { directories: ["%s"] }\n' "$DATA" >>"$WORK/bench.yaml"
  if [[ -n "${DATABASE_ADMIN_URL:-}" ]]; then # the catalog store on PostgreSQL: a fresh database per flag set
    db="jvm_bench_$$_$RANDOM"
    psql -q "$DATABASE_ADMIN_URL" -c "CREATE DATABASE $db" >/dev/null
    printf '  database: { client: pg, connection: "%s/%s" }\n' "${DATABASE_ADMIN_URL%/*}" "$db" >>"$WORK/bench.yaml"
  fi
  # shellcheck disable=SC2086 # opts is a list of options
  java $opts -jar "$JAR" --config "$WORK/bench.yaml" >"$WORK/server-$label.log" 2>&1 &
  PID=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$base/.backstage/health/v1/readiness" && break
    kill -0 "$PID" 2>/dev/null || { tail -n 30 "$WORK/server-$label.log" >&2; exit 1; }
    sleep 0.1
  done
  register() { # prints the seconds the registration took; the location's id goes to $WORK/location
    curl -fsS -o "$WORK/registered.json" -w '%{time_total}' -X POST -H 'content-type: application/json' \
      -d "{\"type\":\"file\",\"target\":\"$DATA/catalog-info.yaml\"}" "$base/api/catalog/locations"
    sed -n 's/.*"location":{[^}]*"id":"\([^"]*\)".*/\1/p' "$WORK/registered.json" >"$WORK/location"
  }
  ingest="$(register)"
  byname="$base/api/catalog/entities/by-name/component/default/$REF"
  curl -fsS -o /dev/null "$byname"
  wrk -t2 -c8 -d10s "$byname" >/dev/null       # 20 s of warm-up, both request paths
  wrk -t2 -c8 -d10s "$base/.backstage/health/v1/liveness" >/dev/null
  read -r name_rps name_cpu < <(wrk_cpu "$byname")
  read -r live_rps live_cpu < <(wrk_cpu "$base/.backstage/health/v1/liveness")
  # the same registration again, warm: delete the location, wait until its entities are gone,
  # register it again; twice, since the first repeat still runs the ingest path's first C2 compiles
  for _ in 1 2; do
    curl -fsS -o /dev/null -X DELETE "$base/api/catalog/locations/$(cat "$WORK/location")"
    for _ in $(seq 1 300); do
      [[ "$(curl -s -o /dev/null -w '%{http_code}' "$byname")" == 404 ]] && break
      sleep 0.1
    done
    warm_ingest="$(register)"
  done
  rss="$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$PID/status")"
  hwm="$(awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$PID/status")"
  printf '| %s (`%s`) | %.2f / %.2f | %s | %s | %s | %s | %s | %s |\n' "$label" "${opts:-no flags}" "$ingest" "$warm_ingest" \
    "$name_rps" "$name_cpu" "$live_rps" "$live_cpu" "$rss" "$hwm"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=""
  [[ -z "${DATABASE_ADMIN_URL:-}" ]] || psql -q "$DATABASE_ADMIN_URL" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
done
