import { applyDedup, proposalSummary, proposeDedup, undoDedup } from '../../core/pool/dedup';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/**
 * `distillery dedup PROJECT [--threshold 0.8] [--apply | --undo] [--json]`: without a flag it prints the
 * proposal and excludes nothing; `--apply` excludes what it proposes (the UI's confirm); `--undo` restores
 * the questions the last applied dedup excluded.
 */
export async function runDedupCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('dedup', args, { threshold: { type: 'string' }, apply: { type: 'boolean' }, undo: { type: 'boolean' }, json: { type: 'boolean' } }, ['PROJECT']);
  const raw = values.threshold;
  const threshold = raw === undefined ? 0.8 : Number(raw);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) throw new UsageError(`dedup: --threshold must be a number above 0 and at most 1, not "${raw}".`);
  if (values.apply && values.undo) throw new UsageError('dedup: choose --apply or --undo, not both.');
  const p = openProject(positionals[0] as string);
  try {
    if (values.undo) {
      const r = undoDedup(p);
      if (values.json) io.stdout(JSON.stringify({ undone: r.application, restored: r.restored }));
      else io.stdout(r.application === null ? 'No applied dedup to undo.' : `Undid dedup #${r.application}: ${r.restored} questions are back in the pool.`);
      return 0;
    }
    const r = proposeDedup(p, { threshold });
    const applied = values.apply ? applyDedup(p) : null;
    if (values.json) {
      io.stdout(
        JSON.stringify({
          checked: r.checked,
          clusters: r.clusters,
          exact_clusters: r.exactClusters,
          near_clusters: r.nearClusters,
          would_remove: r.wouldRemove,
          numbers_differ: r.numbersDiffer,
          threshold,
          applied: applied ? { application: applied.application, excluded: applied.excluded } : null,
          last_applied: proposalSummary(p).lastApplied,
        }),
      );
    } else {
      io.stdout(
        `Checked ${r.checked} questions: ${r.clusters} duplicate clusters (${r.exactClusters} exact, ${r.nearClusters} near, Jaccard ≥ ${threshold}); ` +
          `${r.wouldRemove} would be excluded, one kept per cluster; ${r.numbersDiffer} look alike but differ in their numbers and are kept.`,
      );
      if (applied) io.stdout(`Applied: ${applied.excluded} questions excluded as duplicates (distillery dedup ${positionals[0]} --undo restores them).`);
      else io.stdout('Nothing was excluded: review the clusters in the Questions step, or run again with --apply.');
    }
  } finally {
    p.close();
  }
  return 0;
}
