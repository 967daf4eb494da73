// The engine's folder graph, written once (issue 16 §4): which electron/core folder may import which.
// ESLint enforces it (eslint.config.js, rule `layers/folders`; layering.test.ts proves it fires) and the
// folders' README "May import" lines are generated from it (`node scripts/layers-doc.mjs`; layers.test.ts
// fails when one differs). Plain JavaScript so that eslint.config.js can import it without a TypeScript loader.
//
// Layers, bottom to top: util → store, egress, tokens → jobs, env → teacher, localserve, … (domains) →
// engine, api (composition). Domains never import the composition layer, with one adapter exception: a
// domain's `api.ts` (its tRPC router) may import `api/trpc`. A domain's `kinds.ts` registers its job kinds
// with a `JobKindRegistry` (jobs/types.ts), not the engine. Files at the root of electron/core (kinds.ts)
// compose the engine too.
// Tests (`*.test.ts`) and test helpers (`testing.ts`, `testing/`) are outside the graph.
import fs from 'node:fs';
import path from 'node:path';

/**
 * folder → the folders it may import (its own files are always allowed). Keep each list sorted.
 * @type {Record<string, string[]>}
 */
export const LAYERS = {
  util: [],
  store: ['util'],
  egress: ['util'],
  tokens: ['util'],
  traces: ['store'],
  jobs: ['store', 'util'],
  env: ['egress', 'store', 'util'],
  fsbrowse: ['store', 'util'],
  forms: ['store'],
  localserve: ['egress', 'env', 'util'],
  models: ['egress', 'env', 'store', 'util'],
  pool: ['store', 'traces', 'util'],
  teacher: ['egress', 'jobs', 'localserve', 'pool', 'store', 'tokens', 'traces', 'util'],
  doctor: ['egress', 'env', 'eval', 'forms', 'store', 'teacher', 'train'],
  chat: ['teacher', 'tokens', 'util'],
  infer: ['chat', 'tokens', 'util'],
  verify: ['egress', 'jobs', 'pool', 'store', 'teacher', 'traces', 'util'],
  embed: ['egress', 'env', 'jobs', 'pool', 'store', 'util'],
  docs: ['jobs', 'pool', 'store', 'teacher', 'tokens', 'util'],
  sample: ['docs', 'pool', 'store', 'util'],
  augment: ['jobs', 'pool', 'store', 'teacher', 'traces', 'util', 'verify'],
  curate: ['augment', 'egress', 'embed', 'jobs', 'pool', 'store', 'teacher', 'tokens', 'traces', 'util', 'verify'],
  review: ['chat', 'curate', 'jobs', 'localserve', 'pool', 'store', 'teacher', 'tokens', 'traces', 'util', 'verify'],
  export: ['augment', 'curate', 'jobs', 'pool', 'review', 'store', 'teacher', 'tokens', 'traces', 'util', 'verify'],
  train: ['egress', 'env', 'jobs', 'store', 'teacher', 'util'],
  eval: ['chat', 'infer', 'jobs', 'localserve', 'pool', 'store', 'teacher', 'tokens', 'train', 'util', 'verify'],
  'serve-model': ['chat', 'eval', 'infer', 'localserve', 'util'],
  engine: ['curate', 'jobs', 'localserve', 'sample', 'store'],
  api: [
    'augment', 'curate', 'docs', 'doctor', 'engine', 'env', 'eval', 'export', 'forms', 'fsbrowse', 'jobs',
    'localserve', 'models', 'pool', 'review', 'store', 'teacher', 'traces', 'train', 'util', 'verify',
  ],
};

/** The composition layer: it may import domains; domains may not import it (but see ADAPTERS). */
export const COMPOSITION = ['api', 'engine'];

/**
 * A domain file with this name may also import these modules of the composition layer.
 * @type {Record<string, string[]>}
 */
export const ADAPTERS = { 'api.ts': ['api/trpc'] };

const TEST_FILE = /(\.test\.[cm]?[jt]sx?$)|(^|\/)testing(\.[cm]?[jt]s$|\/)/;

/**
 * Why importing `spec` from `file` breaks the table, or null when it does not. `coreDir` is the absolute
 * path of electron/core; imports that leave electron/core are for other rules (eslint.config.js).
 * @param {string} coreDir @param {string} file @param {string} spec @returns {string | null}
 */
export function layerViolation(coreDir, file, spec) {
  if (!spec.startsWith('.')) return null;
  const fromRel = path.relative(coreDir, file).split(path.sep).join('/');
  if (fromRel.startsWith('..') || !fromRel.includes('/') || TEST_FILE.test(fromRel)) return null;
  const from = fromRel.split('/')[0] ?? '';
  const target = path.relative(coreDir, path.resolve(path.dirname(file), spec)).split(path.sep).join('/');
  if (target.startsWith('..')) return null;
  const to = target.split('/')[0] ?? '';
  if (to === from) return null;
  const allowed = LAYERS[from];
  if (!allowed) return `electron/core/${from} is not in the layer table: add it to electron/core/layers.mjs with the folders it may import.`;
  if (!target.includes('/') && !(to in LAYERS)) return `electron/core/${from} may not import electron/core/${target}: the files at the root of electron/core compose the engine.`;
  if (allowed.includes(to)) return null;
  const adapter = ADAPTERS[path.basename(file)] ?? [];
  const module = target.replace(/\.[cm]?[jt]s$/, '').replace(/\/index$/, '');
  if (adapter.some((a) => module === a || (!a.includes('/') && to === a))) return null;
  const may = allowed.length ? allowed.join(', ') : 'no other folder';
  return `electron/core/${from} may not import ${to}/ (layer table in electron/core/layers.mjs: ${from} may import ${may}).`;
}

/**
 * The generated "May import" line of a folder's README; `files` are the names in the folder.
 * @param {string} folder @param {string[]} [files]
 */
export function mayImportLine(folder, files = []) {
  const allowed = LAYERS[folder] ?? [];
  const list = allowed.length ? allowed.map((f) => `\`${f}/\``).join(', ') : 'no other engine folder';
  const extra = Object.entries(ADAPTERS)
    .filter(([name]) => files.includes(name) && !COMPOSITION.includes(folder))
    .map(([name, mods]) => `\`${mods.join('`, `')}\` in \`${name}\``);
  const adapters = extra.length ? `; and ${extra.join(', ')}` : '';
  return `**May import:** ${list}${adapters} (generated from \`electron/core/layers.mjs\` by \`node scripts/layers-doc.mjs\`; Node built-ins and npm packages are not limited; never electron, main, host or renderer).`;
}

/** The folders of electron/core on disk. @param {string} coreDir */
export function coreFolders(coreDir) {
  return fs.readdirSync(coreDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** `text` with its "May import" line replaced by `line` (or, without one, inserted after the first paragraph of prose). */
export function withMayImportLine(/** @type {string} */ text, /** @type {string} */ line) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('**May import:**'));
  if (at >= 0) lines[at] = line;
  else {
    // After the first whole paragraph of prose: not a heading, a list, a table, or text that introduces what follows.
    const prose = (l = '') => l.trim() !== '' && !l.startsWith('#') && !/:\s*$/.test(l) && !/^(\s|[-*|>]|\d+\.)/.test(l);
    const firstBlank = lines.findIndex((l, i) => i > 0 && l.trim() === '' && prose(lines[i - 1]));
    lines.splice(firstBlank < 0 ? lines.length : firstBlank, 0, '', line);
  }
  return lines.join('\n');
}

/** What is out of date in the map: folders missing from the table or the core README, READMEs missing or stale. @param {string} coreDir */
export function mapProblems(coreDir) {
  /** @type {string[]} */
  const problems = [];
  const folders = coreFolders(coreDir);
  const coreReadme = fs.readFileSync(path.join(coreDir, 'README.md'), 'utf8');
  for (const f of folders) {
    if (!(f in LAYERS)) problems.push(`electron/core/${f} is not in the layer table (electron/core/layers.mjs).`);
    if (!coreReadme.includes(`| \`${f}/\` |`)) problems.push(`electron/core/README.md does not list ${f}/ in its folder table.`);
    const readme = path.join(coreDir, f, 'README.md');
    if (!fs.existsSync(readme)) {
      problems.push(`electron/core/${f} has no README.md.`);
      continue;
    }
    const line = mayImportLine(f, fs.readdirSync(path.join(coreDir, f)));
    if (!fs.readFileSync(readme, 'utf8').split('\n').includes(line)) problems.push(`electron/core/${f}/README.md: the "May import" line differs from the layer table; run node scripts/layers-doc.mjs.`);
  }
  for (const f of Object.keys(LAYERS)) if (!folders.includes(f)) problems.push(`The layer table names ${f}/, which is not a folder of electron/core.`);
  return problems;
}
