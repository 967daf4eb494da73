import type { Decision } from './pipeline';

/** Why a quality rule drops a question, and what the user can do about it; one clause per rule. */
const WHY: Record<string, string> = {
  missing_thinking:
    'they have no thinking — the teacher does not reason; turn on the reasoning prompt (or split mode) in Teacher, then generate again with "redo answers without thinking"',
  no_trace: 'they have no trace yet — generate traces in the Traces step first',
  generation_failed: 'their generation failed — the Traces step (or "distillery traces PROJECT --json") says why; fix the teacher and generate again',
  unterminated_thinking: 'their thinking never ended (no </think>) — the answers were usually cut at the token limit; raise max tokens and generate again',
  unextractable_answer: 'no final answer could be found in them — ask for the answer in \\boxed{} in the teacher\'s prompt template',
  repetition: 'their thinking repeats itself more than the repetition limit allows',
  wrong_language: 'they are not in the language the recipe asks for',
  thinking_length: 'their thinking is outside the length limits of the recipe',
  wrong_answer: 'their answer was checked and is wrong',
};

/**
 * A note for every quality rule that drops most (more than half) of what entered the quality stage: a recipe
 * that keeps 0 of 40 must say which rule did it and why, not leave the user to read 40 decisions.
 */
export function dominantDropNotes(decisions: readonly Decision[], entered: number): string[] {
  if (entered === 0) return [];
  const by = new Map<string, number>();
  for (const d of decisions) if (d.stage === 'quality' && !d.kept) by.set(d.rule, (by.get(d.rule) ?? 0) + 1);
  const notes: string[] = [];
  for (const [rule, n] of [...by].sort((a, b) => b[1] - a[1])) {
    if (n * 2 <= entered) continue;
    const why = WHY[rule] ?? (rule.startsWith('format:') ? `they match the formatting rule "${rule.slice(7)}"` : `of the rule ${rule}`);
    notes.push(`quality: ${n} of ${entered} dropped because ${why}.`);
  }
  return notes;
}
