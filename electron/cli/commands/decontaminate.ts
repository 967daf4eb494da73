import { builtinEvalsets, heldOutSets, registerBuiltins, runDecontamination } from '../../core/pool/decontam';
import { openProject } from '../../core/store/project';
import { UserError } from '../../core/util/errors';
import { intFlag, parse } from '../args';
import type { CliIO } from '../io';

/**
 * `distillery decontaminate PROJECT [--ngram 8] [--benchmarks all|none|NAME,NAME] [--held-out all|none|NAME,NAME] [--json]`:
 * the built-in benchmarks and the project's held-out sets are all checked by default; only the chosen ones are.
 */
export async function runDecontaminate(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('decontaminate', args, { ngram: { type: 'string' }, benchmarks: { type: 'string' }, 'held-out': { type: 'string' }, json: { type: 'boolean' } }, ['PROJECT']);
  const n = intFlag('decontaminate', 'ngram', values.ngram, 1, 50) ?? 8;
  const p = openProject(positionals[0] as string);
  try {
    const pick = (flag: string | undefined, all: () => string[]) => {
      const which = (flag ?? 'all').trim();
      return which === 'none' ? [] : which === 'all' ? all() : which.split(',').map((x) => x.trim()).filter(Boolean);
    };
    const names = pick(values.benchmarks, () => builtinEvalsets(p).map((b) => b.name));
    const held = pick(values['held-out'], () => heldOutSets(p));
    const known = heldOutSets(p);
    const unknown = held.find((h) => !known.includes(h));
    if (unknown) throw new UserError(`There is no held-out set named "${unknown}" in this project; its held-out sets are ${known.join(', ') || '(none: add one with distillery evalset add)'}.`, 'not_found');
    const added = await registerBuiltins(p, names);
    if (added.length && !values.json) io.stdout(`Registered the built-in benchmarks ${added.join(', ')} to check against.`);
    const r = runDecontamination(p, n, [...names, ...held]);
    if (values.json) io.stdout(JSON.stringify(r));
    else {
      io.stdout(`Checked ${r.checked} questions against the benchmarks (${n}-gram overlap): ${r.flagged} flagged and excluded from training.`);
      for (const it of r.items.slice(0, 50)) io.stdout(`  #${it.question_id}  ${it.evalset}#${it.evalset_item}  "${it.overlap.slice(0, 100)}"`);
      if (r.items.length > 50) io.stdout(`  ... and ${r.items.length - 50} more (use --json for all).`);
    }
  } finally {
    p.close();
  }
  return 0;
}
