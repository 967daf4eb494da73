import { embedAndCluster } from '../../core/embed/service';
import { replaceClusterLabels } from '../../core/curate/taxonomy';
import { embedKind } from '../../core/embed/job';
import { JobRunner, type JobProgress } from '../../core/jobs';
import { openProject } from '../../core/store/project';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

function line(p: JobProgress): string {
  const x = p.extra;
  return `embedded ${x.questions ?? 0} questions, batch ${p.done + p.failed}/${p.total ?? 0}, ${x.questions_per_s ?? 0} questions/s${p.etaSec === null ? '' : `, about ${Math.round(p.etaSec)} s left`}`;
}

/**
 * `embed PROJECT --model DIR [--k K] [--seed S] [--precision fp32|q8] [--max-length N] [--batch N] [--json]`:
 * the durable embedding job (the Curate step's record; the same command resumes it), then k-means clusters.
 */
export async function runEmbed(args: string[], io: CliIO): Promise<number> {
  const cmd = 'embed';
  const { values, positionals } = parse(
    cmd,
    args,
    { model: { type: 'string' }, k: { type: 'string' }, seed: { type: 'string' }, precision: { type: 'string' }, 'max-length': { type: 'string' }, batch: { type: 'string' }, json: { type: 'boolean' } },
    ['PROJECT'],
  );
  const modelDir = values.model;
  if (!modelDir) throw new UsageError('embed: --model DIR is required (an ONNX embedding folder, or a sentence-transformers folder to convert).');
  const precision = (values.precision) ?? 'fp32';
  if (precision !== 'fp32' && precision !== 'q8') throw new UsageError(`embed: --precision must be fp32 or q8, not "${precision}".`);
  const k = intFlag(cmd, 'k', values.k, 2, 10_000);
  const seed = intFlag(cmd, 'seed', values.seed, 0, 2 ** 32 - 1);
  const maxLength = intFlag(cmd, 'max-length', values['max-length'], 8, 8192);
  const batchSize = intFlag(cmd, 'batch', values.batch, 1, 1024);
  const json = Boolean(values.json);

  const project = openProject(positionals[0] as string);
  const runner = new JobRunner(project).register(embedKind);
  let jobId = 0;
  const onSignal = () => {
    io.stderr('Pausing the embedding job: run the same command again to resume it.');
    if (jobId) runner.pause(jobId);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let last = 0;
  try {
    const r = await embedAndCluster(
      runner,
      { modelDir, dtype: precision, maxLength, batchSize, k, seed },
      replaceClusterLabels,
      {
        onConvert: (src, out) => io.stderr(`${src} is a sentence-transformers folder: converting it for in-app use into ${out} (once; later runs reuse it).`),
        onStarted: (id, resumed) => {
          jobId = id;
          io.stderr(`${resumed ? 'Resuming' : 'Started'} embedding job ${id}.`);
        },
        onProgress: (p) => {
          const now = Date.now();
          if (now - last < 2_000 && p.status === 'running') return;
          last = now;
          io.stderr(line(p));
        },
      },
    );
    if (r.converted && !r.converted.cached && r.converted.check) {
      io.stderr(`Converted: cosine to sentence-transformers fp32 ${r.converted.check.fp32_min_cosine.toFixed(5)}, int8 ${r.converted.check.int8_min_cosine.toFixed(4)} (lowest of ${r.converted.check.sentences} sentences).`);
    }
    if (json) io.stdout(JSON.stringify(r));
    else {
      io.stdout(`Embedded ${r.embedded} of ${r.questions} questions with ${r.model} (${r.dtype}, ${r.maxLength} tokens; identity ${r.identity}).`);
      io.stdout(`${r.k} clusters (seed ${r.seed}): sizes ${r.clusters.map((c) => c.size).join(', ')}.`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runner.close();
    project.close();
  }
}
