import type { BandResult } from '../../core/curate/bands';
import type { explain } from '../../core/curate/runs';

type Explanation = ReturnType<typeof explain>;

/** One band as a phrase: `band "strong" (strong-14b): solved 2 of 8, keeps 1–3 of 8 → inside`. */
export function bandPhrase(b: BandResult): string {
  const where = b.inBand === null ? 'not judged (no checked sample)' : b.inBand ? 'inside' : 'outside';
  const who = b.role === 'student' ? `the student ${b.model}` : b.model;
  return `band "${b.name}" (${who}): solved ${b.solved} of ${b.attempts}${b.attempts < b.k && b.attempts > 0 ? ` (of k = ${b.k})` : ''}, keeps ${b.min}–${b.max} of ${b.k} → ${where}`;
}

/** `distillery curate PROJECT --explain ID` without --json: the decision, the band it fell in, the traces kept. */
export function explainLines(x: Explanation): string[] {
  const d = x.decision;
  const where = x.runId ? `run ${x.runId}${x.preset ? `, preset ${x.preset}` : ''}` : 'default recipe, not stored';
  if (!d) return [`Question ${x.questionId} has no decision (${where}).`];
  const lines = [`Question ${x.questionId} (${where}): ${d.kept ? 'kept' : 'dropped'} at ${d.stage} (${d.rule}).`];
  const dropped = d.rule === 'outside_band' ? (d.detail.band as BandResult) : null;
  if (dropped) lines.push(`It fell outside ${bandPhrase(dropped)}.`);
  for (const b of x.bands) if (!dropped || b.name !== dropped.name) lines.push(`${b.inBand === false ? 'Also' : 'Passed'}: ${bandPhrase(b)}.`);
  const traces = d.detail.traces as number[] | undefined;
  if (traces && traces.length > 1) lines.push(`Kept ${traces.length} verified traces: ${traces.join(', ')}.`);
  const chain = d.detail.chain as { score: number; words: number; verify: number; explore: number } | undefined;
  if (chain) lines.push(`Chain quality ${chain.score} (${chain.words} words, ${chain.verify} self-checks, ${chain.explore} alternatives explored); picked #${String(d.detail.order ?? '—')}.`);
  const { band: _b, bands: _bs, traces: _t, chain: _c, ...rest } = d.detail;
  if (Object.keys(rest).length) lines.push(`Details: ${JSON.stringify(rest)}`);
  return lines;
}
