import { JobRunner } from '../../core/jobs';
import { AUGMENT_KIND, augmentKind, augmentSummary, type AugmentInput } from '../../core/augment/augment';
import { AUGMENT_KINDS, type AugmentKind } from '../../core/augment/prompts';
import { openProject } from '../../core/store/project';
import { getTeacher } from '../../core/teacher/store';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `augment PROJECT --teacher T --ids 1,2|--all --kinds paraphrase,numbers,harder,translate [--max-tokens N] [--json]` */
export async function runAugment(args: string[], io: CliIO): Promise<number> {
  const cmd = 'augment';
  const { values, positionals } = parse(
    cmd,
    args,
    { teacher: { type: 'string' }, ids: { type: 'string' }, all: { type: 'boolean' }, kinds: { type: 'string' }, 'max-tokens': { type: 'string' }, json: { type: 'boolean' } },
    ['PROJECT'],
  );
  const teacher = values.teacher;
  if (!teacher) throw new UsageError('augment: --teacher NAME is required (add one with "distillery teacher add").');
  if (Boolean(values.ids) === Boolean(values.all)) throw new UsageError('augment: give either --ids ID,ID... or --all.');
  const kinds = (values.kinds ?? 'paraphrase').split(',').map((k) => k.trim()).filter(Boolean);
  const bad = kinds.find((k) => !(AUGMENT_KINDS as readonly string[]).includes(k));
  if (bad !== undefined || !kinds.length) throw new UsageError(`augment: --kinds takes ${AUGMENT_KINDS.join(', ')} (comma-separated), not "${bad ?? ''}".`);
  let questions: AugmentInput['questions'] = { mode: 'all' };
  if (values.ids) {
    const ids = values.ids.split(',').map((s) => s.trim());
    const badId = ids.find((s) => !/^[1-9]\d*$/.test(s));
    if (badId !== undefined) throw new UsageError(`augment: --ids takes question ids separated by commas, and "${badId}" is not one.`);
    questions = { mode: 'ids', ids: ids.map(Number) };
  }
  const maxTokens = intFlag(cmd, 'max-tokens', values['max-tokens'], 1, 10_000_000);
  const project = openProject(positionals[0] as string);
  const runner = new JobRunner(project).register(augmentKind);
  try {
    getTeacher(project.db, teacher);
    const id = runner.start(AUGMENT_KIND, { teacher, questions, kinds: [...new Set(kinds)] as AugmentKind[], maxTokens: maxTokens ?? null });
    const job = await runner.wait(id);
    const s = augmentSummary(project.db, id);
    if (values.json) io.stdout(JSON.stringify({ job: id, status: job.status, added: s.added, dropped: s.dropped, refused: s.refused, failed: job.failed, outcomes: s.outcomes }));
    else {
      io.stdout(`Augmentation job ${id} ${job.status}: ${s.added} variants added, ${s.dropped} dropped, ${s.refused} refused, ${job.failed} failed.`);
      for (const o of s.outcomes) io.stdout(`  #${o.parent} ${o.kind.padEnd(10)} ${o.status.padEnd(7)} ${o.status === 'added' ? `→ #${o.question}` : (o.reason ?? '')}`);
    }
    return job.status === 'done' ? (job.failed ? 1 : 0) : 1;
  } finally {
    await runner.close();
    project.close();
  }
}
