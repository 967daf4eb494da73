import fs from 'node:fs';
import path from 'node:path';
import { latestFrozenRun } from '../curate/frozen';
import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { appVersion } from '../util/root';
import { completeness, datasetCard, provenance, tokenStats } from './card';
import { llamaFactoryInfo, writeSplit, type ExportFormat } from './formats';
import { selectSamples, type Include } from './samples';
import { emptyValidationNote, seededSplit } from './split';
import { mkdirPrivate, tightenTree } from '../util/private-fs';

export interface ExportOptions {
  format: ExportFormat;
  /** Output folder; default PROJECT/artifacts/exports/<timestamp>-<format>/. Must be empty or missing. */
  out?: string;
  include?: Include;
  scope?: 'selection' | 'pool';
  val?: number;
  seed?: number;
  reasoningField?: boolean;
  systemPrompt?: string | null;
  /** Export samples whose thinking is empty (refused otherwise: a teacher that does not reason gives such samples). */
  allowEmptyThinking?: boolean;
}

export interface ExportResult {
  dir: string;
  train: number;
  validation: number;
  /** One line when the validation fraction gave no validation sample (fraction × samples below 1), else null. */
  note: string | null;
  /** Absolute paths of every file written (data, dataset_info.json, README.md, export.json). */
  files: string[];
}

export const DEFAULT_VAL = 0.05;
export const DEFAULT_SEED = 42;

export function defaultExportDir(project: Project, format: ExportFormat, at = new Date()): string {
  return path.join(project.artifactsDir, 'exports', `${at.toISOString().replace(/[:.]/g, '-')}-${format}`);
}

/** Exports the reviewed set with a seeded split, a dataset card and export.json. */
export function exportDataset(project: Project, o: ExportOptions): ExportResult {
  const include = o.include ?? 'accepted';
  const val = o.val ?? DEFAULT_VAL;
  const seed = o.seed ?? DEFAULT_SEED;
  if (!(val >= 0 && val < 1)) throw new UserError(`The validation fraction must be at least 0 and below 1 (for example 0.05), not ${val}.`, 'bad_val');
  const { scope, samples, tokenizer } = selectSamples(project.db, include, o.scope);
  if (samples.length === 0) {
    throw new UserError(
      include === 'accepted'
        ? 'Nothing to export: no trace has been accepted yet. Review the samples first (accept some), or export everything with --include all.'
        : `Nothing to export: no question of the ${scope} has a finished, non-rejected trace. Generate or import traces first.`,
      'empty_export',
    );
  }
  const c = completeness(samples);
  if (c.noThinking > 0 && !o.allowEmptyThinking) {
    throw new UserError(
      `${c.noThinking} of the ${c.samples} samples to export have no thinking (their teacher did not reason), so the student would learn to answer without reasoning; ` +
        'turn on the reasoning prompt in Teacher and generate them again, or export them anyway with --allow-empty-thinking ("Export samples without thinking" in the Review step).',
      'empty_thinking',
    );
  }
  const createdAt = new Date();
  const dir = path.resolve(o.out ?? defaultExportDir(project, o.format, createdAt));
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new UserError(`${dir} is a file; choose a folder for the export.`, 'not_a_folder');
    if (fs.readdirSync(dir).length > 0) throw new UserError(`${dir} is not empty; choose an empty or new folder so that no earlier export is overwritten.`, 'out_not_empty');
  }
  try {
    mkdirPrivate(dir);
  } catch (e) {
    throw new UserError(`Could not create ${dir}: ${(e as Error).message}. Choose a folder you can write to.`, 'io');
  }

  const split = seededSplit(samples, (s) => s.questionId, val, seed);
  const fo = { reasoningField: o.reasoningField ?? false, systemPrompt: o.systemPrompt || null };
  const written: { split: string; file: string; rows: number }[] = [];
  for (const [name, part] of [['train', split.train], ['validation', split.validation]] as const) {
    // An empty split gets no file: several readers (datasets, pyarrow with lists) refuse empty files.
    if (part.length > 0) written.push({ split: name, file: writeSplit(dir, name, o.format, part, fo), rows: part.length });
  }
  const extra: string[] = [];
  if (o.format === 'llamafactory') {
    fs.writeFileSync(path.join(dir, 'dataset_info.json'), `${JSON.stringify(llamaFactoryInfo(written, fo), null, 2)}\n`);
    extra.push('dataset_info.json');
  }
  const prov = provenance(project.db, samples, tokenizer);
  const version = appVersion();
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    datasetCard({
      projectName: project.name,
      projectId: project.id,
      format: o.format,
      include,
      scope,
      seed,
      val,
      files: written,
      createdAt: createdAt.toISOString(),
      version,
      reasoningField: fo.reasoningField,
      systemPrompt: fo.systemPrompt,
      prov,
    }),
  );
  const files = [...written.map((w) => w.file), ...extra, 'README.md', 'export.json'];
  const manifest = {
    distillery: version,
    createdAt: createdAt.toISOString(),
    project: { id: project.id, name: project.name, dir: project.dir },
    format: o.format,
    include,
    scope,
    val,
    seed,
    reasoningField: fo.reasoningField,
    systemPrompt: fo.systemPrompt,
    counts: { samples: samples.length, train: split.train.length, validation: split.validation.length, noThinking: c.noThinking, truncated: c.truncated },
    allowEmptyThinking: o.allowEmptyThinking ?? false,
    files,
    split: { train: split.train.map((s) => s.questionId), validation: split.validation.map((s) => s.questionId) },
    traces: Object.fromEntries(samples.map((s) => [s.questionId, s.traceId])),
    provenance: prov,
  };
  fs.writeFileSync(path.join(dir, 'export.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // the data a user curated is theirs alone: 0600 files (the folder was made 0700 above)
  tightenTree(dir);
  return { dir, train: split.train.length, validation: split.validation.length, note: emptyValidationNote(samples.length, val, split.validation.length), files: files.map((f) => path.join(dir, f)) };
}

/** How many samples an export would hold, without writing anything. */
export function exportPreview(project: Project, include: Include, scope?: 'selection' | 'pool', val = DEFAULT_VAL, seed = DEFAULT_SEED) {
  const { scope: s, samples, tokenizer } = selectSamples(project.db, include, scope);
  const split = seededSplit(samples, (x) => x.questionId, val, seed);
  const c = completeness(samples);
  // A frozen run that kept nothing leaves the selection empty: the export then takes the whole pool (the CLI's review note).
  const emptySelection = scope === undefined && s === 'pool' && latestFrozenRun(project.db) !== undefined;
  return { scope: s, emptySelection, samples: samples.length, train: split.train.length, validation: split.validation.length, note: emptyValidationNote(samples.length, val, split.validation.length), tokens: tokenStats(samples, tokenizer), noThinking: c.noThinking, truncated: c.truncated };
}
