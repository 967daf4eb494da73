import type { ReviewStatus } from './decisions';

export type { ReviewStatus };

export const REVISION_KINDS = ['original', 'edit', 'undo', 'regenerate', 'import', 'merge'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

export interface Texts {
  thinking: string;
  answer: string;
}

export interface VerdictInfo {
  equivalent: boolean | null;
  method: string;
  reason: string;
  extracted: string | null;
}

export interface TokenCounts {
  thinking: number;
  answer: number;
  source: 'student' | 'estimate';
}

export interface MergedTexts extends Texts {
  /** False when overlapping changes left conflict markers in the text. */
  clean: boolean;
}

export interface Conflict {
  base: Texts & { n: number };
  mine: Texts;
  theirs: Texts & { n: number; author: string | null; at: string };
  merged: MergedTexts;
}

export type SaveResult =
  | {
      ok: true;
      head: number;
      revision: number;
      coalesced: boolean;
      unchanged: boolean;
      answerChanged: boolean;
      verdict: VerdictInfo | null;
      tokens: TokenCounts;
    }
  | { ok: false; head: number; conflict: Conflict };

export interface RevisionSummary {
  n: number;
  kind: RevisionKind;
  author: string | null;
  /** The last save folded into this revision. */
  at: string;
  createdAt: string;
  saves: number;
  thinkingChars: number;
  answerChars: number;
  restoredFrom: number | null;
  note: Record<string, unknown> | null;
}

export interface RevisionText extends Texts {
  n: number;
  kind: RevisionKind;
  author: string | null;
  at: string;
}

export type TokenizerInfo = { source: 'student'; dir: string } | { source: 'stored'; dir: null };
