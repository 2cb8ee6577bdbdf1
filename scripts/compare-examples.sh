#!/usr/bin/env bash
# Reads the example catalog (catalog-backend/src/test/resources/example-catalog, in the shape of
# Backstage's own examples) with the jar and with the real Backstage backend
# (../shared/compat/reference-backend), and compares every entity and relation both produce.
#
#   bash scripts/compare-examples.sh        (needs node, npm and ../shared; caches npm packages in .bench-cache)
#   KEEP=1 keeps the dumps and logs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SHARED="$(cd "$ROOT/../shared" && pwd)"
CACHE="${BENCH_CACHE:-$ROOT/.bench-cache}"
source .ci/jdk.sh
JAR="$ROOT/catalog-backend/target/catalog-backend.jar"
test -f "$JAR" || ./mvnw -B -ntp -q -pl catalog-backend -am package -DskipTests
REF="$CACHE/compat/reference-backend"
if [[ ! -d "$REF/node_modules" ]]; then
  rm -rf "$REF" && mkdir -p "$CACHE/compat" && cp -r "$SHARED/compat/reference-backend" "$REF"
  (cd "$REF" && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK="$(mktemp -d)"
OUR_PID=""
REF_PORT=""
cleanup() {
  [[ -n "$OUR_PID" ]] && kill "$OUR_PID" 2>/dev/null
  [[ -n "$REF_PORT" ]] && (cd "$REF" && PORT="$REF_PORT" bash stop.sh >/dev/null 2>&1 || true)
  if [[ -n "${KEEP:-}" ]]; then echo "kept $WORK (ours.json, reference.json, logs)" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
cp -r "$ROOT/catalog-backend/src/test/resources/example-catalog" "$WORK/catalog"
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

# Both read the same folder once it is stable: the count of entities stops changing.
settled() { # URL → prints the entities once two reads 3 s apart agree (at most 2 minutes)
  local last="" now
  for _ in $(seq 1 40); do
    now="$(curl -fsS "$1/api/catalog/entities" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')"
    [[ "$now" == "$last" && "$now" != 0 ]] && break
    last="$now"; sleep 3
  done
  curl -fsS "$1/api/catalog/entities"
}

OUR_PORT="$(free_port)"
cat >"$WORK/ours.yaml" <<YAML
backend:
  listen: { host: 127.0.0.1, port: $OUR_PORT }
  dataDir: $WORK/data
  auth: { dangerouslyDisableDefaultAuthPolicy: true }
catalog:
  locations: [{ type: file, target: $WORK/catalog/all.yaml }]
YAML
java -jar "$JAR" --config "$WORK/ours.yaml" >"$WORK/ours.log" 2>&1 &
OUR_PID=$!
REF_PORT="$(free_port)"
(cd "$REF" && PORT="$REF_PORT" CATALOG_LOCATION="$WORK/catalog/all.yaml" bash start.sh >/dev/null)
until curl -fsS -o /dev/null "http://127.0.0.1:$OUR_PORT/.backstage/health/v1/readiness"; do
  kill -0 "$OUR_PID" 2>/dev/null || { tail -n 30 "$WORK/ours.log"; exit 1; }; sleep 0.3
done
settled "http://127.0.0.1:$OUR_PORT" >"$WORK/ours.json"
settled "http://127.0.0.1:$REF_PORT" >"$WORK/reference.json"
cp "$REF/run/backend-$REF_PORT.log" "$WORK/reference.log" 2>/dev/null || true
node scripts/compare-entities.mjs "$WORK/ours.json" "$WORK/reference.json" "$WORK/catalog"
