// The stock Backstage frontend as a user with read access to part of the catalog: the backend
// runs the demo with permission.enabled and an owner-only read policy (scripts/e2e.sh writes it),
// the guest owns only team-orders' entities. Headless Debian Chromium driven by playwright-core.
//
//   FRONTEND_URL=http://localhost:7007 OUT_DIR=e2e-out node permissions.mjs
//
// Prints one PASS/FAIL line per check and ends with 'N passed, N failed'.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = process.env;
const BASE = (env.FRONTEND_URL || 'http://localhost:7007').replace(/\/$/, '');
const OUT = path.resolve(env.OUT_DIR || 'e2e-out');
const T = Number(env.STEP_TIMEOUT_MS || 20000);
fs.mkdirSync(OUT, { recursive: true });
const profile = fs.mkdtempSync(path.join(OUT, '.profile-'));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(T);
// the decisions the backend gave for catalog.entity.delete, in order
const deleteDecisions = [];
page.on('response', async r => {
  if (new URL(r.url()).pathname !== '/api/permission/authorize') return;
  const asked = JSON.parse(r.request().postData() || '{"items":[]}').items;
  const answered = await r.json().catch(() => ({ items: [] }));
  for (const item of asked) {
    if (item.permission?.name !== 'catalog.entity.delete') continue;
    const decision = (answered.items || []).find(d => d.id === item.id);
    deleteDecisions.push(`${item.resourceRef}=${decision?.result}`);
  }
});

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    passed++;
    console.log(`PASS ${name} (${Date.now() - t0} ms)${detail ? ` - ${detail}` : ''}`);
  } catch (e) {
    failed++;
    try { await page.screenshot({ path: path.join(OUT, `${name}-FAILED.png`) }); } catch { /* page gone */ }
    console.log(`FAIL ${name} (${Date.now() - t0} ms) - ${String(e.message || e).split('\n')[0]}`);
  }
}
const settle = () => page.waitForLoadState('networkidle', { timeout: T }).catch(() => {});

let token = null;
page.on('response', async r => {
  if (new URL(r.url()).pathname === '/api/auth/guest/refresh' && r.ok()) {
    try { token = (await r.json()).backstageIdentity.token; } catch { /* not JSON */ }
  }
});

await check('sign-in-as-guest', async () => {
  await page.goto(`${BASE}/catalog`);
  const enter = page.getByRole('button', { name: /^enter$/i });
  await Promise.race([enter.waitFor(), page.locator('table tbody tr').first().waitFor()]);
  if (await enter.count()) await enter.click();
  await page.locator('table tbody tr').first().waitFor();
  return 'signed in';
});

await check('catalog-table-shows-only-the-readable-part-with-its-count', async () => {
  await page.goto(`${BASE}/catalog`);
  await page.locator('table tbody tr', { hasText: 'orders-web' }).first().waitFor();
  await settle();
  if (!token) throw new Error('no guest token seen');
  const api = await fetch(`${BASE}/api/catalog/entities/by-query?filter=kind=component&limit=0`,
    { headers: { authorization: `Bearer ${token}` } }).then(r => r.json());
  // the stock catalog opens on "Owned"; "All" is every component the caller may read
  await page.locator('li', { hasText: /^\s*All\s*\d+\s*$/ }).first().click();
  await page.getByText(/^All Components \(\d+\)$/i).first().waitFor();
  await settle();
  const rows = await page.locator('table tbody tr').count();
  if (await page.locator('table tbody tr', { hasText: 'petstore-service' }).count()) {
    throw new Error('petstore-service (team-petstore) is listed');
  }
  if (rows !== api.totalItems) throw new Error(`${rows} rows, the API counts ${api.totalItems}`);
  const title = (await page.getByText(/^All Components \(\d+\)$/i).first().innerText()).trim();
  const shown = Number((title.match(/\((\d+)\)/) || [])[1]);
  if (shown !== api.totalItems) throw new Error(`title '${title}', the API counts ${api.totalItems}`);
  return `${rows} rows, title '${title}'`;
});

await check('a-hidden-entity-page-is-not-found', async () => {
  await page.goto(`${BASE}/catalog/default/component/petstore-service`);
  await page.getByText(/not found|no entity|was not found/i).first().waitFor();
  return 'not found';
});

await check('unregister-entity-is-not-offered', async () => {
  await page.goto(`${BASE}/catalog/default/component/orders-web`);
  await page.getByRole('heading', { name: 'orders-web' }).first().waitFor();
  await settle();
  await page.getByRole('button', { name: 'More actions' }).first().click();
  const item = page.getByRole('menuitem', { name: /unregister entity/i });
  await page.getByRole('menu').first().waitFor();
  // the stock menu asks catalog.entity.delete for this entity; the backend must say DENY
  for (let i = 0; i < 100 && !deleteDecisions.some(d => d.startsWith('component:default/orders-web=')); i++) {
    await page.waitForTimeout(100);
  }
  const decision = deleteDecisions.find(d => d.startsWith('component:default/orders-web='));
  if (decision !== 'component:default/orders-web=DENY') throw new Error(`delete decision ${decision}`);
  await settle();
  // the stock menu asks catalog.entity.delete for this entity and disables (or drops) the item
  await page.waitForFunction(() => {
    const items = [...document.querySelectorAll('[role="menuitem"]')].filter(e => /unregister entity/i.test(e.textContent));
    return items.every(e => e.getAttribute('aria-disabled') === 'true' || e.classList.contains('Mui-disabled'));
  }, null, { timeout: T });
  return `${decision}; ${(await item.count()) ? 'the menu item is disabled' : 'the menu item is absent'}`;
});

await context.close();
fs.rmSync(profile, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
