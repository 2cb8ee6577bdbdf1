// Browser checks of what the Mesh Portal backend must give the stock Backstage frontend,
// beyond the shared walk (../shared/backstage-app/e2e/e2e.mjs). Headless Debian Chromium
// driven by playwright-core; the backend serves the app itself (same origin).
//
//   FRONTEND_URL=http://localhost:7007 OUT_DIR=e2e-out node portal.mjs
//
// Prints one PASS/FAIL line per check and ends with 'N passed, N failed'.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = process.env;
const BASE = (env.FRONTEND_URL || 'http://localhost:7007').replace(/\/$/, '');
const OUT = path.resolve(env.OUT_DIR || 'e2e-out');
const T = Number(env.STEP_TIMEOUT_MS || 20000);
const only = env.CHECKS ? new RegExp(env.CHECKS) : null;
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
const failedRequests = [];
page.on('response', r => {
  const u = new URL(r.url());
  if (u.pathname.startsWith('/api/') && r.status() >= 400) failedRequests.push(`${r.status()} ${r.request().method()} ${u.pathname}${u.search}`);
});

let passed = 0;
let failed = 0;
async function check(name, fn) {
  if (only && !only.test(name)) return;
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

await check('sign-in-as-guest', async () => {
  await page.goto(`${BASE}/catalog`);
  const enter = page.getByRole('button', { name: /^enter$/i });
  await Promise.race([enter.waitFor(), page.locator('table tbody tr').first().waitFor()]);
  if (await enter.count()) await enter.click();
  await page.locator('table tbody tr').first().waitFor();
  return 'signed in';
});

await check('catalog-table-rows', async () => {
  await page.goto(`${BASE}/catalog`);
  for (const name of ['petstore-service', 'orders-web']) {
    await page.locator('table tbody tr', { hasText: name }).first().waitFor();
  }
  await settle();
  return `${await page.locator('table tbody tr').count()} rows`;
});

await check('catalog-owned-count-for-guest', async () => {
  await page.goto(`${BASE}/catalog`);
  // the user-list picker shows "Owned" with the number of owned entities of the selected kind
  const owned = page.locator('li, [role="menuitem"], [role="button"]', { hasText: /^\s*Owned\s*\d+\s*$/ }).first();
  await owned.waitFor();
  const text = (await owned.innerText()).replace(/\s+/g, ' ').trim();
  const n = Number((text.match(/(\d+)/) || [])[1]);
  if (!(n >= 1)) throw new Error(`owned count ${text}`);
  return text;
});

await check('entity-page-relations', async () => {
  await page.goto(`${BASE}/catalog/default/component/petstore-service`);
  await page.getByRole('heading', { name: 'petstore-service' }).first().waitFor();
  await page.getByText('About', { exact: true }).first().waitFor();
  // owner and system chips of the About card come from relations
  await page.getByRole('link', { name: /team-petstore/i }).first().waitFor();
  await page.getByRole('link', { name: /^petstore$/i }).first().waitFor();
  await settle();
  return 'owner and system links shown';
});

await check('api-definition-tab', async () => {
  await page.goto(`${BASE}/catalog/default/api/petstore-api`);
  await page.getByText('Definition', { exact: true }).first().click();
  await page.waitForURL(u => u.pathname.endsWith('/definition'));
  await page.getByText('List all pets').first().waitFor();
  await settle();
  return 'OpenAPI rendered';
});

await check('catalog-graph', async () => {
  const q = new URLSearchParams();
  q.append('rootEntityRefs[]', 'component:default/petstore-service');
  await page.goto(`${BASE}/catalog-graph?${q}`);
  await page.locator('svg').getByText('petstore-api').first().waitFor();
  await page.locator('svg').getByText('Team Petstore').first().waitFor();
  await settle();
  return 'api and owner nodes drawn';
});

await check('template-task-shows-live-logs-and-output-links', async () => {
  await page.goto(`${BASE}/create/templates/default/example-service`);
  const name = page.getByLabel('Name', { exact: false }).first();
  await name.waitFor();
  await name.fill(`portal-check-${Date.now() % 100000}`);
  for (let i = 0; i < 5 && !(await page.getByRole('button', { name: /^create$/i }).count()); i++) {
    await page.getByRole('button', { name: /^(next|review)$/i }).first().click();
  }
  await page.getByRole('button', { name: /^create$/i }).first().click();
  await page.waitForURL(u => /\/create\/tasks\/[^/]+/.test(u.pathname));
  await page.getByText(/Log a message/).first().waitFor();
  const link = page.getByRole('link', { name: /Open the pet store service/ }).first();
  await link.waitFor();
  await link.click();
  await page.waitForURL(u => u.pathname.toLowerCase() === '/catalog/default/component/petstore-service');
  await page.getByRole('heading', { name: 'petstore-service' }).first().waitFor();
  return 'steps logged, output link opens the entity';
});

// ---- Platform Mesh entities derived from the demo mesh repository (mirrored by git-sync)
const MESH_API = '/catalog/platform-mesh/api/postgres-provider_postgres.demo.example.io';

await check('mesh-api-definition-shows-the-schema', async () => {
  await page.goto(`${BASE}${MESH_API}`);
  await page.getByText('Managed PostgreSQL').first().waitFor();
  await page.getByText('Definition', { exact: true }).first().click();
  await page.waitForURL(u => u.pathname.endsWith('/definition'));
  await page.getByText(/\/apis\/postgres\.demo\.example\.io\/v1alpha1/).first().waitFor();
  await settle();
  return 'Kubernetes-style paths rendered';
});

await check('mesh-api-lists-its-consumers', async () => {
  await page.goto(`${BASE}${MESH_API}`);
  await page.getByText(/Team Payments|acme\.team-payments/).first().waitFor();
  await settle();
  return 'consuming account shown';
});

await check('mesh-org-group-shows-child-accounts', async () => {
  await page.goto(`${BASE}/catalog/platform-mesh/group/acme`);
  await page.getByText(/ACME Corporation/).first().waitFor();
  await page.getByText(/Team Payments|acme\.team-payments/).first().waitFor();
  await page.getByText(/Team Search|acme\.team-search/).first().waitFor();
  await settle();
  return 'child accounts shown';
});

await check('mesh-provider-system-graph-shows-its-apis', async () => {
  const q = new URLSearchParams();
  q.append('rootEntityRefs[]', 'system:default/postgres-provider');
  await page.goto(`${BASE}/catalog-graph?${q}`);
  await page.locator('svg').getByText(/Managed PostgreSQL|postgres-provider_postgres/).first().waitFor();
  await settle();
  return 'API node drawn';
});

await check('mesh-consumer-resource-links-account-and-api', async () => {
  await page.goto(`${BASE}/catalog/platform-mesh/resource/acme.team-payments_cluster_payments-db`);
  await page.getByText('About', { exact: true }).first().waitFor();
  await page.getByRole('link', { name: /Team Payments|acme\.team-payments/ }).first().waitFor();
  // the relations card draws the provider API as a clickable graph node
  await page.locator('svg').getByText(/Managed PostgreSQL|postgres-provider_postgres/).first().waitFor();
  await settle();
  return 'owner account linked, provider API in the relations graph';
});

// ---- search: a provider's display name, a one-letter typo, the type counts
async function search(term) {
  await page.goto(`${BASE}/search`);
  const box = page.getByRole('textbox').first();
  await box.waitFor();
  await box.fill(term);
}
// the result list shows a "Kind: X" chip per result, in rank order
async function firstResultKind() {
  const chip = page.getByText(/^Kind: /).first();
  await chip.waitFor();
  return (await chip.innerText()).trim();
}
await check('search-provider-display-name-shows-its-api-first', async () => {
  await search('Managed PostgreSQL');
  await page.getByText('Managed PostgreSQL').first().waitFor();
  await page.waitForFunction(() => {
    const chip = [...document.querySelectorAll('*')].find(e => e.childElementCount === 0 && /^Kind: /.test(e.textContent || ''));
    return chip && chip.textContent.trim() === 'Kind: API';
  }, null, { timeout: T });
  return await firstResultKind();
});

await check('search-one-letter-typo-still-finds-it', async () => {
  await search('Manged PostgreSQL');
  await page.getByText('Kind: API').first().waitFor();
  await page.getByText('Managed PostgreSQL').first().waitFor();
  return 'typo tolerated';
});

await check('search-type-counts-appear', async () => {
  await search('postgres');
  await page.getByText(/Software Catalog/i).first().waitFor();
  const counts = page.getByText(/\b\d+\s+results?\b|\(\d+\)/i);
  await counts.first().waitFor();
  return (await counts.first().innerText()).trim();
});

await context.close();
fs.rmSync(profile, { recursive: true, force: true });
if (failedRequests.length) console.log(`# API calls answered >= 400:\n#   ${[...new Set(failedRequests)].slice(0, 20).join('\n#   ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
