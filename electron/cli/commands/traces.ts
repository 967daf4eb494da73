import { openProject } from '../../core/store/project';
import { eachQuestionTrace, failureReason } from '../../core/teacher/traces';
import { parse } from '../args';
import type { CliIO } from '../io';

const shorten = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

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
          // A failed row shows why (short), so the table alone says what to fix.
          const why = l.status === 'failed' ? `  [${shorten(failureReason(l.error), 70)}]` : l.status === 'done' && !l.thinking ? '  [no thinking]' : '';
          io.stdout(`${String(l.question_id).padStart(6)}  ${l.status.padEnd(7)}  ${l.attempts}  ${(l.finish_reason ?? '-').padEnd(6)}  ${q}${why}`);
        }
      },
      { teacher: values.teacher },
    );
  } finally {
    p.close();
  }
  return 0;
}
