/** The outcome of one answer check. `equivalent: null` means "could not decide". */
export type Verdict = {
  equivalent: boolean | null;
  method: VerdictMethod;
  reason: string;
  extracted: string | null;
};

export type VerdictMethod =
  | 'exact'
  | 'numeric'
  | 'symbolic'
  | 'set'
  | 'tuple'
  | 'interval'
  | 'choice'
  | 'text'
  | 'judge'
  | 'none';

export type CheckOptions = {
  /** Relative tolerance for comparisons that involve a decimal literal (default 1e-6). */
  relTol?: number;
  /** Skip answer extraction: treat `answer` as a bare answer. */
  bare?: boolean;
};

export type Extraction = { extracted: string | null; how: string };

/**
 * Hard limits applied before anything reaches a parser. They keep every check bounded
 * (the spec asks for < 100 ms on hostile input) and are far above any real answer.
 */
export const LIMITS = {
  /** Longest bare answer we try to interpret. */
  maxAnswerChars: 2000,
  /** Deepest brace / bracket nesting we accept. */
  maxDepth: 40,
  /** Largest absolute exponent literal; 2^{1009} is a real answer, 10^{100000} is an attack. */
  maxExponent: 2000,
  /** Longest run of digits in one number literal. */
  maxDigits: 300,
} as const;
