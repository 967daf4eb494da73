import { addEvalset, listEvalsets, removeEvalset } from '../../core/pool/decontam';
import { checkFile } from '../../core/pool/readers';
import { parseMapSpec } from '../../core/pool/shapes';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `distillery evalset add PROJECT NAME FILE [--map question=COL] [--replace] [--json]`, `evalset list PROJECT`, `evalset remove PROJECT NAME` */
export async function runEvalset(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse('evalset add', rest, { map: { type: 'string' }, replace: { type: 'boolean' }, json: { type: 'boolean' } }, ['PROJECT', 'NAME', 'FILE']);
      const mapping = values.map !== undefined ? parseMapSpec(values.map) : {};
      if (typeof mapping === 'string') throw new UsageError(`evalset add: --map ${mapping}.`);
      const [dir, name, file] = positionals as [string, string, string];
      checkFile(file);
      const p = openProject(dir);
      try {
        const r = await addEvalset(p, name, file, { mapping, replace: !!values.replace });
        if (values.json) io.stdout(JSON.stringify({ name: r.name, items: r.items, rejected: r.rejected }));
        else io.stdout(`Registered evaluation set "${r.name}": ${r.items} items${r.rejected.length ? `, ${r.rejected.length} rows rejected` : ''}.`);
      } finally {
        p.close();
      }
      return 0;
    }
    case 'list': {
      const { values, positionals } = parse('evalset list', rest, { json: { type: 'boolean' } }, ['PROJECT']);
      const p = openProject(positionals[0] as string);
      try {
        const sets = listEvalsets(p);
        if (values.json) io.stdout(JSON.stringify(sets));
        else if (!sets.length) io.stdout('No evaluation sets are registered.');
        else for (const s of sets) io.stdout(`${s.name.padEnd(24)} ${String(s.items).padStart(6)} items  ${String(s.flagged).padStart(6)} flagged  ${s.file}`);
      } finally {
        p.close();
      }
      return 0;
    }
    case 'remove': {
      const { positionals } = parse('evalset remove', rest, {}, ['PROJECT', 'NAME']);
      const p = openProject(positionals[0] as string);
      try {
        removeEvalset(p, positionals[1] as string);
        io.stdout(`Removed evaluation set "${positionals[1]}".`);
      } finally {
        p.close();
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `evalset: unknown subcommand "${sub}" (use add, list or remove).` : 'evalset: missing subcommand (use add, list or remove).');
  }
}
