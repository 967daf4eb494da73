import { z } from 'zod';
import type { ItemContext, JobItem, JobKind } from '../jobs';
import { NgramIndex } from '../pool/decontam';
import { contaminationOf, evalItems } from '../pool/evalsets';
import { numbersOf } from '../pool/dedup';
import { jaccard, shingleSet } from '../pool/minhash';
import { insertQuestion, poolQuestionIds, questionForVariant, questionIdByHash, questionTextLookup, type QuestionForVariant } from '../pool/questions';
import { normalizeText, normHash } from '../pool/text';
import type { DB } from '../store/project';
import { isUserError } from '../util/errors';
import { extractAnswer } from '../verify';
import { teacherAsker, type Asker } from './ask';
import { AUGMENT_KINDS, cleanVariant, isChinese, solvePrompt, variantPrompt, type AugmentKind } from './prompts';
import { message } from '../util/messages';

export const AUGMENT_KIND = 'augment';
/** A variant at least this similar to its parent (Jaccard of character 5-shingles of the normalised text) is the same question. */
export const SAME_AS_PARENT = 0.9;

export const augmentParams = z.object({
  teacher: z.string().trim().min(1),
  questions: z.discriminatedUnion('mode', [z.object({ mode: z.literal('all') }), z.object({ mode: z.literal('ids'), ids: z.array(z.number().int().positive()).min(1).max(100_000) })]),
  kinds: z.array(z.enum(AUGMENT_KINDS)).min(1).max(4),
  maxTokens: z.number().int().positive().nullable().default(null),
  temperature: z.number().min(0).max(2).nullable().default(null),
});
export type AugmentParams = z.infer<typeof augmentParams>;
export type AugmentInput = z.input<typeof augmentParams>;

interface Payload {
  q: number;
  kind: AugmentKind;
}

/** Per running job: the teacher and the evaluation-set index, built once on the first item. */
const states = new WeakMap<AugmentParams, { asker?: Asker; index?: NgramIndex | null }>();

/** The held-out items (registered evaluation sets) as the decontamination index, or null when there are none. */
export function heldOutIndex(db: DB, n = 8): NgramIndex | null {
  const items = evalItems(db);
  if (!items.length) return null;
  const index = new NgramIndex(n);
  for (const it of items) index.add(it);
  return index;
}

/** Why a question may not be varied: it is (or reads like) a benchmark or held-out item. Null when it may. */
export function leakOf(db: DB, parent: QuestionForVariant, index: NgramIndex | null): string | null {
  if (parent.exclude_reason?.startsWith('contaminated: ')) return `leak: question #${parent.id} is a benchmark or held-out item (${parent.exclude_reason})`;
  const c = contaminationOf(db, parent.id);
  if (c) return `leak: question #${parent.id} matches the evaluation item ${c.name}#${c.item}`;
  const m = index?.match(parent.question);
  if (m) return `leak: question #${parent.id} shares text with the evaluation item ${m.evalset}#${m.item} ("${m.overlap.slice(0, 80)}")`;
  return null;
}

/** Why a variant is not a new question (null when it is one): the near-duplicate check against its parent. */
export function sameAsParent(kind: AugmentKind, parent: string, variant: string): string | null {
  const sim = jaccard(shingleSet(normalizeText(parent), 5), shingleSet(normalizeText(variant), 5));
  if (sim >= SAME_AS_PARENT) return `identical to its parent (similarity ${sim.toFixed(2)} ≥ ${SAME_AS_PARENT})`;
  if (kind === 'numbers' && numbersOf(parent) === numbersOf(variant)) return `the numbers did not change (${numbersOf(parent) || 'none'})`;
  return null;
}

/** The pool's questions (not excluded) that are not themselves variants, in import order. */
function unvariedPoolIds(db: DB): number[] {
  const variants = new Set(db.prepare('SELECT question_id FROM question_variants').pluck().all() as number[]);
  return poolQuestionIds(db).filter((id) => !variants.has(id));
}

export function planAugment(db: DB, p: AugmentParams): { key: string; payload: Payload }[] {
  const ids = p.questions.mode === 'all' ? unvariedPoolIds(db) : [...new Set(p.questions.ids)];
  const items: { key: string; payload: Payload }[] = [];
  for (const q of ids) for (const kind of p.kinds) items.push({ key: `${q}:${kind}`, payload: { q, kind } });
  return items;
}

function outcome(db: DB, jobId: number, parent: number, kind: AugmentKind, status: 'added' | 'dropped' | 'refused', reason: string | null, questionId: number | null, text: string | null): void {
  db.prepare('INSERT OR REPLACE INTO augment_outcomes (job_id, parent_id, kind, status, reason, question_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    jobId, parent, kind, status, reason, questionId, text, new Date().toISOString(),
  );
}

async function runItem(item: JobItem, ctx: ItemContext<AugmentParams>): Promise<void> {
  const db = ctx.project.db;
  const p = ctx.params;
  const { q, kind } = item.payload as Payload;
  const parent = questionForVariant(db, q);
  if (!parent) {
    ctx.fail(`Question ${q} is not in the pool (deleted, or a wrong id); choose ids from the Questions step.`);
    return;
  }
  let st = states.get(p);
  if (!st) states.set(p, (st = {}));
  if (st.index === undefined) st.index = heldOutIndex(db);
  const leak = leakOf(db, parent, st.index);
  if (leak) {
    ctx.complete(() => outcome(db, ctx.jobId, q, kind, 'refused', leak, null, null), { status: 'refused' });
    return;
  }
  try {
    st.asker ??= teacherAsker(db, p.teacher);
  } catch (e) {
    ctx.fail(isUserError(e) ? e.message : `could not prepare the teacher: ${(e as Error).message}`);
    return;
  }
  const asker = st.asker;
  let text: string;
  let answer: string | null = null;
  let origin: 'parent' | 'rederived' | 'none';
  try {
    text = cleanVariant((await asker.ask(variantPrompt(kind, parent.question), ctx.signal, { maxTokens: p.maxTokens, temperature: p.temperature })).answer);
    const why = !text ? 'the teacher sent back no problem' : sameAsParent(kind, parent.question, text);
    const leakV = why ? null : st.index?.match(text);
    if (why || leakV) {
      const status = leakV ? 'refused' : 'dropped';
      const reason = leakV ? `leak: the variant shares text with the evaluation item ${leakV.evalset}#${leakV.item}` : (why as string);
      ctx.complete(() => outcome(db, ctx.jobId, q, kind, status, reason, null, text || null), { status });
      return;
    }
    if (kind === 'numbers' || kind === 'harder') {
      // A new problem has a new answer: re-derived by solving it, never copied from the parent.
      const solved = await asker.ask(solvePrompt(text), ctx.signal, { maxTokens: p.maxTokens, temperature: p.temperature });
      answer = solved.finishReason === 'length' ? null : (extractAnswer(solved.answer).extracted?.trim() ?? null);
      origin = answer ? 'rederived' : 'none';
    } else {
      answer = parent.answer?.trim() ? parent.answer : null;
      origin = answer ? 'parent' : 'none';
    }
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    ctx.fail((e as Error).message);
    return;
  }
  const hash = normHash(text);
  const dup = questionIdByHash(db, hash);
  if (dup !== undefined) {
    ctx.complete(() => outcome(db, ctx.jobId, q, kind, 'dropped', `duplicate of #${dup}`, null, text), { status: 'dropped' });
    return;
  }
  const lang = kind === 'translate' ? (isChinese(text) ? 'zh' : 'en') : parent.lang;
  const now = new Date().toISOString();
  ctx.complete(
    () => {
      const metadata = JSON.stringify({ parent: q, kind, teacher: p.teacher, answer_origin: origin });
      const id = insertQuestion(db, { question: text, answer, domain: parent.domain, source: `augment:${kind}`, lang, metadata, createdAt: now, normHash: hash });
      db.prepare('INSERT INTO question_variants (question_id, parent_id, kind, teacher, answer_origin, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, q, kind, p.teacher, origin, ctx.jobId, now);
      outcome(db, ctx.jobId, q, kind, 'added', null, id, text);
    },
    { status: 'added' },
  );
}

export const augmentKind: JobKind<AugmentParams> = {
  kind: AUGMENT_KIND,
  params: augmentParams,
  concurrency: 8,
  plan: (project, p) => planAugment(project.db, p),
  run: runItem,
  labelMessage: (p) => message('job_label_augment', { kinds: p.kinds.join(', '), teacher: p.teacher }, `Augment (${p.kinds.join(', ')}) with ${p.teacher}`),
};

export interface AugmentSummary {
  job: number;
  added: number;
  dropped: number;
  refused: number;
  outcomes: { parent: number; kind: string; status: string; reason: string | null; question: number | null; text: string | null }[];
}

export function augmentSummary(db: DB, jobId: number): AugmentSummary {
  const outcomes = db
    .prepare('SELECT parent_id AS parent, kind, status, reason, question_id AS question, text FROM augment_outcomes WHERE job_id = ? ORDER BY parent_id, kind')
    .all(jobId) as AugmentSummary['outcomes'];
  const n = (s: string) => outcomes.filter((o) => o.status === s).length;
  return { job: jobId, added: n('added'), dropped: n('dropped'), refused: n('refused'), outcomes };
}

/** The parent and kind of variants, for the Questions view (a variant shows where it came from). */
export interface VariantLink {
  questionId: number;
  parentId: number;
  kind: string;
  answerOrigin: string;
  /** The parent's question text (null when the parent was deleted from the pool). */
  parentQuestion: string | null;
}

export function variantsOf(db: DB, ids: readonly number[]): VariantLink[] {
  const stmt = db.prepare('SELECT question_id AS questionId, parent_id AS parentId, kind, answer_origin AS answerOrigin FROM question_variants WHERE question_id = ?');
  const text = questionTextLookup(db);
  return ids
    .map((id) => stmt.get(id) as Omit<VariantLink, 'parentQuestion'> | undefined)
    .filter((x) => x !== undefined)
    .map((v) => ({ ...v, parentQuestion: text(v.parentId) ?? null }));
}
