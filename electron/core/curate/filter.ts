import { z } from 'zod';
import type { JobRunner, JobStatus } from '../jobs';
import { poolQuestionIds } from '../pool/questions';
import { getMeta, setMeta, type Project } from '../store/project';
import { GENERATE_KIND, startOrResume } from '../teacher/generate';
import { getTeacher } from '../teacher/store';
import { UserError } from '../util/errors';
import { curate } from './pipeline';
import { parseRecipe, recipeSchema } from './recipe';
import { STUDENT_KIND } from './student';

/**
 * s1's difficulty filter in one click: each filter model (a registered teacher) attempts the candidate
 * questions k times with the existing `generate` job, then the existing `verify` job checks every new answer.
 * Curation's difficulty stage then reads those stored verdicts. The chain is kept in the project's meta
 * table, so it goes on after a restart (the next status call starts the check once generation is done).
 */
export const filterParams = z
  .object({
    models: z.array(z.string().trim().min(1)).max(8).default([]),
    /** The student's own pass@k (student.ts): its folder and the name its answers are stored under (a band's model). */
    student: z.object({ dir: z.string().trim().min(1), name: z.string().trim().min(1).max(100).default('student') }).optional(),
    /** Samples per question and model (s1: one per model; "solves at least m of k" needs k > 1). */
    samples: z.number().int().min(1).max(64).default(1),
    /** 'candidates': the questions that pass the recipe's quality stage (as s1 did); 'all': every pool question. */
    scope: z.enum(['candidates', 'all']).default('candidates'),
    recipe: recipeSchema.optional(),
    maxTokens: z.number().int().positive().nullable().default(null),
    /** A registered teacher as LLM judge for answers the rules cannot decide; none: rules only. */
    judge: z.string().trim().min(1).optional(),
  })
  .refine((p) => p.models.length > 0 || p.student, { message: 'choose at least one filter model or the student folder', path: ['models'] });
export type FilterInput = z.input<typeof filterParams>;

const META_KEY = 'curate.difficulty_filter';

interface Chain {
  models: string[];
  samples: number;
  questions: number;
  generateJobs: { model: string; jobId: number }[];
  verifyJobId: number | null;
  judge: string | null;
  startedAt: string;
}

export interface FilterJobState {
  jobId: number;
  kind: string;
  model: string | null;
  status: JobStatus;
  total: number | null;
  done: number;
  failed: number;
  error: string | null;
}

export interface FilterStatus {
  models: string[];
  samples: number;
  questions: number;
  /** generating → checking → done (or failed: a job of the chain failed; stopped: one was paused or cancelled). */
  phase: 'generating' | 'checking' | 'done' | 'failed' | 'stopped';
  jobs: FilterJobState[];
  startedAt: string;
}

const read = (p: Project): Chain | null => {
  const v = getMeta(p.db, META_KEY);
  return v ? (JSON.parse(v) as Chain) : null;
};
const write = (p: Project, c: Chain) => setMeta(p.db, META_KEY, JSON.stringify(c));

/** The questions the filter models attempt: those left after the pool, the user's overrides and the quality stage. */
function candidates(project: Project, input: z.infer<typeof filterParams>): number[] {
  if (input.scope === 'all') return poolQuestionIds(project.db);
  const base = parseRecipe(input.recipe ?? {});
  const r = curate(project, { ...base, difficulty: { ...base.difficulty, enabled: false }, diversity: { ...base.diversity, enabled: false }, target: 1_000_000 });
  return r.decisions.filter((d) => d.stage === 'diversity' || d.stage === 'pin').map((d) => d.questionId);
}

/** Starts (or resumes) a generate job per filter model; the answer check follows when all of them are done. */
export function startDifficultyFilter(runner: JobRunner, raw: FilterInput): FilterStatus {
  const input = filterParams.parse(raw);
  const project = runner.project;
  for (const m of input.models) getTeacher(project.db, m); // a sentence when a model is not registered
  if (input.judge) getTeacher(project.db, input.judge);
  const ids = candidates(project, input);
  if (ids.length === 0) throw new UserError('No question passes the quality stage, so there is nothing for the filter models to attempt; loosen the quality rules or choose "all questions".', 'filter_no_questions');
  const generateJobs = [...new Set(input.models)].map((model) => ({
    model,
    jobId: startOrResume(runner, { teacher: model, questions: { mode: 'ids', ids }, samples: input.samples, maxTokens: input.maxTokens, concurrency: 'auto' }).jobId,
  }));
  if (input.student) {
    const { dir, name } = input.student;
    generateJobs.push({ model: name, jobId: runner.start(STUDENT_KIND, { dir, name, ids, samples: input.samples, ...(input.maxTokens ? { maxTokens: input.maxTokens } : {}) }) });
  }
  write(project, { models: input.models, samples: input.samples, questions: ids.length, generateJobs, verifyJobId: null, judge: input.judge ?? null, startedAt: new Date().toISOString() });
  void Promise.all(generateJobs.map((g) => runner.wait(g.jobId)))
    .then(() => advanceDifficultyFilter(runner))
    .catch(() => undefined); // the status call advances it too
  return difficultyFilterStatus(runner) as FilterStatus;
}

/** Starts the answer check once every generation job of the chain is done. */
export function advanceDifficultyFilter(runner: JobRunner): void {
  const project = runner.project;
  const c = read(project);
  if (!c || c.verifyJobId !== null) return;
  if (!c.generateJobs.every((g) => runner.get(g.jobId)?.status === 'done')) return;
  c.verifyJobId = runner.start('verify', { scope: 'unchecked', ...(c.judge ? { judge: c.judge } : {}) });
  write(project, c);
}

export function difficultyFilterStatus(runner: JobRunner): FilterStatus | null {
  try {
    advanceDifficultyFilter(runner);
  } catch {
    // a failed start shows as the chain's state below
  }
  const c = read(runner.project);
  if (!c) return null;
  const state = (jobId: number, model: string | null): FilterJobState => {
    const j = runner.get(jobId);
    return { jobId, kind: j?.kind ?? GENERATE_KIND, model, status: j?.status ?? 'failed', total: j?.total ?? null, done: j?.done ?? 0, failed: j?.failed ?? 0, error: j ? j.error : 'the job no longer exists' };
  };
  const jobs = c.generateJobs.map((g) => state(g.jobId, g.model));
  if (c.verifyJobId !== null) jobs.push(state(c.verifyJobId, null));
  const statuses = jobs.map((j) => j.status);
  const phase: FilterStatus['phase'] = statuses.includes('failed')
    ? 'failed'
    : statuses.some((s) => s === 'paused' || s === 'cancelled')
      ? 'stopped'
      : c.verifyJobId === null
        ? 'generating'
        : statuses.at(-1) === 'done'
          ? 'done'
          : 'checking';
  return { models: c.models, samples: c.samples, questions: c.questions, phase, jobs, startedAt: c.startedAt };
}
