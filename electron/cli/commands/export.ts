import { DEFAULT_SEED, DEFAULT_VAL, exportDataset } from '../../core/export/export';
import { EXPORT_FORMATS, type ExportFormat } from '../../core/export/formats';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `export PROJECT --format trl|s1k|llamafactory|alpaca [--out DIR] [--include accepted|all] [--val F] [--seed S] [--reasoning-field] [--system TEXT] [--allow-empty-thinking] [--json]`. */
export async function runExport(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'export',
    args,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      include: { type: 'string' },
      scope: { type: 'string' },
      val: { type: 'string' },
      seed: { type: 'string' },
      'reasoning-field': { type: 'boolean' },
      'allow-empty-thinking': { type: 'boolean' },
      system: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const format = values.format;
  if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`export: --format must be one of ${EXPORT_FORMATS.join(', ')}${format ? `, not "${format}"` : ''}.`);
  }
  const include = (values.include) ?? 'accepted';
  if (include !== 'accepted' && include !== 'all') throw new UsageError(`export: --include must be accepted or all, not "${include}".`);
  const scope = values.scope;
  if (scope !== undefined && scope !== 'selection' && scope !== 'pool') throw new UsageError(`export: --scope must be selection or pool, not "${scope}".`);
  const val = values.val === undefined ? DEFAULT_VAL : Number(values.val);
  if (!Number.isFinite(val) || val < 0 || val >= 1) throw new UsageError(`export: --val must be a fraction from 0 up to (not including) 1, such as 0.05, not "${String(values.val)}".`);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`export: --seed must be a whole number, not "${String(values.seed)}".`);

  const p = openProject(positionals[0] as string);
  try {
    const r = exportDataset(p, {
      format: format as ExportFormat,
      out: values.out,
      include,
      scope,
      val,
      seed,
      reasoningField: Boolean(values['reasoning-field']),
      systemPrompt: (values.system) ?? null,
      allowEmptyThinking: Boolean(values['allow-empty-thinking']),
    });
    if (values.json) io.stdout(JSON.stringify({ train: r.train, validation: r.validation, note: r.note, files: r.files }));
    else {
      io.stdout(`Exported ${r.train} train + ${r.validation} validation samples (${format}) to ${r.dir}:`);
      for (const f of r.files) io.stdout(`  ${f}`);
      if (r.note) io.stdout(r.note);
    }
  } finally {
    p.close();
  }
  return 0;
}
