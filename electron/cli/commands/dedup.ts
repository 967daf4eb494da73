import { runDedup } from '../../core/pool/dedup';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `distillery dedup PROJECT [--threshold 0.8] [--json]` */
export async function runDedupCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('dedup', args, { threshold: { type: 'string' }, json: { type: 'boolean' } }, ['PROJECT']);
  const raw = values.threshold as string | undefined;
  const threshold = raw === undefined ? 0.8 : Number(raw);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) throw new UsageError(`dedup: --threshold must be a number above 0 and at most 1, not "${raw}".`);
  const p = openProject(positionals[0] as string);
  try {
    const r = runDedup(p, { threshold });
    if (values.json) io.stdout(JSON.stringify({ checked: r.checked, clusters: r.clusters, removed: r.removed }));
    else io.stdout(`Checked ${r.checked} questions: ${r.clusters} duplicate clusters (${r.exactClusters} exact, ${r.nearClusters} near, Jaccard ≥ ${threshold}); ${r.removed} duplicates excluded, one kept per cluster.`);
  } finally {
    p.close();
  }
  return 0;
}
