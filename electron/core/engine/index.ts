import { EventEmitter } from 'node:events';
import { JobRunner, type JobKind, type JobProgress } from '../jobs';
import { createProject, openProject, type Project } from '../store/project';
import { rememberProject } from '../store/registry';
import { createSampleProject } from '../sample';
import { LocalServers } from '../localserve/manager';
import { bindOnDemand } from '../localserve/ondemand';
import { forgetFeatures } from '../curate/features';

/** What the host around the engine can do (a native dialog in Electron; nothing in browser mode). */
export interface HostCapabilities {
  mode: 'electron' | 'browser' | 'cli';
  pickFolder?: () => Promise<string | null>;
}

export interface ProjectSummary {
  path: string;
  name: string;
}

/**
 * The engine behind every host: the open project and its job runner. Domains register their job kinds
 * here once; each opened project gets a runner with all of them, and resumes its unfinished jobs.
 */
export class Engine {
  private current: { project: Project; runner: JobRunner } | null = null;
  private readonly kinds: JobKind<never>[] = [];
  private readonly events = new EventEmitter();
  /** Local model servers; stopped when the project closes. */
  readonly localServers = new LocalServers();

  constructor(readonly host: HostCapabilities) {
    this.events.setMaxListeners(0);
    // A local teacher used by a job (generation) starts its server here, so it stops with the project.
    bindOnDemand(this.localServers);
  }

  registerJobKind<P>(kind: JobKind<P>): void {
    this.kinds.push(kind as unknown as JobKind<never>);
    this.current?.runner.register(kind);
  }

  get project(): Project | null {
    return this.current?.project ?? null;
  }

  get runner(): JobRunner | null {
    return this.current?.runner ?? null;
  }

  summary(): ProjectSummary | null {
    return this.current ? { path: this.current.project.dir, name: this.current.project.name } : null;
  }

  /**
   * `resumeUnfinished: false` is for the CLI: a command runs the one job it was asked for, not every job
   * another host left unfinished in the project.
   */
  async open(dir: string, opts: { resumeUnfinished?: boolean } = {}): Promise<ProjectSummary> {
    const project = openProject(dir);
    return this.adopt(project, opts.resumeUnfinished ?? true);
  }

  async create(dir: string, name?: string): Promise<ProjectSummary> {
    return this.adopt(createProject(dir, name));
  }

  async createSample(dir: string): Promise<ProjectSummary> {
    return this.adopt(createSampleProject(dir));
  }

  async close(): Promise<void> {
    const c = this.current;
    this.current = null;
    await this.localServers.stopAll();
    if (!c) return;
    await c.runner.close();
    // Curation's feature cache is per project; a closed project's rows would otherwise stay in memory.
    forgetFeatures(c.project);
    c.project.close();
    this.events.emit('project', null);
  }

  onProgress(listener: (p: JobProgress) => void): () => void {
    this.events.on('progress', listener);
    return () => this.events.off('progress', listener);
  }

  onProject(listener: (p: ProjectSummary | null) => void): () => void {
    this.events.on('project', listener);
    return () => this.events.off('project', listener);
  }

  private async adopt(project: Project, resume = true): Promise<ProjectSummary> {
    await this.close();
    const runner = new JobRunner(project);
    for (const k of this.kinds) runner.register(k);
    runner.onProgress((p) => this.events.emit('progress', p));
    this.current = { project, runner };
    rememberProject(project.dir, project.name);
    if (resume) runner.resumeUnfinished();
    const s = { path: project.dir, name: project.name };
    this.events.emit('project', s);
    return s;
  }
}
