/**
 * Shapes: how a record's fields become a question, its reference answer/solution and any existing
 * traces. Detected from the first records, overridable, and refined by an explicit column mapping.
 */
import { deeperThan, TOO_DEEP } from './nesting';

export type Shape = 'plain' | 's1k' | 'sharegpt' | 'alpaca';
export const SHAPES: readonly Shape[] = ['plain', 's1k', 'sharegpt', 'alpaca'];
export type Field = 'question' | 'answer' | 'solution' | 'domain' | 'id' | 'thinking' | 'attempt' | 'messages' | 'input';
export const MAP_FIELDS: readonly Field[] = ['question', 'answer', 'solution', 'domain', 'id', 'thinking', 'attempt', 'messages', 'input'];
export type Mapping = Partial<Record<Field, string>>;

export interface TraceIn {
  teacher: string | null;
  thinking: string | null;
  answer: string | null;
}

export interface RowIn {
  question: string;
  answer: string | null;
  solution: string | null;
  domain: string | null;
  extId: string | null;
  metadata: Record<string, unknown> | null;
  traces: TraceIn[];
}

/** Limits per field, in characters: traces may be long, questions may not. */
export const FIELD_LIMITS = { question: 100_000, answer: 100_000, solution: 400_000, domain: 200, id: 500, trace: 4_000_000 } as const;
const METADATA_LIMIT = 4_000;

const CANDIDATES: Record<Shape, Mapping & Record<string, string | undefined>> = {
  plain: {},
  s1k: { question: 'question', solution: 'solution', domain: undefined, id: undefined },
  sharegpt: {},
  alpaca: { question: 'instruction', input: 'input', answer: 'output' },
};

const PLAIN: Partial<Record<Field, readonly string[]>> = {
  question: ['question', 'problem', 'prompt', 'instruction', 'query', 'Question', 'Problem', 'input'],
  answer: ['answer', 'final_answer', 'ground_truth', 'gold', 'target', 'expected_answer', 'Answer', 'output', 'response', 'final', 'Final Answer', 'final answer', 'label', 'correct_answer', 'reference_answer', 'reference'],
  solution: ['solution', 'reference_solution', 'rationale', 'explanation', 'Solution'],
  domain: ['domain', 'subject', 'category', 'topic', 'type'],
  id: ['id', 'unique_id', 'uid', 'problem_id', 'question_id', 'idx', 'ID'],
  thinking: ['thinking', 'reasoning', 'reasoning_content'],
};

function keysOf(samples: unknown[]): Set<string> {
  const keys = new Set<string>();
  for (const s of samples) if (s && typeof s === 'object' && !Array.isArray(s)) for (const k of Object.keys(s)) keys.add(k);
  return keys;
}

export function detectShape(samples: unknown[]): Shape {
  const k = keysOf(samples);
  if (k.has('conversations') || k.has('messages')) return 'sharegpt';
  if (k.has('question') && (k.has('thinking_trajectories') || k.has('deepseek_thinking_trajectory') || k.has('gemini_thinking_trajectory') || k.has('cot_type'))) return 's1k';
  if (k.has('instruction') && k.has('output')) return 'alpaca';
  return 'plain';
}

/** The columns each field comes from, for this shape and these records, with the user's overrides on top. */
export function resolveMapping(shape: Shape, samples: unknown[], overrides: Mapping = {}): Mapping {
  const k = keysOf(samples);
  const m: Mapping = {};
  const pick = (f: Field) => PLAIN[f]?.find((c) => k.has(c));
  switch (shape) {
    case 'plain':
      for (const f of ['question', 'answer', 'solution', 'domain', 'id', 'thinking'] as const) {
        const c = pick(f);
        if (c && !Object.values(m).includes(c)) m[f] = c;
      }
      break;
    case 's1k':
      Object.assign(m, { question: 'question', solution: 'solution' });
      if (k.has('answer')) m.answer = 'answer';
      break;
    case 'alpaca':
      Object.assign(m, CANDIDATES.alpaca);
      break;
    case 'sharegpt':
      m.messages = k.has('conversations') ? 'conversations' : 'messages';
      if (k.has('answer')) m.answer = 'answer';
      break;
  }
  if (shape !== 'plain' && shape !== 's1k') {
    for (const f of ['domain', 'id'] as const) {
      const c = pick(f);
      if (c) m[f] = c;
    }
  }
  if (shape === 's1k') {
    const c = pick('id');
    if (c) m.id = c;
  }
  for (const [f, col] of Object.entries(overrides)) if (col) m[f as Field] = col;
  return m;
}

type Text = { ok: string | null } | { error: string };

function asText(rec: Record<string, unknown>, col: string | undefined, field: string, limit: number, joinLists = false): Text {
  if (!col) return { ok: null };
  const v = rec[col];
  if (v === undefined || v === null) return { ok: null };
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else if (joinLists && Array.isArray(v) && v.every((x) => typeof x === 'string')) s = v.join('\n\n');
  else return { error: `wrong type: field "${col}" (${field}) is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, expected text` };
  if (s.length > limit) return { error: `field over the size limit: "${col}" (${field}) has ${s.length} characters, at most ${limit}` };
  return { ok: s };
}

const THINK = /<think(?:ing)?>([\s\S]*?)<\/think(?:ing)?>/i;

/** Splits "<think>…</think> answer" into its reasoning and its answer. */
export function splitThink(content: string): { thinking: string | null; answer: string } {
  const m = THINK.exec(content);
  if (m) return { thinking: m[1]!.trim(), answer: (content.slice(0, m.index) + content.slice(m.index + m[0].length)).trim() };
  // A response that was cut before </think> still holds reasoning; keep it all as thinking.
  const open = /^\s*<think(?:ing)?>/i.exec(content);
  if (open) return { thinking: content.slice(open[0].length).trim(), answer: '' };
  return { thinking: null, answer: content };
}

function turnRole(t: Record<string, unknown>): string {
  return String(t.role ?? t.from ?? '').toLowerCase();
}
function turnText(t: Record<string, unknown>): unknown {
  return t.content ?? t.value ?? t.text;
}

export type MapResult = { row: RowIn } | { error: string };

export function mapRecord(value: unknown, shape: Shape, m: Mapping): MapResult {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `wrong type: expected a record (an object with fields), got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}` };
  }
  // Metadata is stored as JSON text; a row too deep to stringify is this row's error, not the import's.
  if (deeperThan(value)) return { error: TOO_DEEP };
  const rec = value as Record<string, unknown>;
  let question: string;
  const traces: TraceIn[] = [];
  const used = new Set<string>(Object.values(m).filter((c): c is string => !!c));

  if (shape === 'sharegpt' && !m.question) {
    const col = m.messages ?? 'messages';
    const turns = rec[col];
    if (turns === undefined || turns === null) return { error: `missing question (no field "${col}")` };
    if (!Array.isArray(turns)) return { error: `wrong type: field "${col}" should be a list of turns` };
    const userIdx = turns.findIndex((t) => t && typeof t === 'object' && ['user', 'human'].includes(turnRole(t as Record<string, unknown>)));
    if (userIdx < 0) return { error: `missing question (no user turn in "${col}")` };
    const u = turnText(turns[userIdx] as Record<string, unknown>);
    if (typeof u !== 'string') return { error: `wrong type: the first user turn in "${col}" has no text` };
    if (u.length > FIELD_LIMITS.question) return { error: `field over the size limit: the first user turn has ${u.length} characters, at most ${FIELD_LIMITS.question}` };
    question = u;
    const a = turns.slice(userIdx + 1).find((t) => t && typeof t === 'object' && ['assistant', 'gpt', 'model', 'bot'].includes(turnRole(t as Record<string, unknown>))) as
      | Record<string, unknown>
      | undefined;
    if (a) {
      const content = turnText(a);
      const text = typeof content === 'string' ? content : '';
      if (text.length > FIELD_LIMITS.trace) return { error: `field over the size limit: the assistant turn has ${text.length} characters, at most ${FIELD_LIMITS.trace}` };
      const split = splitThink(text);
      const r = a.reasoning_content ?? a.reasoning ?? a.thinking;
      const thinking = typeof r === 'string' && r.trim() ? r : split.thinking;
      traces.push({ teacher: null, thinking, answer: split.answer });
    }
  } else {
    const q = asText(rec, m.question, 'question', FIELD_LIMITS.question);
    if ('error' in q) return q;
    if (q.ok === null) return { error: m.question ? `missing question (no field "${m.question}")` : 'missing question (no column is mapped to the question)' };
    question = q.ok;
    if (shape === 'alpaca' && m.input) {
      const inp = asText(rec, m.input, 'input', FIELD_LIMITS.question);
      if ('error' in inp) return inp;
      if (inp.ok && inp.ok.trim()) question = `${question}\n\n${inp.ok}`;
    }
  }
  if (!question.trim()) return { error: 'empty question' };

  const fields: Record<'answer' | 'solution' | 'domain' | 'id', string | null> = { answer: null, solution: null, domain: null, id: null };
  for (const f of ['answer', 'solution', 'domain', 'id'] as const) {
    const t = asText(rec, m[f], f, FIELD_LIMITS[f]);
    if ('error' in t) return t;
    fields[f] = t.ok;
  }

  if (m.thinking || m.attempt) {
    const th = asText(rec, m.thinking, 'thinking', FIELD_LIMITS.trace, true);
    if ('error' in th) return th;
    const at = asText(rec, m.attempt, 'attempt', FIELD_LIMITS.trace, true);
    if ('error' in at) return at;
    if (th.ok || at.ok) traces.push({ teacher: null, thinking: th.ok, answer: at.ok });
  } else if (shape === 's1k') {
    for (const [t, a, teacher] of [
      ['thinking_trajectories', 'attempt', 'gemini'],
      ['gemini_thinking_trajectory', 'gemini_attempt', 'gemini'],
      ['deepseek_thinking_trajectory', 'deepseek_attempt', 'deepseek-r1'],
    ] as const) {
      if (rec[t] === undefined && rec[a] === undefined) continue;
      used.add(t).add(a);
      const th = asText(rec, t, 'thinking', FIELD_LIMITS.trace, true);
      if ('error' in th) return th;
      const at = asText(rec, a, 'attempt', FIELD_LIMITS.trace, true);
      if ('error' in at) return at;
      if (th.ok || at.ok) traces.push({ teacher, thinking: th.ok, answer: at.ok });
    }
  }

  let metadata: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(rec)) {
    if (used.has(k) || v === undefined || v === null) continue;
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    if (s === undefined || s.length > METADATA_LIMIT) continue;
    (metadata ??= {})[k] = v;
  }
  return {
    row: {
      question,
      answer: fields.answer,
      solution: fields.solution,
      domain: fields.domain?.trim() || null,
      extId: fields.id,
      metadata,
      traces,
    },
  };
}

/** Parses "question=COL,answer=COL" into a mapping; returns an error sentence for a bad entry. */
export function parseMapSpec(spec: string): Mapping | string {
  const m: Mapping = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) return `"${part}" is not FIELD=COLUMN`;
    const f = part.slice(0, eq).trim() as Field;
    if (!MAP_FIELDS.includes(f)) return `"${f}" is not a field (use ${MAP_FIELDS.join(', ')})`;
    m[f] = part.slice(eq + 1).trim();
  }
  return m;
}
