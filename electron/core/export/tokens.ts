import type { DB } from '../store/project';
import path from 'node:path';
import { loadTokenizerFile, tokenizerForModel, type LoadedTokenizer } from '../tokens';
import { originalRevision } from '../review/revisions';
import { cachedStudentCounts, fastCount, studentDir } from '../review/tokens';

/**
 * How a sample's token counts were obtained:
 * - 'student': the student's tokenizer counted the exported text (the project has one set; every sample);
 * - 'stored': the teacher's counts stored at generation (the server's usage report, or the teacher model's own
 *   tokenizer for a local model; see teacher/generate.ts), valid because the text is the teacher's original;
 * - 'teacher-tokenizer': an edited sample recounted with the teacher model's tokenizer (a local teacher folder);
 * - 'estimate': an edited sample whose teacher tokenizer is unknown: the stored count scaled by the change in
 *   length (the original's tokens per character), the way generation splits a server's total by characters.
 */
export type TokenSource = 'student' | 'stored' | 'teacher-tokenizer' | 'estimate';

/** Which tokenizer the export's token counts are in. */
export type ExportTokenizer = { source: 'student'; dir: string } | { source: 'stored'; dir: null };

/** What the counter needs of a sample (the exported, trimmed text and the raw stored fields). */
export interface CountInput {
  traceId: number;
  thinking: string;
  answer: string;
  /** traces.thinking as stored (untrimmed): the per-trace count cache counts this text. */
  rawThinking: string;
  storedThinking: number | null;
  storedAnswer: number | null;
  /** The current text differs from the teacher's original (revision 0). */
  edited: boolean;
  /** The teacher's model (a local folder has a tokenizer.json), when the trace came from a registered teacher. */
  teacherModel: string | null;
}

export interface Counted {
  thinkingTokens: number | null;
  answerTokens: number | null;
  tokenSource: TokenSource | null;
}

/** Tokens of `cur` at the original's tokens per character (`ratio` when the original part was empty). */
function scaled(stored: number | null, origChars: number, cur: string, ratio: number | null): number | null {
  if (stored === null) return null;
  if (cur.length === 0) return 0;
  if (origChars > 0) return Math.max(1, Math.round((stored * cur.length) / origChars));
  return Math.max(1, Math.round(cur.length * (ratio ?? 0.25)));
}

/**
 * Token counts of the exported text of every sample. With a student tokenizer: every sample in it (the thinking
 * through the per-trace count cache the review queue and curation share, when the exported text is the stored
 * one). Without: the teacher's stored counts, and for edited samples the same unit recounted (see TokenSource).
 */
export function countSampleTokens(db: DB, inputs: readonly CountInput[]): { tokenizer: ExportTokenizer; counts: Counted[] } {
  const dir = studentDir(db);
  if (dir) {
    const student = loadTokenizerFile(path.join(dir, 'tokenizer.json'));
    const cached = cachedStudentCounts(
      db,
      student,
      inputs.filter((s) => s.rawThinking === s.thinking).map((s) => s.traceId),
    );
    const counts = inputs.map((s) => ({
      thinkingTokens: cached.get(s.traceId) ?? fastCount(student, s.thinking),
      answerTokens: fastCount(student, s.answer),
      tokenSource: 'student' as const,
    }));
    return { tokenizer: { source: 'student', dir }, counts };
  }

  const teacherToks = new Map<string, LoadedTokenizer | null>();
  const teacherTok = (model: string | null): LoadedTokenizer | null => {
    if (!model) return null;
    if (!teacherToks.has(model)) teacherToks.set(model, tokenizerForModel(model));
    return teacherToks.get(model) ?? null;
  };
  const counts = inputs.map((s): Counted => {
    const none = s.storedThinking === null && s.storedAnswer === null;
    if (!s.edited) return { thinkingTokens: s.storedThinking, answerTokens: s.storedAnswer, tokenSource: none ? null : 'stored' };
    const tok = teacherTok(s.teacherModel);
    if (tok) return { thinkingTokens: fastCount(tok, s.thinking), answerTokens: fastCount(tok, s.answer), tokenSource: 'teacher-tokenizer' };
    if (none) return { thinkingTokens: null, answerTokens: null, tokenSource: null };
    const o = originalRevision(db, s.traceId);
    const ot = o?.thinking.trim().length ?? 0;
    const oa = o?.answer.trim().length ?? 0;
    const total = (s.storedThinking ?? 0) + (s.storedAnswer ?? 0);
    const ratio = ot + oa > 0 && total > 0 ? total / (ot + oa) : null;
    return { thinkingTokens: scaled(s.storedThinking, ot, s.thinking, ratio), answerTokens: scaled(s.storedAnswer, oa, s.answer, ratio), tokenSource: 'estimate' };
  });
  return { tokenizer: { source: 'stored', dir: null }, counts };
}
