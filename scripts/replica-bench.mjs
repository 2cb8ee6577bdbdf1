// Replica benchmark: two servers (the built jar) on one PostgreSQL database with a Git provider
// on a local repository holding a generated catalog.
//  1. Commit visibility: K one-file commits, each announced by a signed push webhook to either
//     replica in turn; for every commit, the time from the webhook's response until each replica
//     serves the change (polled every 5 ms). Reports p50 / p99 / max per replica.
//  2. Failover: F times, a commit is pushed and the leader killed with SIGKILL at once; reports
//     the time until the other replica leads and until it serves that commit. The killed replica
//     is started again (as a follower) before the next round.
//
//   node scripts/replica-bench.mjs --jar JAR --data DIR --db postgresql://user@host:port/db
//        [--commits 100] [--failovers 5] [--lease 6] [--java java] [--out DIR]
// DIR is a gen_catalog.mjs output; the database must exist and be empty.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const jar = args.jar, data = args.data, db = args.db;
if (!jar || !data || !db) {
  console.error('usage: node replica-bench.mjs --jar JAR --data DIR --db postgresql://... [--commits N] [--failovers N] [--lease S]');
  process.exit(2);
}
const COMMITS = Number(args.commits ?? 100);
const FAILOVERS = Number(args.failovers ?? 5);
const LEASE = Number(args.lease ?? 6);
const JAVA = args.java ?? 'java';
const SECRET = 'replica-bench-secret';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'replica-bench-'));
const out = args.out ?? work;
const repo = path.join(work, 'repo');
const sleep = ms => new Promise(r => setTimeout(r, ms));

function git(...a) {
  return execFileSync('git', a, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_CONFIG_NOSYSTEM: '1', HOME: work } }).trim();
}
function probe(word) {
  return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: visibility-probe\n  description: ${word}\n`
    + 'spec:\n  type: service\n  lifecycle: production\n  owner: group:team-0000\n';
}
function commitProbe(word) {
  fs.writeFileSync(path.join(repo, 'visibility.yaml'), probe(word));
  git('commit', '-q', '-am', word);
  return git('rev-parse', 'HEAD');
}
async function freePort() {
  return new Promise(resolve => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
async function get(base, p) {
  const r = await fetch(base + p);
  return { status: r.status, text: await r.text() };
}
async function leads(base) {
  try {
    const m = (await get(base, '/metrics')).text.match(/^portal_replica_leader (\S+)/m);
    return m && Number(m[1]) === 1;
  } catch { return false; }
}
async function description(base) {
  try {
    const r = await get(base, '/api/catalog/entities/by-name/component/default/visibility-probe');
    return r.status === 200 ? JSON.parse(r.text).metadata.description : null;
  } catch { return null; }
}
async function until(cond, what, timeoutMs = 120000, everyMs = 5) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error('timed out: ' + what);
    await sleep(everyMs);
  }
}
async function webhook(base, sha) {
  const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repoUrl } });
  const sig = 'sha256=' + crypto.createHmac('sha256', SECRET).update(body).digest('hex');
  const r = await fetch(base + '/api/git-sync/webhooks', { method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': sig } });
  if (r.status !== 202) throw new Error('webhook answered ' + r.status + ': ' + await r.text());
}

// ---- the repository: the generated catalog plus one small file the commits change
fs.cpSync(data, repo, { recursive: true });
const root = path.join(repo, 'catalog-info.yaml');
fs.writeFileSync(root, fs.readFileSync(root, 'utf8').replace('  targets:\n', '  targets:\n    - ./visibility.yaml\n'));
fs.writeFileSync(path.join(repo, 'visibility.yaml'), probe('start'));
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'generated catalog');
const repoUrl = 'file://' + repo;

// ---- the replicas
const replicas = [];
for (const name of ['a', 'b']) {
  const port = await freePort();
  const config = path.join(work, `${name}.yaml`);
  fs.writeFileSync(config, `backend:
  baseUrl: http://127.0.0.1:${port}
  listen: { host: 127.0.0.1, port: ${port} }
  dataDir: ${path.join(work, 'data-' + name)}
  auth: { dangerouslyDisableDefaultAuthPolicy: true }
  database: { client: pg, connection: '${db}' }
catalog:
  leaderLeaseSeconds: ${LEASE}
  providers:
    git:
      bench:
        url: ${repoUrl}
        catalogPath: catalog-info.yaml
        webhookSecret: ${SECRET}
`);
  replicas.push({ name, base: `http://127.0.0.1:${port}`, config, proc: null });
}
function start(r) {
  const log = fs.openSync(path.join(out, `replica-${r.name}.log`), 'a');
  r.proc = spawn(JAVA, ['-XX:+UseSerialGC', '-Xmx512m', '-jar', jar, '--config', r.config], { stdio: ['ignore', log, log] });
  r.exited = new Promise(resolve => r.proc.on('exit', resolve));
}
async function ready(r) {
  await until(async () => {
    try { return (await get(r.base, '/.backstage/health/v1/readiness')).status === 200; } catch { return false; }
  }, `replica ${r.name} ready`, 180000, 100);
}
process.on('exit', () => replicas.forEach(r => r.proc && r.proc.kill('SIGKILL')));

const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)]; };
const fmt = xs => `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;

for (const r of replicas) { start(r); await ready(r); }
for (const r of replicas) await until(async () => (await description(r.base)) === 'start', `replica ${r.name} serves the catalog`, 300000, 50);
const entities = JSON.parse((await get(replicas[0].base, '/api/catalog/entities/by-query?limit=1')).text).totalItems;
console.log(`two replicas ready with ${entities} entities; leader: ${(await leads(replicas[0].base)) ? 'a' : 'b'}`);

// ---- 1. commit visibility
const seen = { a: [], b: [] };
for (let i = 1; i <= COMMITS; i++) {
  const word = `visible-${i}`;
  const sha = commitProbe(word);
  const target = replicas[i % 2];
  await webhook(target.base, sha);
  const t0 = performance.now();
  await Promise.all(replicas.map(async r => {
    await until(async () => (await description(r.base)) === word, `commit ${i} on ${r.name}`, 60000, 5);
    seen[r.name].push(performance.now() - t0);
  }));
}
console.log(`commit visible after the webhook, replica a: ${fmt(seen.a)}`);
console.log(`commit visible after the webhook, replica b: ${fmt(seen.b)}`);

// ---- 2. failover
const takeovers = [], applied = [];
for (let j = 1; j <= FAILOVERS; j++) {
  const leader = (await leads(replicas[0].base)) ? replicas[0] : replicas[1];
  const other = leader === replicas[0] ? replicas[1] : replicas[0];
  const word = `failover-${j}`;
  commitProbe(word); // no webhook: the leader is killed before it could announce anything
  leader.proc.kill('SIGKILL');
  const t0 = performance.now();
  await leader.exited;
  await until(() => leads(other.base), `replica ${other.name} takes over`, 60000, 20);
  takeovers.push(performance.now() - t0);
  await until(async () => (await description(other.base)) === word, `the commit on ${other.name}`, 60000, 20);
  applied.push(performance.now() - t0);
  start(leader);
  await ready(leader);
}
console.log(`failover after SIGKILL of the leader (lease ${LEASE} s): new leader after ${fmt(takeovers)}`);
console.log(`  the commit pushed just before the kill served after ${fmt(applied)}`);
replicas.forEach(r => r.proc.kill('SIGTERM'));
await Promise.all(replicas.map(r => r.exited));
fs.rmSync(work, { recursive: true, force: true });
