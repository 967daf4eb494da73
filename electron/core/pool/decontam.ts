import path from 'node:path';
import type { Project } from '../store/project';
import { builtinBenchmarkFiles } from '../util/benchmarks';
import { UserError } from '../util/errors';
import { openFile, type Format } from './readers';
import { detectShape, mapRecord, resolveMapping, type Mapping, type Shape } from './shapes';
import { fmix32, normalizeText, tokenize, type Tokens } from './text';

/**
 * Decontamination: a pool question that shares an n-gram of words (default 8, as in s1) with an item
 * of a registered evaluation set is flagged, excluded from training ("contaminated: SET#ITEM") and
 * listed with the item and the overlapping text.
 */
export interface EvalItem {
  evalset: string;
  item: number;
  text: string;
}

export interface Flag {
  index: number;
  evalset: string;
  item: number;
  overlap: string;
  grams: number;
}

/**
 * The key of the n tokens from `i`: two polynomial hashes mod 2^32 (of the token hashes and of a remix of
 * them) packed into one exact 53-bit number. Polynomial, so that `gramKeys` can roll it along a text with
 * a constant number of integer operations per token (no string or per-n-gram loop).
 */
const P1 = 0x01000193;
const P2 = 0x9e3779b1;
const mix = (h: number) => fmix32(h ^ 0x2545f491);
function gramKey(t: Tokens, i: number, n: number): number {
  let a = 0;
  let b = 0;
  for (let j = 0; j < n; j++) {
    const h = t.hashes[i + j]!;
    a = (Math.imul(a, P1) + h) | 0;
    b = (Math.imul(b, P2) + mix(h)) | 0;
  }
  return (a >>> 11) * 4294967296 + (b >>> 0);
}

/**
 * The keys of every n-gram of `t` (as `gramKey`), rolled, as their two halves: gramKey(t, i, n) =
 * hi[i] * 2^32 + lo[i]. Numbers only: no per-n-gram string, array or boxed double.
 */
function gramKeys(t: Tokens, n: number, hi: Uint32Array, lo: Uint32Array): number {
  const m = t.count - n + 1;
  if (m <= 0) return 0;
  let p1 = 1;
  let p2 = 1;
  for (let j = 1; j < n; j++) {
    p1 = Math.imul(p1, P1);
    p2 = Math.imul(p2, P2);
  }
  const h = t.hashes;
  let a = 0;
  let b = 0;
  for (let j = 0; j < n; j++) {
    a = (Math.imul(a, P1) + h[j]!) | 0;
    b = (Math.imul(b, P2) + mix(h[j]!)) | 0;
  }
  hi[0] = a >>> 11;
  lo[0] = b;
  for (let i = 1; i < m; i++) {
    const x = h[i - 1]!;
    const y = h[i + n - 1]!;
    a = (Math.imul((a - Math.imul(x, p1)) | 0, P1) + y) | 0;
    b = (Math.imul((b - Math.imul(mix(x), p2)) | 0, P2) + mix(y)) | 0;
    hi[i] = a >>> 11;
    lo[i] = b;
  }
  return m;
}

const NONE = -2147483648;
const TWO32 = 4294967296;

/** An open-addressing hash table from 53-bit n-gram keys (as hi/lo halves) to int32 values, in typed arrays. */
class KeyTable {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly val: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(entries: Map<number, number>) {
    let bits = 4;
    while (1 << bits < entries.size * 2) bits++;
    const cap = 1 << bits;
    this.shift = 32 - bits;
    this.mask = cap - 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.val = new Int32Array(cap).fill(NONE);
    for (const [k, v] of entries) {
      const hi = Math.floor(k / TWO32);
      const lo = k >>> 0;
      let s = this.slot(hi, lo);
      while (this.val[s] !== NONE) s = (s + 1) & this.mask;
      this.hi[s] = hi;
      this.lo[s] = lo;
      this.val[s] = v;
    }
  }

  private slot(hi: number, lo: number): number {
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The value of the key, or NONE. */
  get(hi: number, lo: number): number {
    let s = this.slot(hi, lo);
    for (;;) {
      const v = this.val[s]!;
      if (v === NONE || (this.lo[s] === lo && this.hi[s] === hi)) return v;
      s = (s + 1) & this.mask;
    }
  }
}

/** An n-gram held by more than this many items, and by at least BOILERPLATE_SHARE of one evaluation set, is boilerplate. */
export const BOILERPLATE_ITEMS = 5;
export const BOILERPLATE_SHARE = 0.25;

export class NgramIndex {
  /** n-gram key → item index, or −(k+1) for multi[k] when several items hold it. */
  private readonly grams = new Map<number, number>();
  private readonly multi: number[][] = [];
  /** Indexed n-grams per item: ties between items go to the one the text covers most. */
  private readonly itemGrams: number[] = [];
  private readonly whole = new Map<string, number>();
  /** Items whose content (outside boilerplate) is shorter than n words: their content run, by its length. */
  private readonly short = new Map<number, Map<number, number>>();
  private pending: { idx: number; t: Tokens }[] = [];
  /** `grams` frozen into a typed hash table for matching (rebuilt when items are added). */
  private table: KeyTable | null = null;
  /** Low 16 bits of the first token hash of every `short` run: a text with no such token holds none of them. */
  private readonly shortFirst = new Uint8Array(65536);
  private hiBuf = new Uint32Array(1024);
  private loBuf = new Uint32Array(1024);
  private tok: Tokens | undefined;
  readonly items: EvalItem[] = [];

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new UserError(`The n-gram size must be a whole number of words, at least 1, not ${n}.`, 'bad_ngram');
  }

  add(item: EvalItem): void {
    const idx = this.items.push(item) - 1;
    this.itemGrams.push(0);
    const norm = normalizeText(item.text);
    const t = tokenize(norm, false, true);
    // Items shorter than n words can only leak whole: match them by their normalised text.
    if (t.count < this.n) {
      if (t.count > 0 && !this.whole.has(norm)) this.whole.set(norm, idx);
      return;
    }
    this.pending.push({ idx, t });
  }

  private addGram(key: number, idx: number): void {
    const cur = this.grams.get(key);
    if (cur === undefined) this.grams.set(key, idx);
    else if (cur >= 0) {
      if (cur === idx) return;
      this.grams.set(key, -this.multi.push([cur, idx]));
    } else {
      const list = this.multi[-cur - 1]!;
      if (list[list.length - 1] !== idx) list.push(idx);
    }
    this.itemGrams[idx]!++;
  }

  /**
   * Indexes the added items. An n-gram held by more than BOILERPLATE_ITEMS items and by at least a quarter
   * of one evaluation set is an instruction appended to the items ("Please reason step by step, …"), not
   * content: every n-gram touching such a span is left out, so that a pool question with the same
   * instruction is not flagged for it. (A preamble that a few items share, such as the sub-problems of
   * one Minerva exercise, is content: it stays indexed, for every item that holds it.)
   */
  private build(): void {
    if (!this.pending.length) return;
    const n = this.n;
    const setSize = new Map<string, number>();
    for (const it of this.items) setSize.set(it.evalset, (setSize.get(it.evalset) ?? 0) + 1);
    const spread = new Map<number, number>();
    const keys = this.pending.map(({ t }) => {
      const m = t.count - n + 1;
      const k = new Float64Array(m);
      this.ensureScratch(m);
      gramKeys(t, n, this.hiBuf, this.loBuf);
      for (let i = 0; i < m; i++) k[i] = this.hiBuf[i]! * TWO32 + this.loBuf[i]!;
      for (const x of new Set(k)) spread.set(x, (spread.get(x) ?? 0) + 1);
      return k;
    });
    // Per-set counts, only for the n-grams common enough to be boilerplate candidates.
    const bySet = new Map<number, Map<string, number>>();
    this.pending.forEach(({ idx }, j) => {
      for (const x of new Set(keys[j])) {
        if (spread.get(x)! <= BOILERPLATE_ITEMS) continue;
        let m = bySet.get(x);
        if (!m) bySet.set(x, (m = new Map()));
        const set = this.items[idx]!.evalset;
        m.set(set, (m.get(set) ?? 0) + 1);
      }
    });
    const boiler = new Set<number>();
    for (const [x, m] of bySet) for (const [set, c] of m) if (c >= BOILERPLATE_SHARE * setSize.get(set)!) boiler.add(x);
    this.pending.forEach(({ idx, t }, j) => {
      const k = keys[j]!;
      const covered = new Uint8Array(t.count);
      for (let i = 0; i < k.length; i++) if (boiler.has(k[i]!)) covered.fill(1, i, i + n);
      let run = 0;
      let best = 0;
      let bestEnd = 0;
      for (let i = 0; i < t.count; i++) {
        run = covered[i] ? 0 : run + 1;
        if (run > best) [best, bestEnd] = [run, i + 1];
        if (run >= n) this.addGram(k[i - n + 1]!, idx);
      }
      if (best > 0 && best < n) {
        let m = this.short.get(best);
        if (!m) this.short.set(best, (m = new Map()));
        m.set(gramKey(t, bestEnd - best, best), idx);
        this.shortFirst[t.hashes[bestEnd - best]! & 0xffff] = 1;
      }
    });
    this.pending = [];
    this.table = new KeyTable(this.grams);
  }

  private ensureScratch(m: number): void {
    if (this.hiBuf.length >= m) return;
    this.hiBuf = new Uint32Array(m * 2);
    this.loBuf = new Uint32Array(m * 2);
  }

  /** The evaluation item this text overlaps most (by shared n-grams), with the overlapping span. */
  match(text: string): Omit<Flag, 'index'> | null {
    this.build();
    const norm = normalizeText(text);
    const w = this.whole.size ? this.whole.get(norm) : undefined;
    if (w !== undefined) return { evalset: this.items[w]!.evalset, item: this.items[w]!.item, overlap: norm, grams: 1 };
    const t = tokenize(norm, true, true, this.tok);
    this.tok = t;
    const n = this.n;
    if (t.count < n) return null;
    this.ensureScratch(t.count);
    const hi = this.hiBuf;
    const lo = this.loBuf;
    const m = gramKeys(t, n, hi, lo);
    let counts: Map<number, number> | null = null;
    let firstAt: Map<number, number> | null = null;
    const grams = (this.table ??= new KeyTable(this.grams));
    for (let i = 0; i < m; i++) {
      const v = grams.get(hi[i]!, lo[i]!);
      if (v === NONE) continue;
      counts ??= new Map();
      firstAt ??= new Map();
      const list = v >= 0 ? null : this.multi[-v - 1]!;
      const len = list ? list.length : 1;
      for (let q = 0; q < len; q++) {
        const idx = list ? list[q]! : v;
        counts.set(idx, (counts.get(idx) ?? 0) + 1);
        if (!firstAt.has(idx)) firstAt.set(idx, i);
      }
    }
    if (!counts || !firstAt) {
      if (!this.short.size) return null;
      // Only the positions whose token can start a short run are tried (almost always none).
      const first = this.shortFirst;
      const th = t.hashes;
      let cand: number[] | null = null;
      for (let i = 0; i < t.count; i++) if (first[th[i]! & 0xffff]) (cand ??= []).push(i);
      if (!cand) return null;
      for (const [len, map] of this.short) {
        for (const i of cand) {
          if (i + len > t.count) break;
          const idx = map.get(gramKey(t, i, len));
          if (idx !== undefined) return { evalset: this.items[idx]!.evalset, item: this.items[idx]!.item, overlap: norm.slice(t.starts[i], t.ends[i + len - 1]), grams: 1 };
        }
      }
      return null;
    }
    // Most shared n-grams; on a tie, the item this text covers the largest part of; then the first item.
    let best = -1;
    let bestN = 0;
    let bestShare = 0;
    for (const [idx, c] of counts) {
      const share = c / Math.max(1, this.itemGrams[idx]!);
      if (c > bestN || (c === bestN && (share > bestShare || (share === bestShare && idx < best)))) [best, bestN, bestShare] = [idx, c, share];
    }
    // The overlapping text: the first run of consecutive n-grams shared with that item.
    const start = firstAt.get(best)!;
    let end = start;
    while (end + 1 < m && grams.get(hi[end + 1]!, lo[end + 1]!) !== NONE) end++;
    const overlap = norm.slice(t.starts[start], t.ends[end + n - 1]);
    return { evalset: this.items[best]!.evalset, item: this.items[best]!.item, overlap, grams: bestN };
  }
}

// ---- evaluation sets in the project ----

export interface EvalsetOptions {
  format?: Format | 'auto';
  shape?: Shape | 'auto';
  mapping?: Mapping;
  replace?: boolean;
}

/** Registers an evaluation set from any file the importer reads; its items are numbered by line (row). */
export async function addEvalset(project: Project, name: string, file: string, opts: EvalsetOptions = {}): Promise<{ id: number; name: string; items: number; rejected: { line: number; reason: string }[] }> {
  const clean = name.trim();
  if (!/^[\w.\-+ ]{1,100}$/.test(clean)) throw new UserError(`"${name}" is not a usable evaluation set name; use letters, digits, dots, dashes or underscores (at most 100).`, 'bad_name');
  const db = project.db;
  const existing = db.prepare('SELECT id FROM evalsets WHERE name = ?').get(clean) as { id: number } | undefined;
  if (existing && !opts.replace) throw new UserError(`An evaluation set named "${clean}" is already registered; choose another name or replace it.`, 'evalset_exists');
  const abs = path.resolve(file);
  const opened = openFile(abs, opts.format ?? 'auto');
  const records = [];
  for await (const r of opened.records) records.push(r);
  const samples = records.filter((r) => r.error === undefined).slice(0, 200).map((r) => r.value);
  const shape = !opts.shape || opts.shape === 'auto' ? detectShape(samples) : opts.shape;
  const mapping = resolveMapping(shape, samples, opts.mapping);
  const items: { item: number; question: string; answer: string | null }[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for (const r of records) {
    if (r.error !== undefined) {
      rejected.push({ line: r.line, reason: r.error });
      continue;
    }
    const m = mapRecord(r.value, shape, mapping);
    if ('error' in m) rejected.push({ line: r.line, reason: m.error });
    else items.push({ item: r.line, question: m.row.question, answer: m.row.answer });
  }
  if (!items.length) throw new UserError(`${abs} holds no usable evaluation items${rejected[0] ? ` (line ${rejected[0].line}: ${rejected[0].reason})` : ''}; check the file and the question column.`, 'empty_evalset');
  let id = 0;
  db.transaction(() => {
    if (existing) db.prepare('DELETE FROM evalsets WHERE id = ?').run(existing.id);
    id = Number(db.prepare('INSERT INTO evalsets (name, file, items, created_at) VALUES (?, ?, ?, ?)').run(clean, abs, items.length, new Date().toISOString()).lastInsertRowid);
    const ins = db.prepare('INSERT INTO evalset_items (evalset_id, item, question, answer) VALUES (?, ?, ?, ?)');
    for (const it of items) ins.run(id, it.item, it.question, it.answer);
  })();
  return { id, name: clean, items: items.length, rejected };
}

export function listEvalsets(project: Project): { id: number; name: string; file: string; items: number; flagged: number; created_at: string }[] {
  return project.db
    .prepare(
      `SELECT e.id, e.name, e.file, e.items, e.created_at, (SELECT COUNT(DISTINCT question_id) FROM contamination c WHERE c.evalset_id = e.id) AS flagged
       FROM evalsets e ORDER BY e.name`,
    )
    .all() as { id: number; name: string; file: string; items: number; flagged: number; created_at: string }[];
}

export function removeEvalset(project: Project, name: string): void {
  const db = project.db;
  db.transaction(() => {
    const e = db.prepare('SELECT id FROM evalsets WHERE name = ?').get(name) as { id: number } | undefined;
    if (!e) throw new UserError(`There is no evaluation set named "${name}".`, 'not_found');
    db.prepare(`UPDATE questions SET excluded = 0, exclude_reason = NULL WHERE exclude_reason LIKE ?`).run(`contaminated: ${name}#%`);
    db.prepare('DELETE FROM evalsets WHERE id = ?').run(e.id);
  })();
}

export interface DecontamResult {
  checked: number;
  flagged: number;
  items: { question_id: number; evalset: string; evalset_item: number; overlap: string }[];
}

/**
 * Checks every pool question against the registered evaluation sets (all of them, or the names in `only`:
 * the benchmarks and held-out sets ticked in the UI); replaces the previous result.
 */
export function runDecontamination(project: Project, n = 8, only?: readonly string[]): DecontamResult {
  const db = project.db;
  const all = db.prepare('SELECT e.name AS evalset, i.item, i.question AS text FROM evalset_items i JOIN evalsets e ON e.id = i.evalset_id ORDER BY e.name, i.item').all() as EvalItem[];
  const chosen = only ? new Set(only) : null;
  const sets = chosen ? all.filter((it) => chosen.has(it.evalset)) : all;
  if (!sets.length && chosen) throw new UserError('Nothing to check the pool against: tick at least one benchmark or held-out set.', 'no_evalsets');
  if (!sets.length) throw new UserError('No evaluation set is registered; add one first (for example: distillery evalset add PROJECT math500 math500.jsonl).', 'no_evalsets');
  const ids = new Map((db.prepare('SELECT id, name FROM evalsets').all() as { id: number; name: string }[]).map((e) => [e.name, e.id]));
  // One query, rows as [id, question] arrays (no object per row).
  const index = new NgramIndex(n);
  for (const it of sets) index.add(it);
  const flags: (Omit<Flag, 'index'> & { qid: number })[] = [];
  let checked = 0;
  for (const [qid, question] of db.prepare('SELECT id, question FROM questions ORDER BY id').raw().all() as [number, string][]) {
    checked++;
    const m = index.match(question);
    if (m) flags.push({ qid, ...m });
  }
  const ts = new Date().toISOString();
  db.transaction(() => {
    db.prepare(`UPDATE questions SET excluded = 0, exclude_reason = NULL WHERE exclude_reason LIKE 'contaminated: %'`).run();
    db.prepare('DELETE FROM contamination').run();
    const ins = db.prepare('INSERT INTO contamination (question_id, evalset_id, item, ngram, overlap, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    // Contamination wins over a duplicate exclusion: it is the reason that must be seen.
    const excl = db.prepare(`UPDATE questions SET excluded = 1, exclude_reason = ? WHERE id = ? AND (excluded = 0 OR exclude_reason LIKE 'duplicate of #%')`);
    for (const f of flags) {
      ins.run(f.qid, ids.get(f.evalset)!, f.item, n, f.overlap, ts);
      excl.run(`contaminated: ${f.evalset}#${f.item}`, f.qid);
    }
  })();
  return {
    checked,
    flagged: flags.length,
    items: flags.map((f) => ({ question_id: f.qid, evalset: f.evalset, evalset_item: f.item, overlap: f.overlap })),
  };
}

export function listFlagged(project: Project, offset = 0, limit = 100) {
  const db = project.db;
  const total = (db.prepare('SELECT COUNT(*) AS n FROM contamination').get() as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT c.question_id, e.name AS evalset, c.item AS evalset_item, c.overlap, c.ngram, q.question, q.excluded, q.exclude_reason, i.question AS evalset_question
       FROM contamination c JOIN evalsets e ON e.id = c.evalset_id JOIN questions q ON q.id = c.question_id
       LEFT JOIN evalset_items i ON i.evalset_id = c.evalset_id AND i.item = c.item
       ORDER BY c.question_id LIMIT ? OFFSET ?`,
    )
    .all(limit, offset);
  return { total, rows };
}

/** The built-in benchmarks, with whether each is registered for this project (and its item count there). */
export function builtinEvalsets(project: Project): { name: string; file: string; registered: boolean; items: number | null }[] {
  const regs = new Map(listEvalsets(project).map((e) => [e.name, e]));
  return builtinBenchmarkFiles().map((b) => {
    const r = regs.get(b.name);
    return { name: b.name, file: b.file, registered: Boolean(r && path.resolve(r.file) === path.resolve(b.file)), items: r?.items ?? null };
  });
}

/** The project's held-out sets: the registered evaluation sets that are not built-in benchmarks. */
export function heldOutSets(project: Project): string[] {
  const builtin = new Set(builtinEvalsets(project).filter((b) => b.registered).map((b) => b.name));
  return listEvalsets(project).map((e) => e.name).filter((n) => !builtin.has(n));
}

/**
 * Registers the chosen built-in benchmarks as this project's benchmarks to check against (a set already
 * registered from the same file is left as it is). Unknown names are refused with the list of known ones.
 */
export async function registerBuiltins(project: Project, names: readonly string[]): Promise<string[]> {
  const all = builtinEvalsets(project);
  const added: string[] = [];
  for (const name of names) {
    const b = all.find((x) => x.name === name);
    if (!b) throw new UserError(`There is no built-in benchmark named "${name}"; the built-in ones are ${all.map((x) => x.name).join(', ') || '(none found)'}.`, 'unknown_benchmark');
    if (b.registered) continue;
    await addEvalset(project, b.name, b.file, { replace: true });
    added.push(b.name);
  }
  return added;
}
