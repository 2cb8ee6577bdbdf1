// Compares two catalogs entity by entity: node compare-entities.mjs OURS.json REFERENCE.json ROOT
// Each file is a GET /api/catalog/entities answer. Server-made values (uid, etag) are left out,
// the folder the catalog was read from is written as <root>, and relations are compared as sets.
// Prints every entity only one side has, every field that differs, and a one-line summary;
// exits 1 when anything differs. Relations to an entity only one side has are explained by that
// entity (they come from its processing) and listed as such, not counted again; status items
// (processing errors shown on an entity) are listed apart.
import fs from 'node:fs';

const [oursFile, refFile, root] = process.argv.slice(2);
const normalize = (entity) => {
  const e = JSON.parse(JSON.stringify(entity).split(root).join('<root>'));
  delete e.metadata.uid;
  delete e.metadata.etag;
  e.relations = (e.relations ?? [])
    .map((r) => ({ type: r.type, targetRef: r.targetRef }))
    .sort((a, b) => `${a.type} ${a.targetRef}`.localeCompare(`${b.type} ${b.targetRef}`));
  return e;
};
const ref = (e) => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
const load = (file) => new Map(JSON.parse(fs.readFileSync(file, 'utf8')).map((e) => [ref(e), normalize(e)]));
const ours = load(oursFile);
const theirs = load(refFile);

const flatten = (value, path = '', out = {}) => {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
    if (Array.isArray(value) && value.length === 0) out[path] = '[]';
  } else {
    out[path] = JSON.stringify(value);
  }
  return out;
};

const onlyOne = new Set([...ours.keys()].filter((k) => !theirs.has(k))
  .concat([...theirs.keys()].filter((k) => !ours.has(k))));
const comparable = (e, side, key) => {
  const c = JSON.parse(JSON.stringify(e));
  const explained = c.relations.filter((r) => onlyOne.has(r.targetRef));
  for (const r of explained) console.log(`${key}: ${side} relation ${r.type} ${r.targetRef} (to an entity only one side has)`);
  c.relations = c.relations.filter((r) => !onlyOne.has(r.targetRef));
  if (c.status) console.log(`${key}: ${side} status ${JSON.stringify(c.status.items.map((i) => i.message ?? i.error?.message))}`);
  delete c.status;
  return c;
};
let differences = 0;
for (const key of [...new Set([...ours.keys(), ...theirs.keys()])].sort()) {
  if (!theirs.has(key)) { console.log(`only ours: ${key}`); differences++; continue; }
  if (!ours.has(key)) { console.log(`only reference: ${key}`); differences++; continue; }
  const a = flatten(comparable(ours.get(key), 'ours', key));
  const b = flatten(comparable(theirs.get(key), 'reference', key));
  for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (a[field] !== b[field]) {
      console.log(`${key} ${field}: ours ${a[field] ?? '(absent)'} reference ${b[field] ?? '(absent)'}`);
      differences++;
    }
  }
}
const both = [...ours.keys()].filter((k) => theirs.has(k)).length;
const fieldDifferences = differences - (ours.size - both) - (theirs.size - both);
console.log(`${both} entities on both sides, ${ours.size - both} only ours, ${theirs.size - both} only the reference, `
  + `${fieldDifferences} differences in entities both have`);
process.exit(differences === 0 ? 0 : 1);
