/**
 * The answer checker's version and the rules that decide a verdict. An evaluation report pins them, so a
 * number can be traced to the checker that produced it: bump CHECKER_VERSION whenever a change to
 * extract.ts, normalize.ts, compare.ts or equivalence.ts can turn a verdict (README "Decisions" lists them).
 */
import { LIMITS } from './types';

export const CHECKER_VERSION = '1.0.0';

/** What a report prints about the rules (the tolerances and sample points mirror compare.ts's constants). */
export const CHECKER_RULES = {
  extraction: 'after the last end-of-thinking delimiter: last \\boxed{} → last "Answer:"/"Final Answer:" line → "answer is …" → a short bare line → last $…$ → last number',
  relativeTolerance: 1e-6,
  exactTolerance: 1e-9,
  absoluteToleranceNearZero: 1e-12,
  symbolicSamplePoints: [0.7318, 1.6203, 2.4471],
  limits: LIMITS,
} as const;
