import { builtinEvalsets, registerBuiltins, runDecontamination } from '../../core/pool/decontam';
import { openProject } from '../../core/store/project';
import { intFlag, parse } from '../args';
import type { CliIO } from '../io';

/** `distillery decontaminate PROJECT [--ngram 8] [--benchmarks all|none|NAME,NAME] [--json]`: the built-in benchmarks are checked by default. */
export async function runDecontaminate(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('decontaminate', args, { ngram: { type: 'string' }, benchmarks: { type: 'string' }, json: { type: 'boolean' } }, ['PROJECT']);
  const n = intFlag('decontaminate', 'ngram', values.ngram as string | undefined, 1, 50) ?? 8;
  const p = openProject(positionals[0] as string);
  try {
    const which = ((values.benchmarks as string | undefined) ?? 'all').trim();
    const names = which === 'none' ? [] : which === 'all' ? builtinEvalsets(p).map((b) => b.name) : which.split(',').map((x) => x.trim()).filter(Boolean);
    const added = await registerBuiltins(p, names);
    if (added.length && !values.json) io.stdout(`Registered the built-in benchmarks ${added.join(', ')} to check against.`);
    const r = runDecontamination(p, n);
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
