import { JobRunner } from '../../core/jobs';
import { listEvalsets, runDecontamination } from '../../core/pool/decontam';
import { previewSynthesis } from '../../core/docs/preview';
import { QUESTION_TYPES, type QuestionType } from '../../core/docs/prompt';
import { synthOutcomes } from '../../core/docs/store';
import { startOrResumeSynthesis, synthKind, type SynthInput } from '../../core/docs/synth';
import { openProject } from '../../core/store/project';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

/**
 * `synthesize PROJECT --teacher T [--per-chunk N] [--types a,b] [--language en|zh|auto] [--documents ID,ID]
 * [--concurrency N] [--preview] [--json]`: the durable job lives in core/docs (the Sources tab starts the same one).
 */
export async function runSynthesize(args: string[], io: CliIO): Promise<number> {
  const cmd = 'synthesize';
  const { values, positionals } = parse(
    cmd,
    args,
    { teacher: { type: 'string' }, 'per-chunk': { type: 'string' }, types: { type: 'string' }, language: { type: 'string' }, documents: { type: 'string' }, concurrency: { type: 'string' }, 'max-tokens': { type: 'string' }, preview: { type: 'boolean' }, json: { type: 'boolean' } },
    ['PROJECT'],
  );
  if (!values.teacher) throw new UsageError('synthesize: --teacher NAME is required (add one with "distillery teacher add").');
  const input: SynthInput = { teacher: values.teacher };
  input.perChunk = intFlag(cmd, 'per-chunk', values['per-chunk'], 1, 20);
  input.concurrency = intFlag(cmd, 'concurrency', values.concurrency, 1, 64);
  input.maxTokens = intFlag(cmd, 'max-tokens', values['max-tokens'], 64, 100_000);
  if (values.types) {
    const types = values.types.split(',').map((s) => s.trim().replace(/-/g, '_'));
    const bad = types.find((t) => !(QUESTION_TYPES as readonly string[]).includes(t));
    if (bad) throw new UsageError(`synthesize: --types: "${bad}" is not a question type; choose from ${QUESTION_TYPES.join(', ')}.`);
    input.types = types as QuestionType[];
  }
  if (values.language) {
    if (!['en', 'zh', 'auto'].includes(values.language)) throw new UsageError(`synthesize: --language must be en, zh or auto, not "${values.language}".`);
    input.language = values.language as 'en' | 'zh' | 'auto';
  }
  if (values.documents) input.documents = values.documents.split(',').map((s) => intFlag(cmd, 'documents', s.trim(), 1, 2 ** 31) as number);
  for (const k of Object.keys(input) as (keyof SynthInput)[]) if (input[k] === undefined) delete input[k];
  const json = Boolean(values.json);
  const project = openProject(positionals[0]!);
  const runner = new JobRunner(project).register(synthKind);
  let jobId = 0;
  const onSignal = () => runner.pause(jobId);
  try {
    if (values.preview) {
      const p = await previewSynthesis(project, input);
      if (json) io.stdout(JSON.stringify(p));
      else {
        for (const it of p.items) io.stdout(`[${it.status}] ${it.document}${it.headingPath.length ? ` › ${it.headingPath.join(' › ')}` : ''}: ${it.question ?? '(no question)'}${it.answer ? `\n    answer: ${it.answer}` : ''}${it.reason ? `\n    why: ${it.reason}` : ''}`);
        const e = p.estimate;
        io.stdout(`Whole run: ${e.requests} chunks, about ${e.seconds} s, ${e.promptTokens} prompt + ${e.completionTokens} completion tokens${e.price !== null ? `, about $${e.price}` : ''}.`);
      }
      return 0;
    }
    const started = startOrResumeSynthesis(runner, input);
    jobId = started.jobId;
    process.on('SIGINT', onSignal);
    if (!json) io.stderr(`${started.resumed ? 'Resuming' : 'Started'} synthesis job ${jobId} over ${started.chunks} chunks.`);
    const job = await runner.wait(jobId);
    const o = synthOutcomes(project.db, jobId, 'rejected', 0, 1000);
    const reasons = new Map<string, number>();
    for (const r of o.rows) {
      const key = (r.reason ?? '').replace(/: ".*"$/s, '').replace(/ \(.*\)$/s, '');
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    const decontam = listEvalsets(project).length ? runDecontamination(project) : null;
    const summary = { job: jobId, status: job.status, chunks: job.total, chunks_failed: job.failed, ...o.counts, rejected_reasons: Object.fromEntries(reasons), decontamination: decontam && { checked: decontam.checked, flagged: decontam.flagged } };
    if (json) io.stdout(JSON.stringify(summary));
    else {
      io.stdout(`Job ${jobId} ${job.status}: ${o.counts.accepted} questions added to the pool (source "synthesized"), ${o.counts.duplicate} duplicates, ${o.counts.rejected} rejected; ${job.failed} of ${job.total} chunks failed.`);
      for (const [r, n] of reasons) io.stdout(`  ${n} × ${r}`);
      if (decontam) io.stdout(`Decontamination: ${decontam.flagged} of ${decontam.checked} questions flagged.`);
    }
    return job.status === 'done' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    await runner.close();
    project.close();
  }
}
