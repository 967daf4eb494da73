/**
 * How far a judge can be trusted: its agreement with the user's own right/wrong marks (and with a second
 * judge). Accuracy alone flatters a judge that passes everything when most answers pass; Cohen's kappa
 * discounts the agreement expected by chance.
 */
export interface Agreement {
  n: number;
  agree: number;
  accuracy: number | null;
  /** null when it is undefined: both raters gave every item the same label (chance agreement is 1). */
  kappa: number | null;
}

/** Agreement of two raters on pass/fail labels, pair by pair. */
export function agreementOf(pairs: readonly (readonly [boolean, boolean])[]): Agreement {
  const n = pairs.length;
  if (!n) return { n: 0, agree: 0, accuracy: null, kappa: null };
  let agree = 0;
  let a1 = 0;
  let b1 = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    if (a) a1++;
    if (b) b1++;
  }
  const po = agree / n;
  const pe = (a1 / n) * (b1 / n) + (1 - a1 / n) * (1 - b1 / n);
  const kappa = pe >= 1 - 1e-12 ? null : (po - pe) / (1 - pe);
  return { n, agree, accuracy: po, kappa };
}

/** Marks needed before a judge's agreement means anything, and the agreement it must reach. */
export const MIN_MARKS = 20;
export const MIN_AGREEMENT = 0.8;

/** Why the judge is not yet to be trusted on the pool, or null when it may be. */
export function trustWarning(a: Agreement): 'too_few_marks' | 'low_agreement' | null {
  if (a.n < MIN_MARKS) return 'too_few_marks';
  if ((a.accuracy ?? 0) < MIN_AGREEMENT) return 'low_agreement';
  return null;
}
