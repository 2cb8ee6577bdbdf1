// A load balancer at its least helpful: sends each request to the next of several backend
// replicas in turn, so that consecutive requests of one client (a write and the read after it,
// the pages of one browser session) land on different replicas. Streams both ways, so
// server-sent events pass through.
//
//   node alternate.mjs PORT http://127.0.0.1:7101 http://127.0.0.1:7102 ...
import http from 'node:http';

const [port, ...upstreams] = process.argv.slice(2);
if (!port || upstreams.length < 2) {
  console.error('usage: node alternate.mjs PORT UPSTREAM_URL UPSTREAM_URL...');
  process.exit(2);
}
const targets = upstreams.map(u => new URL(u));
const served = targets.map(() => 0);
let next = 0;

const server = http.createServer((req, res) => {
  const i = next;
  next = (next + 1) % targets.length;
  served[i]++;
  const target = targets[i];
  const upstream = http.request({
    host: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, host: req.headers.host, 'x-forwarded-for': req.socket.remoteAddress },
  }, up => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('error', err => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
    }
    res.end(JSON.stringify({ error: { name: 'BadGateway', message: `replica ${target.href}: ${err.message}` } }));
  });
  req.pipe(upstream);
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`alternating between ${targets.map(t => t.href).join(', ')} on http://127.0.0.1:${port}`);
});
const report = () => {
  console.log(`requests per replica: ${targets.map((t, i) => `${t.href} ${served[i]}`).join(', ')}`);
  process.exit(0);
};
process.on('SIGTERM', report);
process.on('SIGINT', report);
