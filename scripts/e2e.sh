#!/usr/bin/env bash
# Browser test: serves the stock Backstage app (../shared/backstage-app) from the jar through
# app.distDir, signs in as guest in headless Chromium and walks the catalog, entity, API
# definition, catalog graph, search and scaffolder pages. Screenshots go to OUT (argument 1).
#
#   bash scripts/e2e.sh [OUT_DIR]          (needs the jar: ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SHARED="$(cd "$ROOT/../shared" && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/e2e-out}" && cd "${1:-$ROOT/e2e-out}" && pwd)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
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

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
URL="http://localhost:$PORT"
cat >"$WORK/e2e-config.yaml" <<YAML
app:
  baseUrl: $URL
  distDir: $WORK/app/dist
backend:
  baseUrl: $URL
  listen: { host: 127.0.0.1, port: $PORT }
  dataDir: $WORK/data
YAML
bin/portal --config "$WORK/e2e-config.yaml" --demo >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$URL/.backstage/health/v1/readiness" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$OUT/server.log" >&2; exit 1; }
  sleep 0.5
done

status=0
echo "== stock e2e walk (../shared/backstage-app/e2e/e2e.mjs)"
(cd "$WORK/stock-e2e" && FRONTEND_URL="$URL" OUT_DIR="$OUT/stock" node e2e.mjs) || status=1
echo "== portal checks (e2e/portal.mjs)"
(cd "$ROOT/e2e" && FRONTEND_URL="$URL" OUT_DIR="$OUT/portal" node portal.mjs) || status=1
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

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
cat >"$WORK/e2e-permissions.yaml" <<YAML
app:
  baseUrl: $URL
  distDir: $WORK/app/dist
backend:
  baseUrl: $URL
  listen: { host: 127.0.0.1, port: $PORT }
  dataDir: $WORK/data-permissions
auth:
  providers:
    guest:
      ownershipEntityRefs: [user:default/guest, group:default/team-orders]
permission:
  enabled: true
  rbac:
    policies-csv-file: $WORK/rbac-policy.csv
    conditionalPoliciesFile: $WORK/rbac-conditional-policies.yaml
YAML
bin/portal --config "$WORK/e2e-permissions.yaml" --demo >"$OUT/server-permissions.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$URL/.backstage/health/v1/readiness" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$OUT/server-permissions.log" >&2; exit 1; }
  sleep 0.5
done
(cd "$ROOT/e2e" && FRONTEND_URL="$URL" OUT_DIR="$OUT/permissions" node permissions.mjs) || status=1
exit $status
