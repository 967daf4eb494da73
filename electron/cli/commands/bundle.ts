import { bundleExport, bundleImport } from '../../core/review/bundle';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

function questionIds(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new UsageError('bundle export: --ids needs at least one question id, as in --ids 12,15,40.');
  const bad = parts.find((s) => !/^\d+$/.test(s) || Number(s) < 1);
  if (bad !== undefined) throw new UsageError(`bundle export: --ids takes question ids (whole numbers) separated by commas; "${bad}" is not one.`);
  return parts.map(Number);
}

/**
 * `bundle export PROJECT --out FILE [--ids ID,ID…] [--scope selection|pool] [--force] [--json]`: a review bundle (one file;
 * an existing FILE only with --force, and never the project's database or another file inside the project);
 * `bundle import PROJECT FILE [--json]`: applies another reviewer's bundle, prints {applied, unchanged, conflicts}.
 */
export async function runBundle(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'export': {
      const { values, positionals } = parse(
        'bundle export',
        rest,
        { out: { type: 'string' }, ids: { type: 'string' }, scope: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
        ['PROJECT'],
      );
      if (!values.out) throw new UsageError('bundle export: --out FILE is required (the bundle is one JSON-lines file).');
      const scope = values.scope;
      if (scope !== undefined && scope !== 'selection' && scope !== 'pool') throw new UsageError(`bundle export: --scope must be selection or pool, not "${scope}".`);
      const ids = questionIds(values.ids);
      const p = openProject(positionals[0] as string);
      try {
        const r = bundleExport(p, { out: values.out, questionIds: ids, scope, overwrite: Boolean(values.force) });
        if (values.json) io.stdout(JSON.stringify(r));
        else io.stdout(`Wrote ${r.samples} sample${r.samples === 1 ? '' : 's'} to ${r.file} (bundle ${r.bundleId}).`);
      } finally {
        p.close();
      }
      return 0;
    }
    case 'import': {
      const { values, positionals } = parse('bundle import', rest, { json: { type: 'boolean' } }, ['PROJECT', 'FILE']);
      const p = openProject(positionals[0] as string);
      try {
        const r = await bundleImport(p, positionals[1] as string);
        if (values.json) io.stdout(JSON.stringify({ applied: r.applied, unchanged: r.unchanged, conflicts: r.conflicts }));
        else {
          io.stdout(`Applied ${r.applied}, unchanged ${r.unchanged}, conflicts ${r.conflicts.length}.`);
          for (const c of r.conflicts) io.stdout(`  trace ${c.traceId} (question ${c.questionId}): ${c.reason}`);
          if (r.conflicts.length) io.stdout('Resolve conflicts in the Review step (the merge proposal is shown beside both versions).');
        }
      } finally {
        p.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`bundle: use "bundle export PROJECT --out FILE [--ids ID,ID…]" or "bundle import PROJECT FILE [--json]"${sub ? `, not "${sub}"` : ''}.`);
  }
}
