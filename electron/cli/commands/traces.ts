import { openProject } from '../../core/store/project';
import { eachQuestionTrace } from '../../core/teacher/traces';
import { parse } from '../args';
import type { CliIO } from '../io';

/** `traces PROJECT [--teacher NAME] [--json]`: one line per question of the pool. */
export async function runTraces(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('traces', args, { json: { type: 'boolean' }, teacher: { type: 'string' } }, ['PROJECT']);
  const p = openProject(positionals[0] as string);
  try {
    eachQuestionTrace(
      p.db,
      (l) => {
        if (values.json) io.stdout(JSON.stringify(l));
        else {
          const q = l.question.replace(/\s+/g, ' ').slice(0, 60);
          io.stdout(`${String(l.question_id).padStart(6)}  ${l.status.padEnd(7)}  ${l.attempts}  ${(l.finish_reason ?? '-').padEnd(6)}  ${q}`);
        }
      },
      { teacher: values.teacher as string | undefined },
    );
  } finally {
    p.close();
  }
  return 0;
}
