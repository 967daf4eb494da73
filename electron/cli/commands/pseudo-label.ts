import { JobRunner } from '../../core/jobs';
import { pseudoKind, pseudoSummary, runPseudoLabels } from '../../core/augment/pseudo';
import { openProject } from '../../core/store/project';
import { generateKind } from '../../core/teacher/generate';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `pseudo-label PROJECT --teacher T [--samples K] [--min-agreement A] [--judge TEACHER] [--json]` */
export async function runPseudoLabel(args: string[], io: CliIO): Promise<number> {
  const cmd = 'pseudo-label';
  const { values, positionals } = parse(
    cmd,
    args,
    { teacher: { type: 'string' }, samples: { type: 'string' }, 'min-agreement': { type: 'string' }, judge: { type: 'string' }, json: { type: 'boolean' } },
    ['PROJECT'],
  );
  const teacher = values.teacher;
  if (!teacher) throw new UsageError('pseudo-label: --teacher NAME is required (add one with "distillery teacher add").');
  const samples = intFlag(cmd, 'samples', values.samples, 2, 64) ?? 8;
  const a = values['min-agreement'];
  // "0.75" or "6/8": both say what share of the samples must agree.
  const frac = a === undefined ? 0.6 : /^\d+\/\d+$/.test(a) ? Number(a.split('/')[0]) / Number(a.split('/')[1]) : Number(a);
  if (!Number.isFinite(frac) || frac < 0 || frac > 1) throw new UsageError(`pseudo-label: --min-agreement must be a share from 0 to 1 (0.75) or a fraction (6/8), not "${a}".`);
  const project = openProject(positionals[0] as string);
  const runner = new JobRunner(project).register(generateKind).register(pseudoKind);
  try {
    const r = await runPseudoLabels(runner, { teacher, samples, minAgreement: frac, judge: values.judge }, (kind, id) => {
      if (!values.json) io.stderr(kind === 'generate' ? `Generating the missing samples (job ${id}, ${samples} per question)…` : `Grouping the answers (job ${id})…`);
    });
    const job = runner.get(r.labelJob);
    const s = pseudoSummary(project.db);
    if (values.json) io.stdout(JSON.stringify({ generate_job: r.generateJob, label_job: r.labelJob, generated_for: r.generated, labelled: s.labelled, unsure: s.unsure, unanswered: s.unanswered, failed: job?.failed ?? 0, histogram: s.histogram }));
    else {
      io.stdout(`${s.labelled} of ${s.unanswered} questions without an answer have a pseudo-label; ${s.unsure} are "teacher unsure" (agreement below ${frac}).`);
      for (const b of s.histogram) if (b.count) io.stdout(`  agreement ${b.bucket}  ${b.count}`);
    }
    return job?.status === 'done' && !job.failed ? 0 : 1;
  } finally {
    await runner.close();
    project.close();
  }
}
