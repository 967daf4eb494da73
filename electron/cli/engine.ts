import { Engine } from '../core/engine';
import { registerJobKinds } from '../core/kinds';
import type { JobRunner } from '../core/jobs';
import type { Project } from '../core/store/project';

/**
 * The CLI as a host of the engine (DESIGN §3), like the browser host: every job kind registered through
 * core/kinds.ts, the project opened by the Engine. Only the job the command asks for runs: jobs another host
 * left unfinished stay for it (or the app) to resume.
 */
export async function openCliEngine(dir: string): Promise<{ engine: Engine; project: Project; runner: JobRunner }> {
  const engine = new Engine({ mode: 'cli' });
  registerJobKinds(engine);
  await engine.open(dir, { resumeUnfinished: false });
  const project = engine.project;
  const runner = engine.runner;
  if (!project || !runner) throw new Error('the engine opened no project');
  return { engine, project, runner };
}
