import { REVIEW_STATUSES, setStatusForQuestions, type ReviewStatus } from '../../core/review/decisions';
import { latestFrozenRun } from '../../core/curate/frozen';
import { hasSelection, outsideSelection, queueCounts } from '../../core/review/queue';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `review PROJECT --set STATUS --ids ID,ID… [--reviewer NAME] [--comment TEXT] [--json]`; without --set: the counts. */
export async function runReview(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'review',
    args,
    { set: { type: 'string' }, ids: { type: 'string' }, reviewer: { type: 'string' }, comment: { type: 'string' }, json: { type: 'boolean' } },
    ['PROJECT'],
  );
  const status = values.set;
  if (status === undefined) {
    if (values.ids !== undefined) throw new UsageError('review: --ids needs --set accepted|rejected|todo|needs_work.');
    const p = openProject(positionals[0] as string);
    try {
      const c = queueCounts(p.db);
      io.stdout(values.json ? JSON.stringify(c) : `${c.label} (${c.scope}): ${c.accepted} accepted, ${c.rejected} rejected, ${c.needsWork} need work, ${c.todo} to do.`);
    } finally {
      p.close();
    }
    return 0;
  }
  if (!(REVIEW_STATUSES as readonly string[]).includes(status)) throw new UsageError(`review: --set must be one of ${REVIEW_STATUSES.join(', ')}, not "${status}".`);
  const raw = (values.ids) ?? '';
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new UsageError('review: --ids needs at least one question id, as in --ids 12,15,40.');
  const bad = parts.filter((s) => !/^\d+$/.test(s) || Number(s) < 1);
  if (bad.length) throw new UsageError(`review: --ids takes question ids (whole numbers) separated by commas; "${bad[0]}" is not one.`);
  const ids = parts.map(Number);
  const p = openProject(positionals[0] as string);
  try {
    const r = setStatusForQuestions(p.db, ids, status as ReviewStatus, (values.reviewer) ?? null, (values.comment) ?? null);
    const c = queueCounts(p.db);
    // The decision is stored either way, but an export of the frozen selection leaves these questions out.
    const outside = outsideSelection(p.db, r.questionIds);
    if (values.json) io.stdout(JSON.stringify({ updated: r.updated, status: r.status, questionIds: r.questionIds, traceIds: r.traceIds, reviewed: c.reviewed, total: c.total, outside_selection: outside }));
    else {
      io.stdout(`Marked ${r.updated} sample${r.updated === 1 ? '' : 's'} ${status.replace('_', ' ')}. ${c.label}.`);
      for (const id of outside) {
        io.stderr(`warning: question ${id} is outside the frozen curation selection, so the export (which takes the selection) leaves it out; pin it in Curate and freeze again, or export with --scope pool.`);
      }
      // A frozen run that kept nothing leaves the selection empty: the export then takes the pool, so the decision counts.
      if (!hasSelection(p.db) && latestFrozenRun(p.db)) {
        io.stderr('note: the frozen curation selection is empty, so the export takes the whole pool and includes this decision; freeze a non-empty selection in Curate to export only curated questions.');
      }
    }
  } finally {
    p.close();
  }
  return 0;
}
