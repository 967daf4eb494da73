import { message, type EngineMessage } from '../util/messages';
import type { Decision } from './pipeline';

/** Why a quality rule drops a question, and what the user can do about it; one clause per rule, with its code. */
const WHY: Record<string, { code: string; text: string }> = {
  missing_thinking: {
    code: 'curate_drop_missing_thinking',
    text: 'they have no thinking — the teacher does not reason; turn on the reasoning prompt (or split mode) in Teacher, then generate again with "redo answers without thinking"',
  },
  no_trace: { code: 'curate_drop_no_trace', text: 'they have no trace yet — generate traces in the Traces step first' },
  generation_failed: {
    code: 'curate_drop_generation_failed',
    text: 'their generation failed — the Traces step (or "distillery traces PROJECT --json") says why; fix the teacher and generate again',
  },
  unterminated_thinking: {
    code: 'curate_drop_unterminated_thinking',
    text: 'their thinking never ended (no </think>) — the answers were usually cut at the token limit; raise max tokens and generate again',
  },
  unextractable_answer: {
    code: 'curate_drop_unextractable_answer',
    text: "no final answer could be found in them — ask for the answer in \\boxed{} in the teacher's prompt template",
  },
  repetition: { code: 'curate_drop_repetition', text: 'their thinking repeats itself more than the repetition limit allows' },
  wrong_language: { code: 'curate_drop_wrong_language', text: 'they are not in the language the recipe asks for' },
  thinking_length: { code: 'curate_drop_thinking_length', text: 'their thinking is outside the length limits of the recipe' },
  wrong_answer: { code: 'curate_drop_wrong_answer', text: 'their answer was checked and is wrong' },
};

/**
 * A note for every quality rule that drops most (more than half) of what entered the quality stage: a recipe
 * that keeps 0 of 40 must say which rule did it and why, not leave the user to read 40 decisions.
 */
export function dominantDropNotes(decisions: readonly Decision[], entered: number): EngineMessage[] {
  if (entered === 0) return [];
  const by = new Map<string, number>();
  for (const d of decisions) if (d.stage === 'quality' && !d.kept) by.set(d.rule, (by.get(d.rule) ?? 0) + 1);
  const notes: EngineMessage[] = [];
  for (const [rule, n] of [...by].sort((a, b) => b[1] - a[1])) {
    if (n * 2 <= entered) continue;
    const format = rule.startsWith('format:') ? rule.slice(7) : null;
    const why = WHY[rule] ?? (format !== null ? { code: 'curate_drop_format', text: `they match the formatting rule "${format}"` } : { code: 'curate_drop_rule', text: `of the rule ${rule}` });
    notes.push(message(why.code, { n, entered, rule: format ?? rule }, `quality: ${n} of ${entered} dropped because ${why.text}.`));
  }
  return notes;
}
