#!/usr/bin/env bash
# Git provider benchmark (issues #3/#4). Opt-in; not part of `./mvnw verify`.
#
#   scripts/bench-git.sh [SCALE=100]
#
# Generates a Platform Mesh GitOps repository (gen_mesh_repo.py, seed 7, --with-bad), commits it
# into a local Git repository, starts the packaged server with a Git provider on it (file://) and
# measures:
#   (a) cold start: server start -> provider status shows the commit applied and the expected
#       entity count is queryable;
#   (b) 20 one-file commits (component description / APIResourceSchema property, alternating), each
#       followed by a signed GitHub push webhook; ms from the webhook until the change is visible
#       through the catalog (by-name) and through search;
#   (c) commits without webhook, picked up by a short poll interval (server restarted on the same
#       data directory with that interval; "in sync" includes the provider's resume, which rebuilds its
#       caches from the processed commit): the first one after the restart reported apart, then 3 more;
#   (d) peak RSS of the server (VmHWM).
# Prints a Markdown table.
#
# Environment: JAVA_HOME (JDK 21+), GEN (path of gen_mesh_repo.py), XMX (server heap, default 512m),
# JAVA_OPTS (extra JVM flags),
# JFR=1 (record a JFR profile of the whole run; its path is printed), KEEP=1 (keep the work dir),
# PORT (default: a free port), POLL_SECONDS (for (c), default 2),
# COLD_ONLY=1 (stop after (a) and print only the cold-start rows and the peak RSS).
# Needs the jar: ./mvnw -q -o package -DskipTests
set -euo pipefail

SCALE="${1:-${SCALE:-100}}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/catalog-backend/target/catalog-backend.jar"
GEN="${GEN:-$ROOT/../shared/datasets/gen_mesh_repo.py}"
source "$ROOT/.ci/jdk.sh"   # a JDK 21+, as for the build
JAVA="$JAVA_HOME/bin/java"

[[ -f "$JAR" ]] || { echo "missing $JAR: run ./mvnw -q -o package -DskipTests first" >&2; exit 2; }
[[ -f "$GEN" ]] || { echo "missing generator $GEN (set GEN=...)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-git.XXXXXX")"
cleanup() { if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi; }
trap cleanup EXIT

# Isolated git: no user/system config, fixed identity.
export GIT_CONFIG_GLOBAL="$WORK/gitconfig" GIT_CONFIG_NOSYSTEM=1
: > "$GIT_CONFIG_GLOBAL"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

echo "generating scale $SCALE repository in $WORK/repo ..." >&2
python3 "$GEN" --out "$WORK/repo" --seed 7 --scale "$SCALE" --with-bad --quiet
git -C "$WORK/repo" init -q -b main
git -C "$WORK/repo" add -A
git -C "$WORK/repo" commit -q -m "generated mesh repository (scale $SCALE)"

python3 - "$WORK" "$JAR" "$JAVA" "$SCALE" <<'PY'
import hashlib, hmac, http.client, json, os, random, re, socket, statistics, subprocess, sys, time, urllib.parse

work, jar, java, scale = sys.argv[1:5]
repo = os.path.join(work, "repo")
url = "file://" + os.path.abspath(repo)
secret = "bench-secret"
manifest = json.load(open(os.path.join(repo, "gen-manifest.json")))
derived = manifest["derivedEntitiesExpected"]
# Lower bound: every Backstage document but those in broken files, plus derived API/System/Group.
expected_min = (manifest["backstageDocumentsTotal"] - len(manifest["badFiles"])
                + sum(v for k, v in derived.items() if not k.startswith("consumesApi")))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

port = int(os.environ.get("PORT") or free_port())

def git(*args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout.strip()

class Api:
    def __init__(self):
        self.conn = None
    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
    def json(self, path):
        status, data = self.request("GET", path)
        return status, (json.loads(data) if data else None)

api = Api()

def write_config(poll_seconds):
    cfg = os.path.join(work, "app-config.yaml")
    with open(cfg, "w") as f:
        f.write(f"""backend:
  listen: {{port: {port}, host: 127.0.0.1}}
  dataDir: {work}/data
  auth:
    dangerouslyDisableDefaultAuthPolicy: true
catalog:
  providers:
    git:
      mesh:
        url: {url}
        branch: main
        catalogPath: catalog-info.yaml
        kcpRoot: kcp
        webhookSecret: {secret}
        schedule:
          frequency: {{seconds: {poll_seconds}}}
""")
    return cfg

def start_server(poll_seconds, tag):
    cmd = [java]
    # a bounded heap, as in production; JAVA_OPTS may override it (the last -Xmx wins)
    cmd.append("-Xmx" + os.environ.get("XMX", "512m"))
    cmd += os.environ.get("JAVA_OPTS", "").split()
    if os.environ.get("JFR") == "1":
        cmd.append(f"-XX:StartFlightRecording=filename={work}/bench-{tag}.jfr,settings=profile,dumponexit=true")
    cmd += ["-jar", jar, "--config", write_config(poll_seconds)]
    log = open(os.path.join(work, f"server-{tag}.log"), "w")
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)

def stop_server(proc):
    rss = vm_hwm(proc.pid)
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    api.conn = None
    return rss

def vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return None

def wait_until(cond, what, timeout=600, proc=None, interval=0.005):
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = cond()
        except OSError:
            v = None
        if v:
            return v
        if proc is not None and proc.poll() is not None:
            sys.exit(f"server exited while waiting until {what}; see {work}/server-*.log")
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting until {what}")
        time.sleep(interval)

def status():
    s, body = api.json("/api/git-sync/providers/mesh")
    return body if s == 200 else None

def entity_count():
    s, body = api.json("/api/catalog/entities/by-query?limit=0")
    return body["totalItems"] if s == 200 else -1

def ms(t0, t1):
    return round((t1 - t0) * 1000)

# ---------- (a) cold start ----------
head = git("rev-parse", "HEAD")
t0 = time.monotonic()
proc = start_server(60, "cold")
t_http = wait_until(lambda: status() and time.monotonic(), "the server answers", proc=proc)
def applied():
    s = status()
    return s if s and s.get("lastCommit") == head and s.get("state") == "OK" else None
# Status and query API are checked in the same loop: either may turn first.
t_applied = t_queryable = st = None
def cold_done():
    global t_applied, t_queryable, st
    if t_applied is None:
        st = applied()
        if st:
            t_applied = time.monotonic()
    if t_queryable is None and entity_count() >= expected_min:
        t_queryable = time.monotonic()
    return t_applied is not None and t_queryable is not None
# 50 ms between checks: polling the server harder would take CPU from the ingest being measured
wait_until(cold_done, "the first commit is applied and queryable", proc=proc, interval=0.05)
count = entity_count()
cold = dict(server_up=ms(t0, t_http), applied=ms(t0, t_applied), queryable=ms(t0, t_queryable),
            fetch=st.get("lastFetchDurationMs"), apply=st.get("lastApplyDurationMs"),
            files=st.get("lastChangeFilesRead"), count=count, status_count=st.get("entityCount"),
            errors=len(st.get("processingErrors") or []))
rss_cold = vm_hwm(proc.pid)
print(f"cold: {cold}", file=sys.stderr)
if os.environ.get("COLD_ONLY") == "1":
    stop_server(proc)
    print(f"""
## Git provider cold sync, scale {scale} (seed 7, --with-bad); -Xmx{os.environ.get("XMX", "512m")}, JAVA_OPTS='{os.environ.get("JAVA_OPTS", "")}'

| Measure | Result |
| --- | --- |
| (a) server start → HTTP up | {cold["server_up"]} ms |
| (a) server start → commit applied (status OK) | {cold["applied"]} ms |
| (a) server start → {expected_min}+ entities queryable | {cold["queryable"]} ms |
| (a) first sync: fetch (clone) / read+apply ({cold["files"]} files) | {cold["fetch"]} ms / {cold["apply"]} ms |
| (a) entities (catalog / provider), processing errors | {cold["count"]} / {cold["status_count"]}, {cold["errors"]} |
| (d) peak RSS (VmHWM) after cold sync | {rss_cold} MiB |
""")
    if os.environ.get("JFR") == "1":
        print(f"JFR recording: {work}/bench-cold.jfr (set KEEP=1 to keep it)")
    sys.exit(0)

# ---------- change generators ----------
rng = random.Random(7)
components = []
for d in sorted(os.listdir(os.path.join(repo, "catalog/components"))):
    if d.startswith("zz-"):
        continue
    p = f"catalog/components/{d}/catalog-info.yaml"
    text = open(os.path.join(repo, p)).read()
    m = re.match(r"apiVersion: \S+\nkind: Component\nmetadata:\n  name: (\S+)\n(?:  title: .*\n)?  description: .*\n", text)
    if m:
        components.append((p, m.group(1)))
rng.shuffle(components)

s, apis = api.json("/api/catalog/entities?filter=kind=api,metadata.namespace=platform-mesh&fields=metadata.name,metadata.annotations")
api_by_resource = {}
search_text = {}
for e in apis:
    ann = e["metadata"].get("annotations", {})
    search_text[e["metadata"]["name"]] = ann.get("platform-mesh.io/search-text") or ""
    for res in (ann.get("platform-mesh.io/resources") or "").split(","):
        api_by_resource.setdefault((ann.get("kcp.io/path"), res), e["metadata"]["name"])
schemas = []
prov_root = os.path.join(repo, "kcp/root/providers")
for prov in sorted(os.listdir(prov_root)):
    if not os.path.isdir(os.path.join(prov_root, prov)):
        continue
    for f in sorted(os.listdir(os.path.join(prov_root, prov))):
        if not f.startswith("apiresourceschema-") or "huge" in f:
            continue
        p = f"kcp/root/providers/{prov}/{f}"
        text = open(os.path.join(repo, p)).read()
        g, pl = re.search(r"\n  group: (\S+)", text), re.search(r"\n    plural: (\S+)", text)
        d = re.search(r"\n {16}description: (.*)\n", text)
        if not g or not pl or not d:
            continue
        name = api_by_resource.get((f"root:providers:{prov}", f"{pl.group(1)}.{g.group(1)}"))
        # Only schemas whose property text reaches search: the API's search text is capped, so
        # property descriptions of large APIs are in the definition but not searchable.
        if name and d.group(1) in search_text.get(name, ""):
            schemas.append((p, name))
rng.shuffle(schemas)
if not components or not schemas:
    sys.exit("found no component or schema file to change")

def change(i):
    """One-file commit; returns (commit, marker, kind, name, check) with check(entity) -> bool."""
    marker = f"bmk{i:02d}q{rng.randrange(10**6):06d}"
    if i % 2 == 0:
        p, name = components[i // 2 % len(components)]
        path = os.path.join(repo, p)
        text = open(path).read()
        text = re.sub(r"(?m)^  description: .*$", f"  description: Benchmark change {marker}", text, count=1)
        kind, ns = "component", "default"
        check = lambda e: marker in (e["metadata"].get("description") or "")
    else:
        p, name = schemas[i // 2 % len(schemas)]
        path = os.path.join(repo, p)
        text = open(path).read()
        # first property description below spec.versions[].schema.properties.spec.properties
        text = re.sub(r"(?m)^( {16}description: )(.*)$", lambda m: f"{m.group(1)}{m.group(2)} {marker}", text, count=1)
        kind, ns = "api", "platform-mesh"
        check = lambda e: marker in (e["spec"].get("definition") or "")
    with open(path, "w") as f:
        f.write(text)
    git("commit", "-q", "-a", "-m", f"bench change {i}")
    return git("rev-parse", "HEAD"), marker, kind, ns, name, check

def webhook(commit):
    body = json.dumps({"ref": "refs/heads/main", "after": commit, "repository": {"clone_url": url}}).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    s, data = api.request("POST", "/api/git-sync/webhooks", body,
                          {"Content-Type": "application/json", "X-GitHub-Event": "push", "X-Hub-Signature-256": sig})
    if s != 202:
        sys.exit(f"webhook answered {s}: {data[:300]!r}")

def measure_visibility(t0, marker, kind, ns, name, check, timeout=60):
    seen_catalog = seen_search = None
    deadline = time.monotonic() + timeout
    while seen_catalog is None or seen_search is None:
        if time.monotonic() > deadline:
            print(f"change {marker} of {kind}:{ns}/{name} not visible after {timeout}s", file=sys.stderr)
            return (ms(t0, seen_catalog) if seen_catalog else None), (ms(t0, seen_search) if seen_search else None)
        if seen_catalog is None:
            s, e = api.json(f"/api/catalog/entities/by-name/{kind}/{ns}/{urllib.parse.quote(name)}")
            if s == 200 and check(e):
                seen_catalog = time.monotonic()
        if seen_search is None:
            s, r = api.json(f"/api/search/query?term={marker}")
            if s == 200 and any(x["document"]["location"].endswith(f"/{kind}/{name}") for x in r.get("results", [])):
                seen_search = time.monotonic()
        time.sleep(0.002)
    return ms(t0, seen_catalog), ms(t0, seen_search)

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * len(xs) + 0.5) - 1))]

def summary(xs):
    return f"{statistics.median(xs):.0f} / {pct(xs, 0.9)} / {max(xs)}"

# ---------- (b) webhook-triggered one-file commits ----------
hook_rows = []
for i in range(20):
    commit, marker, kind, ns, name, check = change(i)
    t0 = time.monotonic()
    webhook(commit)
    t_ack = time.monotonic()
    cat_ms, search_ms = measure_visibility(t0, marker, kind, ns, name, check)
    st = wait_until(lambda: (lambda s: s if s and s.get("lastCommit") == commit else None)(status()), "status shows the commit")
    hook_rows.append(dict(i=i, kind=kind, ack=ms(t0, t_ack), catalog=cat_ms, search=search_ms,
                          fetch=st.get("lastFetchDurationMs"), apply=st.get("lastApplyDurationMs"),
                          files=st.get("lastChangeFilesRead")))
    print(f"webhook {hook_rows[-1]}", file=sys.stderr)
rss_hooks = stop_server(proc)

# ---------- (c) poll-triggered commits ----------
poll = int(os.environ.get("POLL_SECONDS", "2"))
t0 = time.monotonic()
proc = start_server(poll, "poll")
head = git("rev-parse", "HEAD")
wait_until(applied, "the restarted server is in sync", proc=proc)
restart_ms = ms(t0, time.monotonic())
# The provider rebuilt its caches at the restart (the resume), so this commit is read incrementally;
# it is reported apart because it is the first one the restarted process handles (cold JIT).
commit, marker, kind, ns, name, check = change(20)
t0 = time.monotonic()
first_poll = measure_visibility(t0, marker, kind, ns, name, check)
print(f"poll first after restart {first_poll}", file=sys.stderr)
poll_rows = []
for i in range(21, 24):
    commit, marker, kind, ns, name, check = change(i)
    t0 = time.monotonic()
    cat_ms, search_ms = measure_visibility(t0, marker, kind, ns, name, check)
    poll_rows.append(dict(i=i, kind=kind, catalog=cat_ms, search=search_ms))
    print(f"poll {poll_rows[-1]}", file=sys.stderr)
rss_poll = stop_server(proc)

# ---------- report ----------
missing = sum(1 for r in hook_rows if r["catalog"] is None or r["search"] is None)
cat = [r["catalog"] for r in hook_rows if r["catalog"] is not None] or [-1]
srch = [r["search"] for r in hook_rows if r["search"] is not None] or [-1]
both = [max(r["catalog"], r["search"]) for r in hook_rows if r["catalog"] is not None and r["search"] is not None] or [-1]
acks = [r["ack"] for r in hook_rows]
applies = [r["apply"] for r in hook_rows if r["apply"] is not None]
fetches = [r["fetch"] for r in hook_rows if r["fetch"] is not None]
cpus = os.cpu_count()
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
jv = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print(f"""
## Git provider benchmark, scale {scale} (seed 7, --with-bad)

Machine: {cpus} cores, {int(mem) // 1024} MiB RAM; {jv}; -Xmx{os.environ.get("XMX", "512m")}, JAVA_OPTS='{os.environ.get("JAVA_OPTS", "")}'.
Repository: {manifest["files"]} files, {manifest["bytes"] // (1 << 20)} MiB; expected ≥ {expected_min} entities, catalog holds {cold["count"]} (provider: {cold["status_count"]}, {cold["errors"]} processing errors listed).

| Measure | Result |
| --- | --- |
| (a) server start → HTTP up | {cold["server_up"]} ms |
| (a) server start → commit applied (status OK) | {cold["applied"]} ms |
| (a) server start → {expected_min}+ entities queryable | {cold["queryable"]} ms |
| (a) first sync: fetch (clone) / read+apply ({cold["files"]} files) | {cold["fetch"]} ms / {cold["apply"]} ms |
| (b) webhook answered (202), median / p90 / max | {summary(acks)} ms |
| (b) webhook → visible by-name, median / p90 / max | {summary(cat)} ms |
| (b) webhook → visible in search, median / p90 / max | {summary(srch)} ms |
| (b) webhook → visible in both, median / p90 / max | {summary(both)} ms |
| (b) changes not visible within 60 s | {missing} of 20 |
| (b) provider fetch / apply per commit, median | {statistics.median(fetches) if fetches else "-"} ms / {statistics.median(applies) if applies else "-"} ms |
| (c) restart on same data → in sync | {restart_ms} ms |
| (c) first commit after restart → visible | {first_poll[0]}/{first_poll[1]} ms (by-name/search) |
| (c) commit → visible (poll every {poll} s, no webhook), next 3 commits | {", ".join(f"{r['catalog']}/{r['search']}" for r in poll_rows)} ms (by-name/search) |
| (d) peak RSS (VmHWM) after cold sync / after webhooks / poll run | {rss_cold} / {rss_hooks} / {rss_poll} MiB |
""")
if os.environ.get("JFR") == "1":
    print(f"JFR recordings: {work}/bench-cold.jfr, {work}/bench-poll.jfr (set KEEP=1 to keep them)")
PY
