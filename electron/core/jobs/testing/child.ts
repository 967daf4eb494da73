// A separate process that runs (or resumes) the counter job of a project, so a test can SIGKILL it.
import { openProject } from '../../store/project';
import { JobRunner } from '../runner';
import { counterKind } from './counter-kind';

const [dir, mode, n, delay] = process.argv.slice(2);
const project = openProject(dir as string);
const runner = new JobRunner(project, { heartbeatMs: 200 }).register(counterKind);
let id: number;
if (mode === 'start') id = runner.start('test.counter', { n: Number(n), delayMs: Number(delay), concurrency: 3 });
else {
  const ids = runner.resumeUnfinished();
  if (ids.length !== 1) throw new Error(`expected one job to resume, got ${ids.length}`);
  id = ids[0] as number;
}
process.stdout.write(`started ${id}\n`);
const job = await runner.wait(id);
process.stdout.write(`finished ${job.status}\n`);
project.close();
