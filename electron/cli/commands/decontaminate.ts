import { runDecontamination } from '../../core/pool/decontam';
import { openProject } from '../../core/store/project';
import { intFlag, parse } from '../args';
import type { CliIO } from '../io';

/** `distillery decontaminate PROJECT [--ngram 8] [--json]` */
export async function runDecontaminate(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('decontaminate', args, { ngram: { type: 'string' }, json: { type: 'boolean' } }, ['PROJECT']);
  const n = intFlag('decontaminate', 'ngram', values.ngram as string | undefined, 1, 50) ?? 8;
  const p = openProject(positionals[0] as string);
  try {
    const r = runDecontamination(p, n);
    if (values.json) io.stdout(JSON.stringify(r));
    else {
      io.stdout(`Checked ${r.checked} questions against the evaluation sets (${n}-gram overlap): ${r.flagged} flagged and excluded from training.`);
      for (const it of r.items.slice(0, 50)) io.stdout(`  #${it.question_id}  ${it.evalset}#${it.evalset_item}  "${it.overlap.slice(0, 100)}"`);
      if (r.items.length > 50) io.stdout(`  ... and ${r.items.length - 50} more (use --json for all).`);
    }
  } finally {
    p.close();
  }
  return 0;
}
