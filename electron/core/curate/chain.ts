/**
 * LIMO's chain-quality ranking, made measurable. LIMO's authors ranked the reasoning chains they kept by
 * elaborated reasoning (length), self-verification and exploration of alternatives. Here each is counted in
 * the thinking text and combined into one integer score (larger is better), so a ranking is reproducible and
 * its parts can be shown in "Why?".
 */

const VERIFY = /\b(?:verify|verifies|verified|verifying|double[- ]check|check(?:ing|s)?|confirm(?:s|ed|ing)?|wait)\b/gi;
const EXPLORE = /\b(?:alternatively|perhaps|maybe|another (?:way|approach|method)|what if|let me try|suppose|instead)\b/gi;

export interface ChainCues {
  words: number;
  /** Self-verification cues ("check", "verify", "wait", "confirm"). */
  verify: number;
  /** Exploration cues ("alternatively", "perhaps", "another approach", "what if"). */
  explore: number;
}

export function chainCues(thinking: string): ChainCues {
  const words = thinking.split(/\s+/).filter(Boolean).length;
  return { words, verify: (thinking.match(VERIFY) ?? []).length, explore: (thinking.match(EXPLORE) ?? []).length };
}

/**
 * score = 10·log2(1 + words) + 3·min(verify, 10) + 2·min(explore, 10), rounded. Length counts with diminishing
 * returns; each cue kind is capped at 10 so that a chain repeating "wait" does not outrank a careful one.
 */
export function chainScore(c: ChainCues): number {
  return Math.round(10 * Math.log2(1 + c.words) + 3 * Math.min(c.verify, 10) + 2 * Math.min(c.explore, 10));
}
