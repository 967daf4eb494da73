import fs from 'node:fs';
import path from 'node:path';
import { cachedThinkingCounts, recentRecipes } from '../curate/tokens';
import type { DB } from '../store/project';
import { loadTokenizerFile, type LoadedTokenizer } from '../tokens';
import type { TokenCounts, TokenizerInfo } from './types';
import { getSetting } from './settings';

function hasTokenizer(dir: string | null | undefined): dir is string {
  if (!dir) return false;
  try {
    return fs.statSync(path.join(dir, 'tokenizer.json')).isFile();
  } catch {
    return false;
  }
}

/**
 * The student model folder whose tokenizer counts review tokens: the review setting, else the frozen
 * curation run's recipe.studentDir, else the latest curation run's (curate/tokens.ts counts with the same).
 */
export function studentDir(db: DB): string | null {
  const set = getSetting<string>(db, 'studentDir');
  if (hasTokenizer(set)) return set;
  for (const r of recentRecipes(db)) {
    try {
      const dir = (JSON.parse(r) as { studentDir?: string | null }).studentDir;
      if (hasTokenizer(dir)) return path.resolve(dir);
    } catch {
      // a damaged recipe row names no tokenizer
    }
  }
  return null;
}

export function tokenizerInfo(db: DB): TokenizerInfo {
  const dir = studentDir(db);
  return dir ? { source: 'student', dir } : { source: 'stored', dir: null };
}

/** The student's tokenizer (cached by file identity in core/tokens), or null. */
export function studentTokenizer(db: DB): LoadedTokenizer | null {
  const dir = studentDir(db);
  return dir ? loadTokenizerFile(path.join(dir, 'tokenizer.json')) : null;
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * Live counts while typing: a long trace is cut into chunks at line starts (content-defined: a chunk of at least
 * 256 characters ends after a line whose hash says so, so an edit changes only its own chunk) and the count of
 * each chunk is cached. Byte-level BPE tokenizers (Qwen, Llama 3, DeepSeek) never merge across a line start, so
 * the sum is exact; each tokenizer is checked once on a probe text, and one that fails is counted whole.
 */
const PROBE = [
  'Let me think. First, 12 × 7 = 84; so $x^2 + 3x - 4 = 0$ gives $x = 1$ or $x = -4$.',
  '',
  'Wait, that is wrong!\n\n\tIndented: \\frac{a}{b} -> "quoted" it\'s',
  '  two leading spaces, then 中文推理步骤：首先计算。',
  '1. Step one.\r',
  '2) Step two...   ',
  '\\boxed{42}',
].join('\n');

const lineStarts = (text: string): string[] => text.split(/(?<=\n)(?=\S)/);

function chunksOf(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lineStarts(text)) {
    cur += line;
    let h = line.length;
    for (let i = 0; i < line.length && i < 24; i++) h = (h * 31 + line.charCodeAt(i)) | 0;
    if (cur.length >= 256 && (h & 3) === 0) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

interface Counter {
  additive: boolean;
  cache: Map<string, number>;
}
const counters = new Map<string, Counter>();

function counterFor(tok: LoadedTokenizer): Counter {
  let c = counters.get(tok.key);
  if (!c) {
    const additive = lineStarts(PROBE).reduce((n, l) => n + tok.count(l), 0) === tok.count(PROBE);
    c = { additive, cache: new Map() };
    counters.set(tok.key, c);
  }
  return c;
}

/** Exact token count of `text` in `tok`, fast on the second call after a small edit (see above). */
export function fastCount(tok: LoadedTokenizer, text: string): number {
  if (!text) return 0;
  const c = counterFor(tok);
  const parts = c.additive ? chunksOf(text) : [text];
  if (c.cache.size > 100_000) c.cache.clear();
  let n = 0;
  for (const p of parts) {
    let v = c.cache.get(p);
    if (v === undefined) {
      v = tok.count(p);
      c.cache.set(p, v);
    }
    n += v;
  }
  return n;
}

export function countText(db: DB, text: string, tok: LoadedTokenizer | null = studentTokenizer(db)): { tokens: number; source: 'student' | 'estimate' } {
  return tok ? { tokens: fastCount(tok, text), source: 'student' } : { tokens: estimateTokens(text), source: 'estimate' };
}

export function countTexts(db: DB, thinking: string, answer: string): TokenCounts {
  const tok = studentTokenizer(db);
  return { thinking: countText(db, thinking, tok).tokens, answer: countText(db, answer, tok).tokens, source: tok ? 'student' : 'estimate' };
}

/**
 * Thinking tokens of traces in the student's tokenizer, cached in curation_token_counts (the cache curation
 * uses; a review save drops the trace's entries, see revisions.ts).
 */
export function cachedStudentCounts(db: DB, tok: LoadedTokenizer, traceIds: readonly number[]): Map<number, number> {
  return cachedThinkingCounts(db, tok.key, (text) => fastCount(tok, text), traceIds);
}
