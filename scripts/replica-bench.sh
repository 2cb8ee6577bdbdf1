#!/usr/bin/env bash
# Replicas on PostgreSQL (scripts/replica-bench.mjs): commit visibility on every replica after a
# webhook, and failover after SIGKILL of the leader. Needs node, git, psql and ../shared/compat.
#
#   bash scripts/replica-bench.sh [N=1000] [COMMITS=100] [FAILOVERS=5]
# DATABASE_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server;
# a database is created for the run and dropped after it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SHARED="$(cd "$ROOT/../shared" && pwd)"
N="${1:-1000}"
COMMITS="${2:-100}"
FAILOVERS="${3:-5}"
CACHE="${BENCH_CACHE:-$ROOT/.bench-cache}"
ADMIN="${DATABASE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
source .ci/jdk.sh
JAR="${JAR:-$ROOT/catalog-backend/target/catalog-backend.jar}"
test -f "$JAR" || ./mvnw -B -ntp -q -pl catalog-backend -am package -DskipTests
mkdir -p "$CACHE"
if [[ ! -d "$CACHE/compat/node_modules" ]]; then
  rm -rf "$CACHE/compat" && cp -r "$SHARED/compat" "$CACHE/compat"
  (cd "$CACHE/compat" && npm ci --no-audit --no-fund --loglevel=error)
fi
DATA="$CACHE/data/n$N"
[[ -f "$DATA/manifest.json" ]] || node "$CACHE/compat/gen_catalog.mjs" --count "$N" --out "$DATA" >/dev/null
DB="replica_bench_$$"
psql -q "$ADMIN" -c "CREATE DATABASE $DB"
trap 'psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null' EXIT
node scripts/replica-bench.mjs --jar "$JAR" --data "$DATA" --db "${ADMIN%/*}/$DB" --commits "$COMMITS" \
  --failovers "$FAILOVERS" --java "$JAVA_HOME/bin/java" --out "${OUT:-$CACHE}"
