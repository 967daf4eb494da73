import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { withFullSync, type DB, type Project } from '../store/project';
import { questionDetail, type QuestionDetail } from '../pool/review-reads';
import { traceOrigin, type TraceOrigin } from '../traces/review-reads';
import { doneTraceCheck } from '../traces/store';
import { UserError } from '../util/errors';
import { checkOutputFile, placeOutputFile } from '../util/output-file';
import { BUNDLE_FORMAT, BUNDLE_VERSION, readBundle, type BundleHeader, type BundleSample } from './bundle-format';
import { representatives, tracesForQuestions, type ReviewStatus } from './decisions';
import { mergeTexts } from './merge';
import { resolveScope, scopeQuestionIds } from './queue';
import { appendHead, digestOf, ensureOriginal, headRow, recheck, traceTexts } from './revisions';
import type { MergedTexts, Texts } from './types';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';

export interface BundleExportInput {
  out: string;
  traceIds?: number[];
  questionIds?: number[];
  scope?: 'selection' | 'pool';
  /** Replace an existing file (CLI --force). Never allowed over a project database or inside the project (util/output-file). */
  overwrite?: boolean;
}

export interface BundleConflict {
  traceId: number;
  questionId: number;
  question: string;
  /** A sentence: what both sides changed. */
  reason: string;
  base: Texts | null;
  mine: Texts & { n: number; author: string | null; status: ReviewStatus };
  theirs: Texts & { author: string | null; status: ReviewStatus };
  merged: MergedTexts;
}

export interface BundleImportResult {
  bundleId: string;
  applied: number;
  unchanged: number;
  conflicts: BundleConflict[];
}

interface LocalDecision {
  status: ReviewStatus;
  reviewer: string | null;
  comment: string | null;
  at: string;
}

const localDecision = (db: DB, traceId: number) =>
  db.prepare('SELECT status, reviewer, comment, updated_at AS at FROM reviews WHERE trace_id = ?').get(traceId) as LocalDecision | undefined;

const decisionTimes = (db: DB, traceId: number, current: LocalDecision | undefined): string[] => {
  const t = db.prepare('SELECT at FROM review_decision_log WHERE trace_id = ? ORDER BY at').pluck().all(traceId) as string[];
  if (current && !t.includes(current.at)) t.push(current.at);
  return t;
};

type History = BundleSample['history'];

/** Every revision of a trace (n, digest, merge parents); a never-edited trace is its original, n = 0. */
function localHistory(db: DB, traceId: number, cur: Texts, createdAt: string): History {
  const rows = db.prepare('SELECT n, digest, kind, author, updated_at AS at, note FROM review_revisions WHERE trace_id = ? ORDER BY n').all(traceId) as (Omit<History[number], 'parents'> & {
    note: string | null;
  })[];
  if (rows.length === 0) return [{ n: 0, digest: digestOf(cur), kind: 'original', author: null, at: createdAt, parents: [] }];
  return rows.map(({ note, ...r }) => ({ ...r, parents: note ? ((JSON.parse(note) as { parents?: string[] }).parents ?? []) : [] }));
}

function sampleRecord(db: DB, traceId: number): BundleSample {
  const cur = traceTexts(db, traceId);
  const t = traceOrigin(db, traceId) as TraceOrigin;
  const q = questionDetail(db, t.question_id) as QuestionDetail;
  const history = localHistory(db, traceId, cur, t.created_at);
  const head = history[history.length - 1] as History[number];
  const d = localDecision(db, traceId);
  return {
    traceId,
    questionId: q.id,
    extId: q.ext_id,
    question: q.question,
    reference: q.answer,
    domain: q.domain,
    teacher: t.teacher,
    head: head.n,
    thinking: cur.thinking,
    answer: cur.answer,
    author: head.author,
    at: head.at,
    history,
    decision: d ?? null,
    decisionHistory: decisionTimes(db, traceId, d),
  };
}

/** Writes the chosen samples (default: the whole queue scope) to ONE JSON-lines file, atomically. */
export function bundleExport(project: Project, input: BundleExportInput): { file: string; bundleId: string; projectId: string; samples: number; bytes: number } {
  const db = project.db;
  const file = path.resolve(input.out);
  // before any work: a bundle must never replace the project, nor a file the user did not agree to lose
  checkOutputFile({ file, projectDir: project.dir, overwrite: input.overwrite, what: 'a review bundle', forceHint: 'ask to overwrite it (--force on the command line)' });
  let ids: number[];
  if (input.traceIds?.length) ids = [...new Set(input.traceIds)];
  else if (input.questionIds?.length) ids = [...tracesForQuestions(db, input.questionIds).values()];
  else ids = representatives(db, scopeQuestionIds(db, resolveScope(db, input.scope))).map((r) => r.id);
  if (ids.length === 0) throw new UserError('There is no sample to put in the bundle: the queue is empty. Generate or import traces first.', 'empty_bundle');
  const records = db.transaction(() => ids.map((id) => sampleRecord(db, id)))();
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    bundleId: randomUUID(),
    projectId: project.id,
    projectName: project.name,
    createdAt: new Date().toISOString(),
    samples: records.length,
  };
  const text = `${[header, ...records].map((r) => JSON.stringify(r)).join('\n')}\n`;
  const tmp = `${file}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  let made = false; // only a temporary file this call created is ever removed
  try {
    mkdirPrivate(path.dirname(file));
    writePrivateFile(tmp, text, { flag: 'wx' });
    made = true;
    placeOutputFile(tmp, file, input.overwrite ?? false);
  } catch (e) {
    if (made) fs.rmSync(tmp, { force: true });
    if (e instanceof UserError) throw e;
    throw new UserError(`Could not write the review bundle ${file}: ${(e as Error).message}. Choose a folder you can write to.`, 'io');
  }
  return { file, bundleId: header.bundleId, projectId: project.id, samples: records.length, bytes: Buffer.byteLength(text) };
}

type Outcome = 'same' | 'apply' | 'conflict';

interface TextPlan {
  outcome: Outcome;
  base: number | null;
  why?: string;
}

/**
 * What to do with a bundle's text. The base is the latest revision both copies hold (same n, same text).
 * Either side "knows" the other's text when it holds it after the base (or merged it in): then only the
 * side that knows moved on.
 */
function planText(db: DB, s: BundleSample, cur: Texts): TextPlan {
  const local = localHistory(db, s.traceId, cur, '');
  const head = local[local.length - 1] as History[number];
  const theirs = digestOf(s);
  if (theirs === head.digest) return { outcome: 'same', base: head.n };
  const mine = new Map(local.map((p) => [p.n, p.digest]));
  const shared = s.history.filter((h) => mine.get(h.n) === h.digest).map((h) => h.n);
  const base = shared.length ? Math.max(...shared) : null;
  const after = (h: History[number]) => base === null || h.n > base;
  const knows = (hist: History, digest: string) => hist.some((h) => (after(h) && h.digest === digest) || h.parents.includes(digest));
  if (knows(local, theirs)) return { outcome: 'same', base }; // imported before (and maybe edited since)
  if (knows(s.history, head.digest)) return { outcome: 'apply', base }; // the bundle already holds our text, and more
  if (base === null) return { outcome: 'conflict', base: null, why: 'the two copies share no revision of this text' };
  if (s.head === base) return { outcome: 'same', base };
  if (head.n === base) return { outcome: 'apply', base };
  return { outcome: 'conflict', base, why: `both copies changed the text since revision ${base}` };
}

function planDecision(db: DB, s: BundleSample): { outcome: Outcome; local: LocalDecision | undefined; why?: string } {
  const local = localDecision(db, s.traceId);
  const theirs = s.decision;
  if (!theirs) return { outcome: 'same', local };
  if (local && local.status === theirs.status && local.reviewer === theirs.reviewer && local.comment === theirs.comment) return { outcome: 'same', local };
  const times = decisionTimes(db, s.traceId, local);
  if (times.includes(theirs.at)) return { outcome: 'same', local }; // we hold that decision (or a later one)
  if (!local) return { outcome: 'apply', local };
  const theirsTimes = new Set([...s.decisionHistory, theirs.at]);
  const shared = times.filter((t) => theirsTimes.has(t));
  const common = shared.length ? shared[shared.length - 1] : undefined;
  if (common === local.at) return { outcome: 'apply', local };
  return { outcome: 'conflict', local, why: `both copies changed the decision (here ${local.status.replace('_', ' ')}${local.reviewer ? ` by ${local.reviewer}` : ''}, in the bundle ${theirs.status.replace('_', ' ')}${theirs.reviewer ? ` by ${theirs.reviewer}` : ''})` };
}

/**
 * Applies another reviewer's bundle in one synchronous=FULL transaction. A sample changed on both sides
 * since the copies last agreed is reported (mine, theirs, a merge proposal) and left alone; other changes
 * are applied: texts as revisions of kind 'import' by the bundle's author, decisions as they were made.
 * Importing the same bundle again changes nothing.
 */
export async function bundleImport(project: Project, file: string): Promise<BundleImportResult> {
  const db = project.db;
  const abs = path.resolve(file);
  const { header, samples } = readBundle(abs);
  if (header.projectId !== project.id) {
    throw new UserError(
      `${abs} was exported from the project "${header.projectName}" (id ${header.projectId}), not from this one ("${project.name}"); import it into a copy of that project.`,
      'other_project',
    );
  }
  const exists = doneTraceCheck(db);
  for (const s of samples) {
    if (!exists(s.traceId)) throw new UserError(`${abs} line ${s.line} names trace ${s.traceId}, which this project does not have; nothing was imported. Import the bundle into the project copy it came from.`, 'unknown_trace');
  }
  const conflicts: BundleConflict[] = [];
  const recheckIds: number[] = [];
  let applied = 0;
  let unchanged = 0;
  withFullSync(db, () => {
    const at = new Date().toISOString();
    for (const s of samples) {
      const cur = traceTexts(db, s.traceId);
      const text = planText(db, s, cur);
      const dec = planDecision(db, s);
      if (text.outcome === 'conflict' || dec.outcome === 'conflict') {
        const head = headRow(db, s.traceId);
        const baseRow = text.base === null ? null : (db.prepare('SELECT thinking, answer FROM review_revisions WHERE trace_id = ? AND n = ?').get(s.traceId, text.base) as Texts | undefined);
        const base = text.base === null ? null : (baseRow ?? { thinking: cur.thinking, answer: cur.answer });
        const theirs = { thinking: s.thinking, answer: s.answer };
        const why = [text.why, dec.why].filter(Boolean).join('; and ');
        if (text.outcome === 'conflict') db.prepare('INSERT OR IGNORE INTO review_pending_merges (trace_id, digest, bundle_id) VALUES (?, ?, ?)').run(s.traceId, digestOf(s), header.bundleId);
        conflicts.push({
          traceId: s.traceId,
          questionId: s.questionId,
          question: s.question.length > 200 ? `${s.question.slice(0, 200)}…` : s.question,
          reason: `${why.charAt(0).toUpperCase()}${why.slice(1)}; nothing of this sample was imported.`,
          base,
          mine: { n: head?.n ?? 0, thinking: cur.thinking, answer: cur.answer, author: head?.author ?? null, status: dec.local?.status ?? 'todo' },
          theirs: { ...theirs, author: s.author, status: s.decision?.status ?? 'todo' },
          merged: mergeTexts(base ?? cur, cur, theirs),
        });
        continue;
      }
      if (text.outcome === 'apply') {
        const head = ensureOriginal(db, s.traceId, cur, at);
        appendHead(db, {
          trace_id: s.traceId,
          n: head.n + 1,
          kind: 'import',
          author: s.author ?? s.decision?.reviewer ?? null,
          client_id: `bundle:${header.bundleId}`,
          thinking: s.thinking,
          answer: s.answer,
          digest: digestOf(s),
          restored_from: null,
          saves: 1,
          note: JSON.stringify({ bundleId: header.bundleId, file: abs, fromRevision: s.head }),
          created_at: at,
          updated_at: at,
        });
        if (s.answer !== cur.answer) recheckIds.push(s.traceId);
      }
      if (dec.outcome === 'apply' && s.decision) {
        const d = s.decision;
        db.prepare(
          `INSERT INTO reviews (trace_id, status, reviewer, comment, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(trace_id) DO UPDATE SET status = excluded.status, reviewer = excluded.reviewer, comment = excluded.comment, updated_at = excluded.updated_at`,
        ).run(s.traceId, d.status, d.reviewer, d.comment, d.at);
        db.prepare('INSERT INTO review_decision_log (trace_id, at, status, reviewer, comment) VALUES (?, ?, ?, ?, ?)').run(s.traceId, d.at, d.status, d.reviewer, d.comment);
      }
      if (text.outcome === 'apply' || dec.outcome === 'apply') applied++;
      else unchanged++;
    }
    db.prepare('INSERT OR IGNORE INTO review_bundle_imports (bundle_id, file, applied, unchanged, conflicts, imported_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      header.bundleId,
      abs,
      applied,
      unchanged,
      conflicts.length,
      at,
    );
  });
  for (const id of recheckIds) await recheck(project, id);
  return { bundleId: header.bundleId, applied, unchanged, conflicts };
}
