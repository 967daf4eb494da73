import { checkEquivalence, extractAnswer } from '../verify';

/** One teacher sample of a question: its trace and the final answer part of the response. */
export interface Sample {
  traceId: number;
  sampleIndex: number;
  response: string | null;
}

export interface AnswerGroup {
  /** The answer as most members wrote it (ties: the earliest sample). */
  answer: string;
  votes: number;
  traceIds: number[];
  /** Every distinct form in the group (e.g. 0.5, 1/2, \frac{1}{2}). */
  forms: string[];
}

export interface Vote {
  /** The largest group's answer, or null when no sample has a final answer. */
  answer: string | null;
  votes: number;
  samples: number;
  agreement: number;
  groups: AnswerGroup[];
  /** Samples whose response has no final answer: they count in `samples` but vote for nothing. */
  noAnswer: number;
  /** Pairs the rules could not decide that the judge decided. */
  judged: number;
}

/** Says whether two free-text answers mean the same (the LLM judge); null when it cannot say. */
export type SameAnswer = (a: string, b: string) => Promise<boolean | null>;

/**
 * Groups the final answers of K samples so that equivalent answers vote together ("0.5", "1/2" and
 * "\frac{1}{2}" are one vote each for the same group), and returns the majority. Pairs are compared with the
 * answer checker in both directions (it is not symmetric for lists against tuples); only a pair the rules
 * cannot decide, or free text they find different, goes to `same` (the judge), when given. An answer joins the first group holding a member equivalent to it.
 */
export async function voteAnswers(samples: readonly Sample[], same?: SameAnswer): Promise<Vote> {
  const groups: { members: { traceId: number; form: string }[] }[] = [];
  let noAnswer = 0;
  let judged = 0;
  const sorted = [...samples].sort((a, b) => a.sampleIndex - b.sampleIndex || a.traceId - b.traceId);
  for (const s of sorted) {
    const form = s.response ? extractAnswer(s.response).extracted?.trim() : undefined;
    if (!form) {
      noAnswer++;
      continue;
    }
    let home: (typeof groups)[number] | undefined;
    for (const g of groups) {
      for (const m of g.members) {
        const r = equivalent(form, m.form);
        let eq = r.eq;
        // Words the rules cannot match literally ("Paris" / "the capital is Paris") are the judge's to decide.
        if (eq !== true && r.freeText && same) {
          eq = await same(m.form, form);
          if (eq !== null) judged++;
        }
        if (eq) {
          home = g;
          break;
        }
      }
      if (home) break;
    }
    if (home) home.members.push({ traceId: s.traceId, form });
    else groups.push({ members: [{ traceId: s.traceId, form }] });
  }
  const out: AnswerGroup[] = groups.map((g) => {
    const counts = new Map<string, number>();
    for (const m of g.members) counts.set(m.form, (counts.get(m.form) ?? 0) + 1);
    let best = '';
    let bestN = 0;
    for (const [f, n] of counts) if (n > bestN) [best, bestN] = [f, n];
    return { answer: best, votes: g.members.length, traceIds: g.members.map((m) => m.traceId), forms: [...counts.keys()] };
  });
  // Largest first; a tie keeps the group that appeared first (the earlier sample).
  const ranked = out.map((g, i) => ({ g, i })).sort((a, b) => b.g.votes - a.g.votes || a.i - b.i).map((x) => x.g);
  const top = ranked[0];
  const n = samples.length;
  return { answer: top?.answer ?? null, votes: top?.votes ?? 0, samples: n, agreement: n ? (top?.votes ?? 0) / n : 0, groups: ranked, noAnswer, judged };
}

function equivalent(a: string, b: string): { eq: boolean | null; freeText: boolean } {
  const x = checkEquivalence(a, b, { bare: true });
  if (x.equivalent === true) return { eq: true, freeText: false };
  const y = checkEquivalence(b, a, { bare: true });
  if (y.equivalent === true) return { eq: true, freeText: false };
  const freeText = [x, y].some((v) => v.equivalent === null || v.method === 'text');
  return { eq: x.equivalent === false || y.equivalent === false ? false : null, freeText };
}
