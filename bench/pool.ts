/**
 * npm run bench:pool — the question pool on a generated 60,000-question pool: import, exact + near
 * dedup, decontamination against every benchmark problem, with planted near-duplicates and leaks.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDecontamination, addEvalset, type DecontamResult } from '../electron/core/pool/decontam';
import { applyDedup, numbersOf, proposeDedup } from '../electron/core/pool/dedup';
import { createSampleProject } from '../electron/core/sample';
import { importFile } from '../electron/core/pool/importer';
import { jaccard, shingleSet } from '../electron/core/pool/minhash';
import { normalizeText } from '../electron/core/pool/text';
import { createProject } from '../electron/core/store/project';
import { appRoot } from '../electron/core/util/root';

const N = 60_000;
let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));

// The generator's vocabulary is its own: names, places and objects that competition problems do not use, and
// sentence frames written for this benchmark. Every base question is also checked against the real benchmark
// problems (no shared word 8-gram) and regenerated if it shares one, so only the planted leaks are contaminated.
const NAMES = ['Alice', 'Bob', 'Carol', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jamal', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wren', 'Ximena', 'Yusuf', 'Zora'];
const PLACES = ['bakery', 'greenhouse', 'ferry terminal', 'library annex', 'orchard', 'robotics lab', 'night market', 'harbour warehouse', 'ski lodge', 'weaving mill', 'observatory', 'tram depot'];
const OBJECTS = ['marbles', 'copper coins', 'ceramic tiles', 'atlases', 'pencils', 'postage stamps', 'trading cards', 'glass beads', 'quinces', 'brass tokens', 'folding chairs', 'paper lanterns', 'seed packets', 'bolts of cloth'];
const SHAPES = ['triangle', 'square', 'regular hexagon', 'circle', 'rectangle', 'trapezoid', 'rhombus', 'regular pentagon', 'kite', 'regular octagon'];
const VERBS = ['Find', 'Compute', 'Determine', 'Evaluate', 'Calculate', 'Work out', 'Figure out'];
const ADJ = ['cheerful', 'patient', 'careful', 'stubborn', 'curious', 'thrifty', 'hurried', 'meticulous'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const UNITS = ['kilograms', 'litres', 'metres', 'crates', 'boxes', 'sacks'];
const VARS = ['x', 'y', 't', 'u', 'z', 'w'];
const v = () => pick(VARS);
const TEMPLATES: (() => string)[] = [
  () => `At the ${pick(PLACES)}, ${pick(NAMES)} keeps ${int(3, 999)} ${pick(OBJECTS)} and hands ${int(2, 99)} of them to ${pick(NAMES)}, who already owned ${int(1, 500)}. Every ${pick(DAYS)} the ${pick(ADJ)} ${pick(NAMES)} buys ${int(2, 40)} more at $${int(1, 90)}$ dollars apiece. ${pick(VERBS)} how many weeks pass before the spending tops ${int(100, 9999)} dollars.`,
  () => `Let $g(${'x'}) = ${int(2, 30)}x^{${int(2, 6)}} - ${int(1, 99)}x + ${int(1, 500)}$. ${pick(VERBS)} the total of the real numbers $x$ satisfying $g(g(x)) = ${int(0, 999)}$; write it as $\\frac{p}{q}$ with coprime $p, q$ and report $p+q$.`,
  () => `A ${pick(SHAPES)} with side ${int(2, 99)} sits inside a ${pick(SHAPES)} of area ${int(100, 9999)}. ${pick(NAMES)} throws a dart that lands uniformly at random in the outer ${pick(SHAPES)}. ${pick(VERBS)} the chance that it lands no farther than ${int(1, 20)} units from the centre.`,
  () => `${pick(VERBS)} how many ordered pairs $(m, k)$ of positive integers with $m \\le ${int(10, 999)}$ and $k \\le ${int(10, 999)}$ make $m^2 + ${int(2, 50)}k$ a multiple of ${int(3, 97)} while $\\gcd(m, k) = ${int(1, 12)}$.`,
  () => `Triangle $PQR$ has $PQ = ${int(3, 60)}$, $QR = ${int(3, 60)}$ and $\\angle Q = ${int(20, 160)}^\\circ$. The bisector from $P$ hits $QR$ at $S$, and the circle through $P$, $S$ and the midpoint of $PR$ has radius $\\rho$. ${pick(VERBS)} $\\lfloor ${int(10, 1000)} \\rho \\rfloor$.`,
  () => `Put $b_1 = ${int(1, 50)}$, $b_2 = ${int(1, 50)}$ and $b_{j+2} = ${int(1, 9)}b_{j+1} - ${int(1, 9)}b_j + ${int(0, 30)}$ for every $j \\ge 1$. ${pick(VERBS)} what $b_{${int(20, 2024)}}$ leaves after division by ${int(7, 1000)}.`,
  () => `${pick(NAMES)} tosses ${int(2, 8)} fair ${int(4, 20)}-sided dice while ${pick(NAMES)} tosses ${int(2, 8)} fair ${int(4, 20)}-sided dice at the ${pick(PLACES)}. ${pick(VERBS)} the likelihood that the first total beats the second total by ${int(1, 30)} or more.`,
  () => `The monic polynomial $R(${v()})$ has degree ${int(3, 9)}, $R(${int(1, 9)}) = ${int(0, 999)}$, $R(${int(10, 19)}) = ${int(0, 999)}$, and its zeros are equally spaced with gap ${int(1, 9)}. ${pick(VERBS)} $R(${int(20, 99)}) \\bmod ${int(100, 9999)}$.`,
  () => `A tank at the ${pick(PLACES)} holds ${int(100, 5000)} ${pick(UNITS)} of brine with ${int(2, 40)}% salt. ${pick(NAMES)} drains ${int(5, 90)} ${pick(UNITS)} per hour and refills with fresh water at the same rate. After ${int(2, 48)} hours, ${pick(VERBS).toLowerCase()} the salt concentration to ${int(2, 6)} significant figures.`,
  () => `${pick(VERBS)} $\\displaystyle\\int_0^{${int(1, 9)}} ${v()}^{${int(2, 7)}} e^{-${int(1, 9)}${'x'}}\\,dx$ for the variable named above, giving an exact form in terms of $e$.`,
  () => `${pick(NAMES)}'s ${pick(ADJ)} cousin paints ${int(3, 12)} fence posts in a row using ${int(2, 6)} colours so that no ${int(2, 3)} neighbouring posts share a colour. ${pick(VERBS)} the number of such colourings modulo ${int(100, 1000)}.`,
  () => `On a ${int(4, 12)} by ${int(4, 12)} board, a rook starts in the ${pick(['lower-left', 'upper-right', 'lower-right', 'upper-left'])} cell and moves only ${pick(['up or right', 'down or left', 'right or down'])}. ${pick(VERBS)} how many routes reach the opposite corner while avoiding the ${int(2, 9)} blocked cells on the main diagonal.`,
  () => `The ${pick(PLACES)} sells ${pick(OBJECTS)} in packs of ${int(3, 17)} and ${int(18, 41)}. ${pick(VERBS)} the largest order of ${pick(OBJECTS)} that ${pick(NAMES)} cannot place exactly, if ${pick(NAMES)} also refuses packs of ${int(42, 60)}.`,
  () => `Points $U$ and $V$ lie on the parabola $${v()} = ${int(2, 9)}s^2 + ${int(1, 20)}$ with parameters $s = ${int(-9, -1)}$ and $s = ${int(1, 9)}$. ${pick(VERBS)} the area enclosed by chord $UV$ and the arc between them, as a reduced fraction.`,
  () => `${pick(NAMES)} shuffles a deck of ${int(20, 60)} cards numbered $1$ to $${int(20, 60)}$ and deals ${int(3, 9)} of them face up. ${pick(VERBS)} the expected value of the ${pick(['largest', 'smallest', 'median'])} visible number, rounded to ${int(2, 4)} decimals.`,
  () => `Solve the ${pick(['congruence', 'system of congruences'])} $${int(2, 99)}${v()} \\equiv ${int(1, 99)} \\pmod{${int(101, 997)}}$ and $${v()} \\equiv ${int(1, 9)} \\pmod{${int(11, 97)}}$; ${pick(VERBS).toLowerCase()} the least positive solution.`,
  () => `A ${pick(ADJ)} cyclist leaves the ${pick(PLACES)} at ${int(5, 11)}:${int(10, 59)} riding at ${int(10, 35)} km/h; ${pick(NAMES)} follows ${int(5, 50)} minutes later at ${int(20, 45)} km/h along the same road. ${pick(VERBS)} the clock time at which ${pick(NAMES)} draws level.`,
  () => `Matrix $M$ has rows $(${int(-9, 9)}, ${int(-9, 9)}, ${int(-9, 9)})$, $(${int(-9, 9)}, ${int(-9, 9)}, ${int(-9, 9)})$ and $(${int(-9, 9)}, ${int(-9, 9)}, ${int(-9, 9)})$. ${pick(VERBS)} the trace of $M^{${int(2, 12)}}$ and say whether $M$ is invertible.`,
];
const FILLERS = ['Give the answer as an integer.', 'Justify each step briefly.', 'All quantities are exact.', 'Round to the nearest hundredth.', 'Show the key computation.', '', '', ''];

const OPENERS = ['', '', 'Here is a puzzle from a club handout.', 'A warm-up exercise:', 'This one came up at practice.', 'Consider the following.', 'Two parts.', 'From last week\'s problem sheet:'];
/** Two or three independent problem parts (in random order) with an opener and a closing request: siblings share little text. */
function question(): string {
  const parts = [pick(TEMPLATES)(), pick(TEMPLATES)()];
  if (rnd() < 0.3) parts.push(pick(TEMPLATES)());
  return [pick(OPENERS), ...parts, pick(FILLERS)].join(' ').replace(/\s+/g, ' ').trim();
}

/** A small edit: a number changed, a word inserted or deleted, punctuation changed, or case changed. */
function nearCopy(q: string): string {
  const words = q.split(' ');
  const plain = words.map((w, i) => (/^[A-Za-z]+[,.;]?$/.test(w) ? i : -1)).filter((i) => i >= 0);
  const nums = [...q.matchAll(/\d+/g)];
  switch (int(0, 4)) {
    case 0: {
      if (!nums.length) break;
      const m = pick(nums);
      return q.slice(0, m.index) + String(Number(m[0]) + int(1, 9)) + q.slice(m.index! + m[0].length);
    }
    case 1:
      words.splice(pick(plain), 0, pick(['please', 'now', 'exactly', 'then', 'also', 'carefully']));
      return words.join(' ');
    case 2:
      words.splice(pick(plain), 1);
      return words.join(' ');
    case 3:
      return q.replace(/\.$/, '?').replace(/, /, '; ');
  }
  return q.replace(/\b[a-z]{4,}\b/, (w) => w[0]!.toUpperCase() + w.slice(1)).replace(/ \$/g, '  $');
}

const benchDir = path.resolve(appRoot(), '..', 'shared', 'data', 'benchmarks');
const benchFiles = fs.readdirSync(benchDir).filter((f) => f.endsWith('.jsonl')).sort();
const benchItems = benchFiles.flatMap((f) =>
  fs
    .readFileSync(path.join(benchDir, f), 'utf8')
    .split('\n')
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.trim())
    .map(({ l, i }) => ({ set: f.replace(/\.jsonl$/, ''), item: i + 1, problem: (JSON.parse(l) as { problem: string }).problem })),
);

/** Word 8-grams of the real benchmark problems (the generator's own check, independent of the engine). */
const words = (s: string) => normalizeText(s).match(/\\?[a-z0-9\u0080-\uffff]+/g) ?? [];
const benchGrams = new Set<string>();
for (const b of benchItems) {
  const w = words(b.problem);
  for (let i = 0; i + 8 <= w.length; i++) benchGrams.add(w.slice(i, i + 8).join(' '));
}
function sharesBenchGram(q: string): boolean {
  const w = words(q);
  for (let i = 0; i + 8 <= w.length; i++) if (benchGrams.has(w.slice(i, i + 8).join(' '))) return true;
  return false;
}

/** Wall and CPU seconds of a phase; process.cpuUsage counts every thread of the process, workers included. */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const d = process.cpuUsage(c);
  return { value, wall: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6 };
}

type Row = { problem: string; kind: 'base' | 'near' | 'leak'; of?: number; leak?: string };

/** `--only dedup` skips decontamination and the Python comparison; `--missed` prints the planted pairs dedup missed. */
const argv = process.argv.slice(2);
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
const showMissed = argv.includes('--missed');
const cacheFile = path.join(appRoot(), 'bench', '.cache', `pool-${N}.json`);

/** The generated pool is deterministic (fixed seed): cached in bench/.cache so iterations skip generation. */
function generate(): { rows: Row[]; order: number[]; regenerated: number } {
  try {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { rows: Row[]; order: number[]; regenerated: number };
  } catch {
    /* not cached yet */
  }
  const rows: Row[] = [];
  const nNear = Math.round(N * 0.05);
  const nLeak = Math.round(N * 0.01);
  const nBase = N - nNear - nLeak;
  let regenerated = 0;
  const seenBase = new Set<string>();
  while (rows.length < nBase) {
    const q = question();
    if (sharesBenchGram(q)) {
      regenerated++;
      continue;
    }
    const k = normalizeText(q);
    if (seenBase.has(k)) continue;
    seenBase.add(k);
    rows.push({ problem: q, kind: 'base' });
  }
  for (let i = 0; i < nNear; i++) {
    const of = int(0, nBase - 1);
    rows.push({ problem: nearCopy(rows[of]!.problem), kind: 'near', of });
  }
  // Leaks: a benchmark problem in a new context (a lead-in, a closing request), sometimes with its
  // instruction suffix removed, its whitespace collapsed or its first letter's case changed.
  const leakPool = [...benchItems].sort(() => rnd() - 0.5).slice(0, nLeak);
  for (const b of leakPool) {
    let body = b.problem;
    if (rnd() < 0.5) body = body.replace(/\s*Please reason step by step[\s\S]*$/, '');
    if (rnd() < 0.3) body = body.replace(/\s+/g, ' ');
    if (rnd() < 0.2) body = body.replace(/^\w/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
    const lead = pick(['Problem:', 'Homework 7, exercise 3.', 'From my study group:', 'Quick one -', '']);
    const tail = pick(['Show your work.', 'Answer briefly.', 'I got stuck halfway.', '']);
    rows.push({ problem: `${lead} ${body} ${tail}`.trim(), kind: 'leak', leak: `${b.set}#${b.item}` });
  }
  // Shuffle, remembering where each planted row and its original went.
  const order = rows.map((_, i) => i).sort(() => rnd() - 0.5);
  const out = { rows, order, regenerated };
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(out));
  return out;
}

async function main() {
  const nNear = Math.round(N * 0.05);
  const nLeak = Math.round(N * 0.01);
  const { rows, order, regenerated } = generate();
  const posOf = new Int32Array(rows.length);
  order.forEach((orig, pos) => (posOf[orig] = pos));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pool-'));
  const file = path.join(dir, 'pool.jsonl');
  fs.writeFileSync(file, order.map((i) => JSON.stringify({ problem: rows[i]!.problem, answer: String(i % 97) })).join('\n') + '\n');
  const project = createProject(path.join(dir, 'project'));

  const tImport = await timed(() => importFile(project, file));
  const imp = tImport.value;
  // Exact copies (e.g. a case-only edit) are already caught at import; they count as found duplicates.
  const ids = project.db.prepare('SELECT id, source_line FROM questions').all() as { id: number; source_line: number }[];
  const idAtPos = new Map(ids.map((r) => [r.source_line - 1, r.id]));
  const dupAtImport = new Map(imp.duplicateRows.map((d) => [d.line - 1, d]));

  // The proposal, then what confirming it excludes (the user's click in the Duplicates tab).
  const tDedup = await timed(() => proposeDedup(project, { threshold: 0.8 }));
  const dd = tDedup.value;
  const applied = applyDedup(project);

  const cluster = new Map((project.db.prepare('SELECT question_id, cluster_id FROM dup_members').all() as { question_id: number; cluster_id: number }[]).map((r) => [r.question_id, r.cluster_id]));
  const keptId = (pos: number): number | undefined => {
    const d = dupAtImport.get(pos);
    if (!d) return idAtPos.get(pos);
    return d.duplicateOfLine != null ? idAtPos.get(d.duplicateOfLine - 1) : (d.duplicateOf ?? undefined);
  };
  let found = 0;
  let sameNumbers = 0;
  let numberEdits = 0;
  let numberEditsKept = 0;
  // Excluded as a duplicate, with the numbers of what it duplicates: excluding a question in favour of one with the
  // same numbers is right; in favour of one with other numbers, a different problem was lost.
  const textOf = new Map((project.db.prepare('SELECT id, question FROM questions').all() as { id: number; question: string }[]).map((r) => [r.id, r.question]));
  const lostProblem = new Set(
    (project.db.prepare("SELECT id, exclude_reason AS r FROM questions WHERE exclude_reason LIKE 'duplicate of #%'").all() as { id: number; r: string }[])
      .filter((q) => numbersOf(textOf.get(q.id) ?? '') !== numbersOf(textOf.get(Number(q.r.slice('duplicate of #'.length))) ?? ''))
      .map((q) => q.id),
  );
  const missed: number[] = [];
  const plantedPos = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.kind !== 'near') continue;
    const pos = posOf[i]!;
    const origPos = posOf[r.of!]!;
    plantedPos.add(pos);
    // A copy whose numbers changed is a different problem: it must stay (shown in its cluster, not excluded).
    if (numbersOf(r.problem) !== numbersOf(rows[r.of!]!.problem)) {
      numberEdits++;
      const a = keptId(pos);
      const b = keptId(origPos);
      if (a !== undefined && b !== undefined && !lostProblem.has(a) && !lostProblem.has(b)) numberEditsKept++;
      continue;
    }
    sameNumbers++;
    // A row dropped at import as an exact duplicate stands for the kept row it repeats: when the copy comes first
    // in the file, the original is the one dropped (as a duplicate of the copy, or of another copy).
    const a = keptId(pos);
    const b = keptId(origPos);
    if (a !== undefined && a === b) found++;
    else if (a !== undefined && b !== undefined && cluster.get(a) !== undefined && cluster.get(a) === cluster.get(b)) found++;
    else missed.push(i);
  }
  if (showMissed) {
    // The true character 5-gram Jaccard of each missed planted pair (the engine's own verification measure).
    const hist = new Map<string, number>();
    for (const i of missed) {
      const x = normalizeText(rows[i]!.problem);
      const y = normalizeText(rows[rows[i]!.of!]!.problem);
      const j = jaccard(shingleSet(x, 5), shingleSet(y, 5));
      const bin = (Math.floor(j * 20) / 20).toFixed(2);
      hist.set(bin, (hist.get(bin) ?? 0) + 1);
    }
    console.log(`missed ${missed.length} planted pairs; char 5-gram Jaccard histogram (bin start: count):`);
    for (const [k, c] of [...hist].sort()) console.log(`  ${k}: ${c}`);
    for (const i of missed.slice(0, 5)) console.log(`  - ${rows[rows[i]!.of!]!.problem}\n  + ${rows[i]!.problem}`);
  }
  // Precision: every flagged duplicate (import-time or cluster non-representative) should be a planted copy
  // or an original of one (a copy may come first in the file, so the original is the one excluded).
  const relatedPos = new Set<number>(plantedPos);
  for (let i = 0; i < rows.length; i++) if (rows[i]!.kind === 'near') relatedPos.add(posOf[rows[i]!.of!]!);
  const posOfId = new Map(ids.map((r) => [r.id, r.source_line - 1]));
  const flagged = [...dupAtImport.keys(), ...(project.db.prepare("SELECT id FROM questions WHERE exclude_reason LIKE 'duplicate of #%'").all() as { id: number }[]).map((r) => posOfId.get(r.id)!)];
  const truePos = flagged.filter((p) => relatedPos.has(p)).length;
  const recall = found / sameNumbers;
  const precision = flagged.length ? truePos / flagged.length : 1;

  const skipDecon = only === 'dedup';
  const tAdd = await timed(async () => {
    if (!skipDecon) for (const f of benchFiles) await addEvalset(project, f.replace(/\.jsonl$/, ''), path.join(benchDir, f));
  });
  const tDecon = await timed((): DecontamResult => (skipDecon ? { checked: 0, flagged: 0, items: [] } : runDecontamination(project, 8)));
  const dc = tDecon.value;
  const flaggedQ = new Map(dc.items.map((i) => [i.question_id, `${i.evalset}#${i.evalset_item}`]));
  let leakFound = 0;
  let leakRight = 0;
  const leakIds = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.kind !== 'leak') continue;
    const id = idAtPos.get(posOf[i]!);
    if (id !== undefined) leakIds.add(id);
    if (id !== undefined && flaggedQ.has(id)) {
      leakFound++;
      if (flaggedQ.get(id) === rows[i]!.leak) leakRight++;
    }
  }
  const leakRecall = leakFound / nLeak;
  const falseFlags = dc.items.filter((i) => !leakIds.has(i.question_id)).length;

  // The sample project (320 generated questions, many differing only in their numbers): what the proposal
  // would exclude, against what the earlier dedup excluded at once (every non-representative member).
  const sampleDir = path.join(dir, 'sample');
  const sample = createSampleProject(sampleDir);
  const sp = proposeDedup(sample, { threshold: 0.8 });
  sample.close();
  const before = sp.wouldRemove + sp.numbersDiffer;

  const other = skipDecon ? 'decontamination and the Python comparison skipped (--only dedup).' : compareWithPython(file);
  const fmt = (x: number) => x.toFixed(2);
  const ok = (b: boolean) => (b ? 'pass' : 'FAIL');
  const table: string[][] = [
    ['phase / figure', 'wall s', 'CPU s', 'target', 'result'],
    ['import', fmt(tImport.wall), fmt(tImport.cpu), '≤ 5 s', ok(tImport.wall <= 5)],
    ['exact + near dedup', fmt(tDedup.wall), fmt(tDedup.cpu), '≤ 10 s', ok(tDedup.wall <= 10)],
    [`register evalsets (${benchItems.length} items)`, fmt(tAdd.wall), fmt(tAdd.cpu), '', ''],
    ['decontamination', fmt(tDecon.wall), fmt(tDecon.cpu), '≤ 5 s', ok(tDecon.wall <= 5)],
    [`near-dup recall (${sameNumbers} planted copies, same numbers)`, recall.toFixed(3), '', '≥ 0.95', ok(recall >= 0.95)],
    [`planted copies with changed numbers kept`, `${numberEditsKept} / ${numberEdits}`, '', 'all', ok(numberEditsKept === numberEdits)],
    ['near-dup precision', precision.toFixed(3), '', '≥ 0.95', ok(precision >= 0.95)],
    ['leak recall', leakRecall.toFixed(3), '', '1.0', ok(leakRecall === 1)],
    ['leaks matched to the right item', `${leakRight} / ${nLeak}`, '', '', ''],
    ['questions flagged / not planted leaks', `${dc.flagged} / ${falseFlags}`, '', '', ''],
    ['read / imported / exact dups / rejected', `${imp.read} / ${imp.imported} / ${imp.duplicates} / ${imp.rejected.length}`, '', '', ''],
    ['clusters / proposed and excluded / numbers differ / candidate pairs', `${dd.clusters} / ${applied.excluded} / ${dd.numbersDiffer} / ${dd.candidates}`, '', '', ''],
    [
      'sample project: proposed exclusions (before: excluded at once)',
      `${sp.wouldRemove} of ${sp.checked} = ${((100 * sp.wouldRemove) / sp.checked).toFixed(1)}% (before: ${before} = ${((100 * before) / sp.checked).toFixed(1)}%)`,
      '',
      '',
      '',
    ],
  ];
  const w = [0, 1, 2, 3, 4].map((c) => Math.max(...table.map((r) => r[c]!.length)));
  console.log(`\nPool benchmark: ${N} questions, ${nNear} planted near-duplicates, ${nLeak} planted leaks (${regenerated} generated questions regenerated for sharing an 8-gram with a benchmark); ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log('Targets are wall-clock on an idle machine; CPU s is process.cpuUsage (all threads, workers included).\n');
  for (const r of table) console.log(r.map((c, i) => c.padEnd(w[i]!)).join('  '));
  console.log(`\n${other}`);
  project.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

function compareWithPython(_file: string): string {
  const py = path.join(appRoot(), '.venv', 'bin', 'python');
  for (const mod of ['datatrove', 'text_dedup']) {
    try {
      execFileSync(fs.existsSync(py) ? py : 'python3', ['-c', `import ${mod}`], { stdio: 'ignore' });
      return `${mod} is installed, but this bench does not drive it yet: no comparison (see electron/core/pool/README.md).`;
    } catch {
      /* not installed */
    }
  }
  return 'datatrove and text-dedup are not installed in the Python environment: no comparison with their MinHash.';
}

void main();
