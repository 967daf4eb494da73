import { JobRunner } from '../../core/jobs';
import { openProject } from '../../core/store/project';
import { verifyKind } from '../../core/verify/job';
import { verdictSummary } from '../../core/verify/store';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `distillery verify PROJECT [--judge TEACHER] [--mode fallback|always] [--unchecked] [--json]` */
export async function runVerify(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'verify',
    args,
    { judge: { type: 'string' }, mode: { type: 'string' }, unchecked: { type: 'boolean' }, json: { type: 'boolean' } },
    ['PROJECT'],
  );
  const mode = (values.mode) ?? 'fallback';
  if (mode !== 'fallback' && mode !== 'always' && mode !== 'never') throw new UsageError(`verify: --mode must be fallback, always or never, not "${mode}".`);
  if (mode === 'always' && !values.judge) throw new UsageError('verify: --mode always needs --judge TEACHER.');
  const project = openProject(positionals[0] as string);
  try {
    const runner = new JobRunner(project).register(verifyKind);
    const id = runner.start('verify', { judge: values.judge, mode, scope: values.unchecked ? 'unchecked' : 'all' });
    const job = await runner.wait(id);
    if (job.status !== 'done') {
      io.stderr(`distillery: the verification job stopped (${job.status})${job.error ? `: ${job.error}` : ''}.`);
      return 1;
    }
    const s = verdictSummary(project.db);
    if (values.json) {
      io.stdout(
        JSON.stringify({ job: id, checked: s.checked, equivalent: s.equivalent, not_equivalent: s.notEquivalent, undecided: s.undecided, by_method: s.byMethod, failed: job.failed }),
      );
    } else {
      io.stdout(`Checked ${s.checked} of ${s.traces} traces: ${s.equivalent} correct, ${s.notEquivalent} wrong, ${s.undecided} undecided.`);
      for (const [m, n] of Object.entries(s.byMethod)) io.stdout(`  ${m.padEnd(10)} ${n}`);
    }
    return 0;
  } finally {
    project.close();
  }
}
