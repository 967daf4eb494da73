import { z } from 'zod';
import type { JobKind } from '../jobs';
import type { Project } from '../store/project';
import { insertDoneTrace, sampleTakenCheck } from '../traces/store';
import { questionTextLookup } from '../pool/questions';
import { message } from '../util/messages';

/**
 * The student's own pass@k, for a pass-rate band with `role: 'student'`: the durable job `student-attempts`
 * asks the student model (a folder: its ONNX export in the in-app engine, else a local server) k times per
 * question and stores each answer as a trace under `name` (the band's model); the answer check (verify) then
 * judges them like a filter model's. How a folder becomes a model is the evaluation domain's business: the
 * engine's composition (electron/core/kinds.ts) hands an opener in.
 */
export interface StudentModel {
  /** The prompt that asks the question and opens the thinking (the model's own chat template). */
  prompt(question: string): string;
  continue(req: { prompt: string; maxTokens: number; temperature?: number; seed?: number; signal?: AbortSignal }): Promise<{ text: string; finishReason: string | null }>;
  close?(): Promise<void>;
}
export type OpenStudent = (project: Project, dir: string) => Promise<StudentModel>;

export const STUDENT_KIND = 'student-attempts';

export const studentParams = z.object({
  dir: z.string().trim().min(1),
  /** The traces' source name, which the band reads (`model` of a band with role 'student'). */
  name: z.string().trim().min(1).max(100).default('student'),
  ids: z.array(z.number().int().positive()).min(1),
  samples: z.number().int().min(1).max(64).default(8),
  maxTokens: z.number().int().min(1).max(131_072).default(2048),
  temperature: z.number().min(0).max(2).default(0.7),
  seed: z.number().int().min(0).max(2 ** 31).default(0),
});
export type StudentParams = z.infer<typeof studentParams>;

const loaded = new Map<string, Promise<StudentModel>>();

/** Frees the student models this process opened (the in-app engine's worker, a served folder's client). */
export async function closeStudents(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  for (const m of all) await (await m.catch(() => null))?.close?.();
}

/** Thinking before `</think>`, the answer after it; a reply cut before `</think>` is judged on all it wrote. */
export function splitReply(text: string): { thinking: string; answer: string } {
  const cut = text.indexOf('</think>');
  return cut >= 0 ? { thinking: text.slice(0, cut).trim(), answer: text.slice(cut + '</think>'.length).trim() } : { thinking: text.trim(), answer: text.trim() };
}

export function studentKind(open: OpenStudent): JobKind<StudentParams> {
  return {
    kind: STUDENT_KIND,
    params: studentParams,
    concurrency: 1,
    labelMessage: (p) => message('job_label_student', { name: p.name, samples: p.samples }, `student attempts (${p.name}, ${p.samples} per question)`),
    *plan(project, p) {
      const have = sampleTakenCheck(project.db);
      const rows: [number, number][] = [];
      for (const id of p.ids) for (let s = 0; s < p.samples; s++) if (!have(id, p.name, s)) rows.push([id, s]);
      for (const [id, s] of rows) yield { key: `${id}:${s}`, payload: [id, s] };
    },
    async run(item, ctx) {
      const [id, s] = item.payload as [number, number];
      const p = ctx.params;
      const db = ctx.project.db;
      const question = questionTextLookup(db)(id);
      if (question === undefined) return ctx.complete();
      let model = loaded.get(p.dir);
      if (!model) {
        model = open(ctx.project, p.dir);
        loaded.set(p.dir, model);
        model.catch(() => loaded.delete(p.dir));
      }
      try {
        const m = await model;
        const r = await m.continue({ prompt: m.prompt(question), maxTokens: p.maxTokens, temperature: p.temperature, seed: p.seed + id * 1000 + s, signal: ctx.signal });
        const { thinking, answer } = splitReply(r.text);
        ctx.complete(() => insertDoneTrace(db, { questionId: id, teacher: p.name, sampleIndex: s, thinking, answer, raw: r.text, finishReason: r.finishReason }));
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        ctx.fail(`The student model in ${p.dir} could not answer question ${id}: ${(e as Error).message}`);
      }
    },
  };
}
