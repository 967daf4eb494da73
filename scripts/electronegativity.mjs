#!/usr/bin/env node
// Security lint of the Electron shell with Doyensec's Electronegativity, offline and fast.
//   node scripts/electronegativity.mjs [PATH...]   (default: the roots in electronegativity.json)
// Fails (exit 1) on any finding that electronegativity.json does not allow, and on an allow entry that no
// longer matches anything. Electronegativity fetches translations and Electron's release list on start:
// both are answered locally here, and any other network connection aborts the run, so that the result never
// depends on the network.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const config = JSON.parse(fs.readFileSync(path.join(root, 'electronegativity.json'), 'utf8'));

// No network: the two fetches electronegativity makes (got) get a local "404", a socket fails the run.
const Module = require('node:module');
const load = Module._load;
const offline = () => Promise.resolve({ statusCode: 404, body: '{}' });
Module._load = function (request, ...rest) {
  if (request === 'got') return Object.assign(offline, { get: offline });
  return load.call(this, request, ...rest);
};
net.Socket.prototype.connect = function () {
  throw new Error('electronegativity tried to open a network connection; it must run offline');
};

const args = process.argv.slice(2);
const roots = args.length ? args.map((a) => path.resolve(a)) : config.roots.map((r) => path.join(root, r));
const SOURCE = /\.(js|jsx|ts|tsx|html|htm|mjs|cjs)$/;
const TEST = /\.(test|spec)\.[cm]?[jt]sx?$/;
function walk(dir) {
  if (fs.statSync(dir).isFile()) return [dir];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !TEST.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.split(path.sep).includes('node_modules'));
}
const files = roots.flatMap(walk);
// Electronegativity scans one folder; it is given the files of all roots at once, so that its global checks
// (a CSP, navigation limits, a permission handler) see the main process beside the preload and renderer.
const util = require('@doyensec/electronegativity/dist/util');
util.list_files = async () => files;

const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages['node_modules/electron']?.version;
const run = require('@doyensec/electronegativity/dist/runner.js');
const quiet = console.log;
console.log = () => undefined;
let result;
try {
  result = await run({
    input: root,
    customScan: [],
    excludeFromScan: config.excludeChecks.map((c) => c.check),
    severitySet: 'informational',
    confidenceSet: 'tentative',
    isRelative: true,
    parserPlugins: [],
    electronVersionOverride: electronVersion,
  });
} finally {
  console.log = quiet;
}

const rel = (f) => path.relative(root, path.isAbsolute(f) ? f : path.join(root, f)).split(path.sep).join('/');
const unused = config.allow.map((a) => ({ ...a }));
const findings = [];
for (const issue of result.issues) {
  const file = issue.file === 'N/A' ? 'N/A' : rel(issue.file);
  const i = unused.findIndex((a) => a.check === issue.id && a.file === file);
  if (i >= 0) unused.splice(i, 1);
  else findings.push(`${file}:${issue.location.line}:${issue.location.column}  ${issue.id} (${issue.severity.name}, ${issue.confidence.name}): ${issue.description}`);
}
for (const e of result.errors) findings.push(`${rel(e.file)}: could not be parsed (${e.message})`);
const stale = args.length ? [] : unused.map((a) => `${a.file}  ${a.check}: allowed in electronegativity.json but no longer found; remove the entry.`);
console.log(`electronegativity: ${files.length} files, ${result.atomicChecks + result.globalChecks} checks, ${result.issues.length - findings.length} allowed finding(s).`);
if (findings.length || stale.length) {
  for (const f of [...findings, ...stale]) console.error(f);
  console.error(`electronegativity: ${findings.length} finding(s) not allowed${stale.length ? `, ${stale.length} stale allow entr${stale.length === 1 ? 'y' : 'ies'}` : ''}. Fix the code, or add an entry with its reason to electronegativity.json.`);
  process.exit(1);
}
