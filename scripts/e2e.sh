#!/usr/bin/env bash
# Browser test: serves the stock Backstage app (../shared/backstage-app) from the jar through
# app.distDir, signs in as guest in headless Chromium and walks the catalog, entity, API
# definition, catalog graph, search and scaffolder pages. Screenshots go to OUT (argument 1).
#
#   bash scripts/e2e.sh [OUT_DIR]          (needs the jar: ./mvnw -q package -DskipTests)
#
# With REPLICAS=2 and DATABASE_URL=postgresql://user@host:port/db (an empty database), two
# servers share that database and one demo folder, and the walks go through e2e/alternate.mjs,
# which sends each request to the other replica.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SHARED="$(cd "$ROOT/../shared" && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/e2e-out}" && cd "${1:-$ROOT/e2e-out}" && pwd)"
WORK="$(mktemp -d)"
SERVER_PIDS=()
cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
source .ci/jdk.sh
JAR="$ROOT/catalog-backend/target/catalog-backend.jar"
test -f "$JAR" || { echo "build the jar first: ./mvnw -q package -DskipTests" >&2; exit 1; }

if ! [[ -x /usr/bin/chromium ]]; then
  echo "installing Debian's chromium"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
fi
(cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p "$WORK/app" && tar -C "$WORK/app" -xJf "$SHARED/backstage-app/dist.tar.xz"
cp -r "$SHARED/backstage-app/e2e" "$WORK/stock-e2e"
ln -s "$ROOT/e2e/node_modules" "$WORK/stock-e2e/node_modules"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
REPLICAS="${REPLICAS:-1}"
PORT="$(free_port)"
URL="http://localhost:$PORT"

# start_replica NAME PORT EXTRA_YAML: one server of the app, waits until it is ready
start_replica() {
  local name="$1" port="$2" extra="$3"
  cat >"$WORK/e2e-$name.yaml" <<YAML
app:
  baseUrl: $URL
  distDir: $WORK/app/dist
backend:
  baseUrl: $URL
  listen: { host: 127.0.0.1, port: $port }
  dataDir: $WORK/data-$name
$extra
YAML
  bin/portal --config "$WORK/e2e-$name.yaml" --demo --demo-dir "${DEMO_DIR:-$WORK/demo}" >"$OUT/server-$name.log" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/.backstage/health/v1/readiness" && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$OUT/server-$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "server $name did not become ready" >&2
  exit 1
}

if [[ "$REPLICAS" == 1 ]]; then
  start_replica server "$PORT" ""
else
  : "${DATABASE_URL:?REPLICAS=2 needs DATABASE_URL, an empty PostgreSQL database}"
  DATABASE_YAML="  database: { client: pg, connection: '$DATABASE_URL' }"
  UPSTREAMS=()
  for i in $(seq 1 "$REPLICAS"); do
    p="$(free_port)"
    start_replica "replica-$i" "$p" "$DATABASE_YAML"
    UPSTREAMS+=("http://127.0.0.1:$p")
  done
  node "$ROOT/e2e/alternate.mjs" "$PORT" "${UPSTREAMS[@]}" >"$OUT/alternate.log" 2>&1 &
  SERVER_PIDS+=("$!")
  for _ in $(seq 1 40); do curl -fsS -o /dev/null "$URL/.backstage/health/v1/readiness" && break; sleep 0.25; done
fi

status=0
echo "== stock e2e walk (../shared/backstage-app/e2e/e2e.mjs)"
(cd "$WORK/stock-e2e" && FRONTEND_URL="$URL" OUT_DIR="$OUT/stock" node e2e.mjs) || status=1
echo "== portal checks (e2e/portal.mjs)"
(cd "$ROOT/e2e" && FRONTEND_URL="$URL" OUT_DIR="$OUT/portal" node portal.mjs) || status=1
for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
SERVER_PIDS=()
[[ "$REPLICAS" == 1 ]] || exit $status # the permissions walk runs on one server

echo "== permissions walk (e2e/permissions.mjs): the demo with an owner-only read policy"
cat >"$WORK/rbac-policy.csv" <<CSV
p, role:default/team, catalog-entity, read, allow
g, group:default/team-orders, role:default/team
CSV
cat >"$WORK/rbac-conditional-policies.yaml" <<YAML
result: CONDITIONAL
roleEntityRef: role:default/team
pluginId: catalog
resourceType: catalog-entity
permissionMapping: [read]
conditions: { rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: { claims: [\$ownerRefs] } }
YAML
DEMO_DIR="$WORK/demo-permissions" start_replica permissions "$PORT" "auth:
  providers:
    guest:
      # a user the demo catalog does not have: the guest then gets exactly these refs (a guest that
      # is in the catalog gets its groups from there, as in Backstage)
      userEntityRef: user:default/orders-viewer
      ownershipEntityRefs: [user:default/orders-viewer, group:default/team-orders]
permission:
  enabled: true
  rbac:
    policies-csv-file: $WORK/rbac-policy.csv
    conditionalPoliciesFile: $WORK/rbac-conditional-policies.yaml"
(cd "$ROOT/e2e" && FRONTEND_URL="$URL" OUT_DIR="$OUT/permissions" node permissions.mjs) || status=1
exit $status
