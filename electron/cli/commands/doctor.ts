import { runDoctor, type CheckStatus } from '../../core/doctor/doctor';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import type { CliIO } from '../io';

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** `doctor [PROJECT] [--json] [--refresh]`: the preflight; exit 1 when a check fails, 0 otherwise. */
export async function runDoctorCommand(args: string[], io: CliIO): Promise<number> {
  // PROJECT is optional: without it the checks that need a project (its model folders, its teachers) are left out.
  const first = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const { values } = parse('doctor', first === undefined ? args : args.slice(1), { json: { type: 'boolean' }, refresh: { type: 'boolean' } }, []);
  const dir = first;
  const project = dir ? openProject(dir) : null;
  try {
    const r = await runDoctor({ db: project?.db, projectDir: project?.dir ?? dir, refresh: Boolean(values.refresh) });
    if (values.json) io.stdout(JSON.stringify(r, null, 2));
    else {
      for (const c of r.checks) io.stdout(`${MARK[c.status]}  ${c.id.padEnd(18)} ${c.message}`);
      io.stdout(`${r.status === 'ok' ? 'All checks passed' : r.status === 'warn' ? 'Usable, with warnings' : 'Some checks failed'} (${r.elapsed_ms} ms).`);
    }
    return r.status === 'fail' ? 1 : 0;
  } finally {
    project?.close();
  }
}
