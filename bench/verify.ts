/**
 * npm run bench:verify — speed of the answer checker and its agreement with Hugging Face
 * math-verify on pairs built from the reference answers in ../shared/data/benchmarks.
 * Each reference is paired with rewritten equivalent forms (label true) and near-miss wrong
 * answers (label false). Env: DISTILLERY_SHARED (shared folder), BENCH_VERIFY_LIMIT (max pairs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkEquivalence } from '../electron/core/verify/equivalence';
import type { Verdict } from '../electron/core/verify/types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.DISTILLERY_SHARED ?? resolve(root, '../shared');
const benchDir = join(shared, 'data', 'benchmarks');

type Pair = { id: number; gold: string; answer: string; label: boolean; kind: string; source: string };

function unwrap(s: string): string {
  const t = s.trim();
  return /^\$[^$]+\$$/.test(t) ? t.slice(1, -1).trim() : t;
}

/** Equivalent rewrites of a reference answer. Each applies only where it is certainly equivalent. */
function rewrites(ref: string, problem: string): [string, string][] {
  const r = unwrap(ref);
  const out: [string, string][] = [[`$${r}$`, 'dollar'], [`\\boxed{${r}}`, 'boxed']];
  const frac = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/.exec(r);
  if (/^-?\d+$/.test(r)) {
    out.push([`x = ${r}`, 'x=']);
    out.push([`\\text{${r}}`, 'text']);
    out.push([`${r}.0`, 'decimal']);
    if (/degree/i.test(problem)) out.push([`${r}^\\circ`, 'degrees']);
    if (Math.abs(Number(r)) >= 10000) out.push([Number(r).toLocaleString('en-US'), 'thousands']);
  }
  if (frac) {
    const [, sign, a, b] = frac as unknown as [string, string, string, string];
    out.push([`${sign}${a}/${b}`, 'slash']);
    out.push([`${sign}\\dfrac{${a}}{${b}}`, 'dfrac']);
    let d = Number(b);
    while (d % 2 === 0) d /= 2;
    while (d % 5 === 0) d /= 5;
    if (d === 1) out.push([String((sign ? -1 : 1) * (Number(a) / Number(b))), 'frac→decimal']);
  }
  if (/^-?\d*\.\d+$/.test(r)) {
    const digits = r.split('.')[1]?.length ?? 0;
    const den = 10 ** digits;
    const num = Math.round(Number(r) * den);
    const g = gcd(Math.abs(num), den);
    out.push([`\\frac{${num / g}}{${den / g}}`, 'decimal→frac']);
  }
  if (r.includes('\\frac') && !frac) out.push([r.replace(/\\frac/g, '\\dfrac'), 'dfrac']);
  // Spaces after a command word (\angle B) are significant; elsewhere they are not.
  if (/\s/.test(r)) out.push([r.replace(/(?<!\\[a-zA-Z]+)\s+/g, ''), 'no-spaces']);
  else if (r.length > 2 && !/\d,(?:\\!)?\d{3}/.test(r)) out.push([r.replace(/([+\-=,])/g, ' $1 ').trim(), 'spaces']);
  const terms = topLevelPlus(r);
  if (terms) out.push([`${terms[1]}+${terms[0]}`, 'reordered']);
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** "a+b" split at one top-level plus, when both sides are plain terms (no leading sign, no relation). */
function topLevelPlus(s: string): [string, string] | null {
  if (/[=<>,]|\\pm|\\cup|\\le|\\ge/.test(s)) return null;
  let depth = 0;
  const cuts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (depth === 0 && (c === '+' || c === '-') && i > 0) cuts.push(i);
  }
  if (cuts.length !== 1 || s[cuts[0] as number] !== '+') return null;
  const a = s.slice(0, cuts[0]).trim();
  const b = s.slice((cuts[0] as number) + 1).trim();
  return a && b && !a.startsWith('-') ? [a, b] : null;
}

/** Near-miss wrong answers. */
function nearMisses(ref: string): [string, string][] {
  const r = unwrap(ref);
  const out: [string, string][] = [];
  if (/^-?\d+$/.test(r)) {
    const n = BigInt(r);
    out.push([String(n + 1n), 'off-by-one'], [String(n - 1n), 'off-by-one']);
    if (n !== 0n) out.push([String(-n), 'sign']);
  }
  const frac = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/.exec(r);
  if (frac && frac[2] !== frac[3]) out.push([`${frac[1]}\\frac{${frac[3]}}{${frac[2]}}`, 'swapped-fraction']);
  if (r.startsWith('-') && !/^-?\d+$/.test(r)) out.push([r.slice(1), 'dropped-sign']);
  // Change one digit of the first number (skipping integers, already covered).
  const m = /\d/.exec(r);
  if (m && !/^-?\d+$/.test(r)) {
    const i = m.index;
    const d = Number(r[i]);
    const nd = d === 9 ? 8 : d + 1;
    // Skip digits that are exponents, subscripts or tuple/list components of the same value.
    out.push([r.slice(0, i) + String(nd) + r.slice(i + 1), 'digit']);
  }
  if (/^-?\d*\.\d+$/.test(r)) out.push([String(Number(r) * 10), 'times-ten']);
  return out;
}

function loadPairs(): Pair[] {
  const files = readdirSync(benchDir).filter((f) => f.endsWith('.jsonl')).sort();
  const seen = new Set<string>();
  const pairs: Pair[] = [];
  for (const f of files) {
    for (const line of readFileSync(join(benchDir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { problem: string; answer: string };
      const ref = String(row.answer);
      if (seen.has(ref)) continue;
      seen.add(ref);
      for (const [answer, kind] of rewrites(ref, row.problem)) pairs.push({ id: pairs.length, gold: ref, answer, label: true, kind, source: f });
      for (const [answer, kind] of nearMisses(ref)) {
        if (unwrap(answer) !== unwrap(ref)) pairs.push({ id: pairs.length, gold: ref, answer, label: false, kind, source: f });
      }
    }
  }
  const limit = Number(process.env.BENCH_VERIFY_LIMIT ?? 0);
  return limit > 0 ? pairs.slice(0, limit) : pairs;
}

function runMathVerify(pairs: Pair[]): Map<number, boolean | null> | string {
  const py = join(root, '.venv', 'bin', 'python');
  if (!existsSync(py)) return `no Python environment at ${py} (run npm run setup:python)`;
  const dir = join(tmpdir(), `distillery-bench-verify-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const inp = join(dir, 'pairs.jsonl');
  const outp = join(dir, 'verdicts.jsonl');
  writeFileSync(inp, pairs.map((p) => JSON.stringify({ id: p.id, gold: p.gold, answer: p.answer })).join('\n') + '\n');
  const res = spawnSync(py, [join(root, 'bench', 'verify-mathverify.py'), inp, outp], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (res.status === 3) return `math_verify is not installed in ${py}: ${res.stderr.trim()}`;
  if (res.status !== 0) return `math-verify run failed (exit ${res.status}): ${(res.stderr || String(res.error ?? '')).trim().slice(-400)}`;
  const map = new Map<number, boolean | null>();
  for (const line of readFileSync(outp, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: number; verdict: boolean | null };
    map.set(r.id, r.verdict);
  }
  rmSync(dir, { recursive: true, force: true });
  return map;
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(2)}%` : 'n/a';
}

function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

function main(): void {
  if (!existsSync(benchDir)) {
    console.error(`Benchmark data not found at ${benchDir}. Set DISTILLERY_SHARED to the shared folder.`);
    process.exit(1);
  }
  const pairs = loadPairs();
  // Warm-up: the first compute-engine call pays for its start-up.
  checkEquivalence('\\binom{4}{2}', '6');
  const ours: Verdict[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const p of pairs) ours.push(checkEquivalence(p.answer, p.gold));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rate = (pairs.length / ms) * 1000;
  const correct = pairs.filter((p, i) => (ours[i]?.equivalent === true) === p.label).length;
  const undecided = ours.filter((v) => v.equivalent === null).length;
  const rows: [string, string][] = [
    ['pairs', `${pairs.length} (${pairs.filter((p) => p.label).length} equivalent, ${pairs.filter((p) => !p.label).length} near-miss)`],
    ['checks/s', `${rate.toFixed(0)} wall-clock (target ≥ 2000; ${(ms / pairs.length).toFixed(3)} ms/check)`],
    // CPU time is what the checker costs; wall-clock also counts other processes on a busy machine.
    ['checks/CPU-s', `${((pairs.length / cpuMs) * 1000).toFixed(0)} (single thread, ${os.loadavg()[0]?.toFixed(1)} load average)`],
    ['accuracy vs labels', `${pct(correct, pairs.length)} (null counted as not equivalent)`],
    ['undecided (null)', String(undecided)],
  ];
  const wrong = pairs.map((p, i) => ({ p, v: ours[i] as Verdict })).filter(({ p, v }) => (v.equivalent === true) !== p.label);
  const mv = process.env.BENCH_VERIFY_NO_PY ? 'skipped (BENCH_VERIFY_NO_PY)' : runMathVerify(pairs);
  const cacheDir = join(root, 'bench', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  if (typeof mv === 'string') {
    rows.push(['math-verify', mv]);
  } else {
    const dis = pairs
      .map((p, i) => ({ p, ours: ours[i] as Verdict, theirs: mv.get(p.id) ?? null }))
      .filter((d) => (d.ours.equivalent === true) !== (d.theirs === true));
    const theirsCorrect = pairs.filter((p) => (mv.get(p.id) === true) === p.label).length;
    rows.push(['math-verify accuracy', pct(theirsCorrect, pairs.length)]);
    rows.push(['agreement', `${pct(pairs.length - dis.length, pairs.length)} (target ≥ 98%; ${dis.length} disagreements)`]);
    const file = join(cacheDir, 'verify-disagreements.jsonl');
    writeFileSync(
      file,
      dis.map((d) => JSON.stringify({ gold: d.p.gold, answer: d.p.answer, label: d.p.label, kind: d.p.kind, ours: d.ours.equivalent, method: d.ours.method, reason: d.ours.reason, theirs: d.theirs })).join('\n') + (dis.length ? '\n' : ''),
    );
    rows.push(['disagreements file', file]);
    console.log(table(rows));
    if (dis.length) console.log(`\nfirst ${Math.min(20, dis.length)} disagreements (label / ours / math-verify):`);
    for (const d of dis.slice(0, 20)) {
      console.log(`  ${JSON.stringify(d.p.answer)} vs ${JSON.stringify(d.p.gold)} [${d.p.kind}]  label=${d.p.label} ours=${d.ours.equivalent} (${d.ours.reason}) theirs=${d.theirs}`);
    }
    writeWrong(cacheDir, wrong);
    return;
  }
  console.log(table(rows));
  writeWrong(cacheDir, wrong);
}

function writeWrong(dir: string, wrong: { p: Pair; v: Verdict }[]): void {
  writeFileSync(join(dir, 'verify-wrong.jsonl'), wrong.map(({ p, v }) => JSON.stringify({ gold: p.gold, answer: p.answer, label: p.label, kind: p.kind, ours: v.equivalent, reason: v.reason })).join('\n') + (wrong.length ? '\n' : ''));
  if (wrong.length) console.log(`\n${wrong.length} pairs where we differ from the label: bench/.cache/verify-wrong.jsonl`);
}

main();
