/**
 * The parse flags that describe a trace's text (missing or empty thinking, no answer, a think tag in the
 * answer) follow its current text: a reviewer who writes the missing thinking in Review removes the
 * "missing thinking" flag, an undo back to the teacher's text brings it back. Flags about how the text was
 * produced (truncated, split_thinking, tokens_estimated, text_before_think …) stay as generated.
 */
const THINKING_FLAGS = ['no_thinking', 'empty_thinking', 'unterminated_thinking'];

export function currentFlags(flags: readonly string[], thinking: string | null, answer: string | null): string[] {
  const hasThinking = (thinking ?? '').trim() !== '';
  const hasAnswer = (answer ?? '').trim() !== '';
  const kept = flags.filter((f) => !(hasThinking && THINKING_FLAGS.includes(f)) && f !== 'no_answer' && f !== 'think_tag_in_answer');
  if (!hasThinking && !kept.some((f) => THINKING_FLAGS.includes(f))) kept.push('no_thinking');
  if (!hasAnswer) kept.push('no_answer');
  if (answer && /<\/?think>/.test(answer)) kept.push('think_tag_in_answer');
  return kept;
}

/** The stored flags column (JSON or null) after the trace's text became `thinking` / `answer`; null when none. */
export function storedFlagsFor(stored: string | null, thinking: string | null, answer: string | null): string | null {
  const next = currentFlags(stored ? (JSON.parse(stored) as string[]) : [], thinking, answer);
  return next.length ? JSON.stringify(next) : null;
}
