#!/usr/bin/env bash
# Permission benchmark: one server with permission.enabled and an owner-only conditional read
# policy over N entities; loadbench's by-query, facets and search scenarios run in the same run
# for an owner-only user (member of one of 100 teams) and for an unrestricted user (a super user),
# with the totals each one sees.
#
#   bash scripts/bench-permissions.sh [N=10000] [OUT_DIR=bench-out]     (needs the jars)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
N="${1:-10000}"
OUT="$(mkdir -p "${2:-$ROOT/bench-out}" && cd "${2:-$ROOT/bench-out}" && pwd)"
source .ci/jdk.sh
JAR="$ROOT/catalog-backend/target/catalog-backend.jar"
LOADBENCH="$ROOT/loadbench/target/loadbench.jar"
test -f "$JAR" -a -f "$LOADBENCH" || { echo "build the jars first: ./mvnw -q package -DskipTests" >&2; exit 1; }
WORK="$(mktemp -d)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
python3 scripts/perm_catalog.py "$N" "$WORK/catalog"

cat >"$WORK/rbac-policy.csv" <<CSV
p, role:default/team-member, catalog-entity, read, allow
g, group:default/team-0007, role:default/team-member
CSV
cat >"$WORK/rbac-conditional-policies.yaml" <<YAML
result: CONDITIONAL
roleEntityRef: role:default/team-member
pluginId: catalog
resourceType: catalog-entity
permissionMapping: [read]
conditions:
  rule: IS_ENTITY_OWNER
  resourceType: catalog-entity
  params: { claims: [\$ownerRefs] }
YAML

start() { # NAME PORT GUEST_REF GUEST_OWNERSHIP EXTRA_YAML -> pid on stdout
  # both servers name the main one as their base URL: tokens carry it as their issuer
  cat >"$WORK/$1.yaml" <<YAML
backend:
  baseUrl: http://localhost:$PORT
  listen: { host: 127.0.0.1, port: $2 }
  dataDir: $WORK/$1-data
auth:
  providers:
    guest: { userEntityRef: $3, ownershipEntityRefs: $4 }
catalog:
  maxFileSizeBytes: 104857600
$5
YAML
  java -XX:+UseSerialGC -Xmx1g -jar "$JAR" --config "$WORK/$1.yaml" >"$OUT/perm-$1-server.log" 2>&1 &
  echo $!
}
ready() { until curl -fsS -o /dev/null "http://127.0.0.1:$1/.backstage/health/v1/readiness"; do sleep 0.2; done; }
token() { curl -fsS "http://127.0.0.1:$1/api/auth/guest/refresh" | python3 -c 'import json,sys; print(json.load(sys.stdin)["backstageIdentity"]["token"])'; }

PORT="$(free_port)"
PID="$(start main "$PORT" user:default/user-00007 '[user:default/user-00007, group:default/team-0007]' "
  locations: [{ type: file, target: $WORK/catalog/catalog-info.yaml }]
permission:
  enabled: true
  rbac:
    policies-csv-file: $WORK/rbac-policy.csv
    conditionalPoliciesFile: $WORK/rbac-conditional-policies.yaml
    admin:
      superUsers: [{ name: user:default/admin }]")"
PIDS+=("$PID")
ready "$PORT"
OWNER="$(token "$PORT")"
# a second server signing with the same key issues the super user's token
mkdir -p "$WORK/minter-data" && cp -r "$WORK/main-data/auth" "$WORK/minter-data/"
MPORT="$(free_port)"
MPID="$(start minter "$MPORT" user:default/admin '[user:default/admin]' "")"
PIDS+=("$MPID")
ready "$MPORT"
ADMIN="$(token "$MPORT")"
kill "$MPID"; wait "$MPID" 2>/dev/null || true

base="http://127.0.0.1:$PORT"
total() { curl -fsS -H "authorization: Bearer $1" "$base/api/catalog/entities/by-query?limit=1&filter=kind=component" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalItems"])'; }
until [[ "$(total "$ADMIN")" -gt 0 ]]; do kill -0 "$PID" || exit 1; sleep 0.5; done
for who in owner admin; do
  tok="$OWNER"; [[ $who == admin ]] && tok="$ADMIN"
  echo "== $who: components visible $(total "$tok"), search "service" results $(curl -fsS -H "authorization: Bearer $tok" \
    "$base/api/search/query?term=service&pageLimit=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberOfResults"])')"
done
for round in 1 2 3; do
  for who in admin owner; do
    tok="$OWNER"; [[ $who == admin ]] && tok="$ADMIN"
    java -XX:+UseSerialGC -Xmx512m -jar "$LOADBENCH" "$base" --data "$WORK/catalog" --token "$tok" --pid "$PID" \
      --only 'by-query|facets|search' --json "$OUT/perm-$who-r$round-n$N.json" | tee "$OUT/perm-$who-r$round-n$N.txt"
  done
done
