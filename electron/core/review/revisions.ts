import { createHash } from 'node:crypto';
import { dropTokenCounts } from '../curate/tokens';
import { withFullSync, type DB, type Project } from '../store/project';
import { storedFlagsFor } from '../teacher/traceFlags';
import { setTraceText, traceText } from '../traces/store';
import { UserError } from '../util/errors';
import { recheckTrace } from '../verify/job';
import { mergeTexts } from './merge';
import { countTexts } from './tokens';
import type { Conflict, RevisionKind, RevisionSummary, RevisionText, SaveResult, Texts, VerdictInfo } from './types';

/** An autosave burst: saves of one window less than this apart fold into one revision… */
export const COALESCE_IDLE_MS = 60_000;
/** …for at most this long; then a new revision starts, so history keeps a point every few minutes of typing. */
export const COALESCE_SPAN_MS = 5 * 60_000;

export interface RevRow {
  trace_id: number;
  n: number;
  kind: RevisionKind;
  author: string | null;
  client_id: string | null;
  thinking: string;
  answer: string;
  digest: string;
  restored_from: number | null;
  saves: number;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export const digestOf = (t: Texts): string => createHash('sha256').update(t.thinking).update('\0').update(t.answer).digest('hex').slice(0, 32);

/** The trace's current text (traces.thinking/answer mirror the head revision). Refuses unknown or failed traces. */
export function traceTexts(db: DB, traceId: number): Texts & { questionId: number } {
  const r = traceText(db, traceId);
  if (!r) throw new UserError(`There is no trace ${traceId} in this project; reload the review queue.`, 'not_found');
  if (r.status !== 'done') throw new UserError(`Trace ${traceId} failed during generation and has no text to review; generate it again first.`, 'not_reviewable');
  return { questionId: r.question_id, thinking: r.thinking ?? '', answer: r.answer ?? '' };
}

export function headRow(db: DB, traceId: number): RevRow | undefined {
  return db.prepare('SELECT * FROM review_revisions WHERE trace_id = ? ORDER BY n DESC LIMIT 1').get(traceId) as RevRow | undefined;
}

export function headOf(db: DB, traceId: number): number {
  return (db.prepare('SELECT MAX(n) FROM review_revisions WHERE trace_id = ?').pluck().get(traceId) as number | null) ?? 0;
}

/** The revision `n`, or the latest surviving one before it (coalesced autosaves leave gaps). */
function atOrBefore(db: DB, traceId: number, n: number): RevRow | undefined {
  return db.prepare('SELECT * FROM review_revisions WHERE trace_id = ? AND n <= ? ORDER BY n DESC LIMIT 1').get(traceId, n) as RevRow | undefined;
}

export interface WriteInput extends Texts {
  traceId: number;
  baseRevision: number;
  author: string | null;
  clientId?: string | null;
  kind: Exclude<RevisionKind, 'original' | 'undo'>;
  note?: Record<string, unknown> | null;
  restoredFrom?: number | null;
}

export type WriteResult =
  | { ok: true; head: number; coalesced: boolean; unchanged: boolean; answerChanged: boolean }
  | { ok: false; head: number; conflict: Conflict };

const insertSql = `INSERT INTO review_revisions (trace_id, n, kind, author, client_id, thinking, answer, digest, restored_from, saves, note, created_at, updated_at)
  VALUES (@trace_id, @n, @kind, @author, @client_id, @thinking, @answer, @digest, @restored_from, @saves, @note, @created_at, @updated_at)`;

/** Writes revision 0 (the teacher's text) when the trace has no history yet; returns the head row. */
export function ensureOriginal(db: DB, traceId: number, cur: Texts, at: string): RevRow {
  const head = headRow(db, traceId);
  if (head) return head;
  const row: RevRow = {
    trace_id: traceId,
    n: 0,
    kind: 'original',
    author: null,
    client_id: null,
    thinking: cur.thinking,
    answer: cur.answer,
    digest: digestOf(cur),
    restored_from: null,
    saves: 1,
    note: null,
    created_at: at,
    updated_at: at,
  };
  db.prepare(insertSql).run(row);
  return row;
}

/** Appends `row` as the new head and mirrors its text into traces (and drops stale token counts). */
export function appendHead(db: DB, row: RevRow): void {
  db.prepare(insertSql).run(row);
  // The text's own flags (missing thinking, no answer …) follow the edited text.
  const flags = traceText(db, row.trace_id)?.flags ?? null;
  setTraceText(db, row.trace_id, row.thinking, row.answer, storedFlagsFor(flags, row.thinking, row.answer));
  dropTokenCounts(db, row.trace_id);
}

function conflictOf(db: DB, traceId: number, base: number, mine: Texts, head: RevRow): Conflict {
  const b = atOrBefore(db, traceId, base) ?? head;
  return {
    base: { n: b.n, thinking: b.thinking, answer: b.answer },
    mine: { thinking: mine.thinking, answer: mine.answer },
    theirs: { n: head.n, thinking: head.thinking, answer: head.answer, author: head.author, at: head.updated_at },
    merged: mergeTexts(b, mine, head),
  };
}

/**
 * Saves a new text for a trace in one synchronous=FULL transaction. See API.md for the coalescing rule and
 * the conflict rule; nothing is written on a conflict.
 */
export function writeRevision(db: DB, input: WriteInput, now = new Date()): WriteResult {
  const at = now.toISOString();
  return withFullSync(db, (): WriteResult => {
    const cur = traceTexts(db, input.traceId);
    const existing = headRow(db, input.traceId);
    const headN = existing?.n ?? 0;
    if (!Number.isInteger(input.baseRevision) || input.baseRevision < 0 || input.baseRevision > headN) {
      throw new UserError(`Trace ${input.traceId} has no revision ${input.baseRevision} (its latest is ${headN}); reload the sample and save again.`, 'bad_base');
    }
    const headTexts = existing ?? cur;
    const mine = { thinking: input.thinking, answer: input.answer };
    if (mine.thinking === headTexts.thinking && mine.answer === headTexts.answer) {
      return { ok: true, head: headN, coalesced: false, unchanged: true, answerChanged: false };
    }
    const clientId = input.clientId ?? null;
    if (input.baseRevision < headN && existing) {
      const newer = db.prepare('SELECT client_id FROM review_revisions WHERE trace_id = ? AND n > ?').pluck().all(input.traceId, input.baseRevision) as (string | null)[];
      if (clientId === null || newer.some((c) => c !== clientId)) {
        return { ok: false, head: headN, conflict: conflictOf(db, input.traceId, input.baseRevision, mine, existing) };
      }
    }
    const head = ensureOriginal(db, input.traceId, cur, at);
    const coalesce =
      input.kind === 'edit' &&
      head.kind === 'edit' &&
      clientId !== null &&
      head.client_id === clientId &&
      head.author === input.author &&
      input.baseRevision === head.n &&
      now.getTime() - Date.parse(head.updated_at) < COALESCE_IDLE_MS &&
      now.getTime() - Date.parse(head.created_at) < COALESCE_SPAN_MS;
    if (coalesce) db.prepare('DELETE FROM review_revisions WHERE trace_id = ? AND n = ?').run(input.traceId, head.n);
    let note = input.note ?? null;
    if (input.kind === 'merge') {
      // A merge resolves any pending bundle conflict: it contains the other copy's text from now on.
      const parents = db.prepare('SELECT digest FROM review_pending_merges WHERE trace_id = ?').pluck().all(input.traceId) as string[];
      if (parents.length) note = { ...note, parents };
      db.prepare('DELETE FROM review_pending_merges WHERE trace_id = ?').run(input.traceId);
    }
    appendHead(db, {
      trace_id: input.traceId,
      n: head.n + 1,
      kind: input.kind,
      author: input.author,
      client_id: clientId,
      thinking: mine.thinking,
      answer: mine.answer,
      digest: digestOf(mine),
      restored_from: input.restoredFrom ?? null,
      saves: coalesce ? head.saves + 1 : 1,
      note: note ? JSON.stringify(note) : null,
      created_at: coalesce ? head.created_at : at,
      updated_at: at,
    });
    return { ok: true, head: head.n + 1, coalesced: coalesce, unchanged: false, answerChanged: mine.answer !== headTexts.answer };
  });
}

/** Re-runs the answer check of a trace whose answer changed (rules; a failure leaves the old verdict). */
export async function recheck(project: Project, traceId: number): Promise<VerdictInfo | null> {
  try {
    const v = await recheckTrace(project, traceId);
    return { equivalent: v.equivalent, method: v.method, reason: v.reason, extracted: v.extracted };
  } catch {
    return null;
  }
}

/** writeRevision, then the answer check when the answer changed, and the new token counts. */
export async function saveRevision(project: Project, input: WriteInput): Promise<SaveResult> {
  const r = writeRevision(project.db, input);
  if (!r.ok) return r;
  const verdict = r.answerChanged ? await recheck(project, input.traceId) : null;
  return { ...r, revision: r.head, verdict, tokens: countTexts(project.db, input.thinking, input.answer) };
}

/**
 * Restores the revision before the head as a new revision (kind 'undo'). An undo of an undo goes further
 * back, before the revision it restored. History lives in SQLite, so this works after a restart.
 */
export async function undo(project: Project, traceId: number, author: string | null, clientId: string | null = null): Promise<SaveResult> {
  const db = project.db;
  const r = withFullSync(db, () => {
    traceTexts(db, traceId);
    const head = headRow(db, traceId);
    if (!head || head.n === 0) throw new UserError(`Trace ${traceId} has no edits to undo.`, 'nothing_to_undo');
    const from = head.kind === 'undo' && head.restored_from !== null ? head.restored_from : head.n;
    const target = db.prepare('SELECT * FROM review_revisions WHERE trace_id = ? AND n < ? ORDER BY n DESC LIMIT 1').get(traceId, from) as RevRow | undefined;
    if (!target) throw new UserError(`Trace ${traceId} is back at the teacher's original text; there is nothing earlier to undo to.`, 'nothing_to_undo');
    const at = new Date().toISOString();
    appendHead(db, {
      ...target,
      n: head.n + 1,
      kind: 'undo',
      author,
      client_id: clientId,
      restored_from: target.n,
      saves: 1,
      note: null,
      created_at: at,
      updated_at: at,
    });
    return { head: head.n + 1, answerChanged: target.answer !== head.answer, texts: { thinking: target.thinking, answer: target.answer } };
  });
  const verdict = r.answerChanged ? await recheck(project, traceId) : null;
  return { ok: true, head: r.head, revision: r.head, coalesced: false, unchanged: false, answerChanged: r.answerChanged, verdict, tokens: countTexts(db, r.texts.thinking, r.texts.answer) };
}

/** The history of a trace, newest first. */
export function listRevisions(db: DB, traceId: number): { head: number; revisions: RevisionSummary[] } {
  traceTexts(db, traceId);
  const rows = db
    .prepare(
      `SELECT n, kind, author, updated_at, created_at, saves, length(thinking) AS tc, length(answer) AS ac, restored_from, note
       FROM review_revisions WHERE trace_id = ? ORDER BY n DESC`,
    )
    .all(traceId) as { n: number; kind: RevisionKind; author: string | null; updated_at: string; created_at: string; saves: number; tc: number; ac: number; restored_from: number | null; note: string | null }[];
  return {
    head: rows[0]?.n ?? 0,
    revisions: rows.map((r) => ({
      n: r.n,
      kind: r.kind,
      author: r.author,
      at: r.updated_at,
      createdAt: r.created_at,
      saves: r.saves,
      thinkingChars: r.tc,
      answerChars: r.ac,
      restoredFrom: r.restored_from,
      note: r.note ? (JSON.parse(r.note) as Record<string, unknown>) : null,
    })),
  };
}

/** The text of revision `n` (0 before any edit: the current, original text). */
export function getRevision(db: DB, traceId: number, n: number): RevisionText {
  const cur = traceTexts(db, traceId);
  const r = db.prepare('SELECT * FROM review_revisions WHERE trace_id = ? AND n = ?').get(traceId, n) as RevRow | undefined;
  if (r) return { n: r.n, kind: r.kind, author: r.author, at: r.updated_at, thinking: r.thinking, answer: r.answer };
  if (n === 0 && !headRow(db, traceId)) {
    const at = traceText(db, traceId)?.created_at ?? '';
    return { n: 0, kind: 'original', author: null, at, thinking: cur.thinking, answer: cur.answer };
  }
  const head = headOf(db, traceId);
  throw new UserError(`Trace ${traceId} has no revision ${n}${n <= head ? ' (it was folded into a later autosave)' : ''}; pick one from its history (latest: ${head}).`, 'no_revision');
}

/** Revision 0 (the teacher's text, stored once the trace was first changed), or undefined. */
export function originalRevision(db: DB, traceId: number): Texts | undefined {
  return db.prepare('SELECT thinking, answer FROM review_revisions WHERE trace_id = ? AND n = 0').get(traceId) as Texts | undefined;
}

/** The teacher's original text: revision 0, or the trace itself when it was never changed. */
export function originalTexts(db: DB, traceId: number): Texts {
  const r = originalRevision(db, traceId);
  if (r) return r;
  const t = traceTexts(db, traceId);
  return { thinking: t.thinking, answer: t.answer };
}
