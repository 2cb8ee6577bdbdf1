#!/usr/bin/env bash
# The catalog store side by side in one run (scripts/jvm-bench.sh per row, bin/portal's default
# JVM flags): embedded H2 against PostgreSQL at each size, and, when BASE_JAR names a build of an
# earlier commit, that build on H2 at the first size (what a change costs a single replica).
# Columns as in jvm-bench.sh: ingest is the registration of the generated catalog (cold, then
# warm), by-name and liveness are wrk runs after warm-up with server CPU per request, RSS after.
#
#   bash scripts/store-bench.sh ["10000 50000 100000"] [SECONDS=10]
#   BASE_JAR=path/to/old/catalog-backend.jar bash scripts/store-bench.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-10000 50000 100000}"
SECS="${2:-10}"
ADMIN="${DATABASE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
OPTS="${OPTS:--XX:+UseSerialGC -Xmx512m}"
THIS_JAR="${THIS_JAR:-$PWD/catalog-backend/target/catalog-backend.jar}"
row() { # LABEL N JAR [pg]
  local label="$1" n="$2" jar="$3" pg="${4:-}"
  if [[ -n "$pg" ]]; then
    JAR="$jar" FLAGSETS="$label=$OPTS" DATABASE_ADMIN_URL="$ADMIN" bash scripts/jvm-bench.sh "$n" "$SECS" | tail -n 1
  else
    JAR="$jar" FLAGSETS="$label=$OPTS" bash scripts/jvm-bench.sh "$n" "$SECS" | tail -n 1
  fi
}
echo "| store, N | ingest cold / warm (s) | by-name req/s | by-name CPU µs/req | liveness req/s | liveness CPU µs/req | RSS after (MB) | peak RSS (MB) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
first=1
for n in $SIZES; do
  for round in 1 2; do
    if [[ -n "${BASE_JAR:-}" && "$first" == 1 ]]; then
      row "h2-base-$n" "$n" "$BASE_JAR"
    fi
    row "h2-$n" "$n" "$THIS_JAR"
    row "pg-$n" "$n" "$THIS_JAR" pg
    [[ "$first" == 1 ]] || break # two rounds at the first size only
  done
  first=0
done
