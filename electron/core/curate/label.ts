import { z } from 'zod';
import type { JobKind } from '../jobs';
import { poolQuestionIds, questionDomains, questionTextLookup } from '../pool/questions';
import type { DB } from '../store/project';
import { teacherConnection } from '../teacher/credentials';
import { authHeaders, chatOnce } from '../teacher/client';
import { getTeacher } from '../teacher/store';
import { UserError } from '../util/errors';
import { message } from '../util/messages';
import { DEFAULT_TAXONOMY, getTaxonomy, labelPrompt, OTHER, parseLabel } from './taxonomy';

export const LABEL_KIND = 'label-domains';

export const labelParams = z.object({
  teacher: z.string().trim().min(1),
  taxonomy: z.string().min(1).default(DEFAULT_TAXONOMY),
  /** 'unlabelled' skips questions that already carry a label of this taxonomy. */
  scope: z.enum(['unlabelled', 'all']).default('unlabelled'),
  concurrency: z.number().int().min(1).max(256).default(8),
  /** Reasoning teachers think before they answer: leave room (s1 labelled with a chat model). */
  maxTokens: z.number().int().positive().default(2048),
  temperature: z.number().min(0).max(2).default(0),
  timeoutMs: z.number().int().positive().default(120_000),
  maxAttempts: z.number().int().min(1).max(10).default(3),
});
export type LabelParams = z.infer<typeof labelParams>;

/** One small non-streaming chat call; the answer's content (thinking stripped later by the parser). */
async function chat(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const r = await chatOnce(url, headers, body, { who: 'domain labeller', timeoutMs, signal });
  if (!r.ok) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  return r.content;
}

/** The labelling job: a registered teacher puts every question in one class of a taxonomy (unknown → 'other'). */
export const labelKind: JobKind<LabelParams> = {
  kind: LABEL_KIND,
  params: labelParams,
  concurrency: (p) => p.concurrency,
  labelMessage: (p) => message('job_label_domains', { taxonomy: p.taxonomy, teacher: p.teacher }, `label domains (${p.taxonomy}, teacher: ${p.teacher})`),
  *plan(project, p) {
    getTaxonomy(project.db, p.taxonomy);
    getTeacher(project.db, p.teacher);
    const labelled = new Set(
      p.scope === 'unlabelled' ? (project.db.prepare('SELECT question_id FROM domain_labels WHERE taxonomy = ?').pluck().all(p.taxonomy) as number[]) : [],
    );
    for (const id of poolQuestionIds(project.db)) if (!labelled.has(id)) yield { key: String(id), payload: id };
  },
  async run(item, ctx) {
    const id = item.payload as number;
    const db = ctx.project.db;
    const question = questionTextLookup(db)(id);
    if (question === undefined) {
      ctx.complete();
      return;
    }
    const tax = getTaxonomy(db, ctx.params.taxonomy);
    const t = getTeacher(db, ctx.params.teacher);
    const conn = teacherConnection(t);
    const headers = authHeaders(conn);
    const body = {
      model: t.model,
      messages: [{ role: 'user', content: labelPrompt(tax, question) }],
      max_tokens: ctx.params.maxTokens,
      temperature: ctx.params.temperature,
      stream: false,
    };
    let lastError = '';
    for (let attempt = 1; attempt <= ctx.params.maxAttempts; attempt++) {
      if (ctx.signal.aborted) throw new UserError('The labelling job was stopped.', 'aborted');
      const url = conn.baseUrls[(id + attempt - 1) % conn.baseUrls.length];
      if (!url) throw new UserError(`The teacher "${t.name}" has no endpoint; add its URL in the Teacher step.`, 'no_endpoint');
      try {
        const reply = await chat(url, headers, body, ctx.params.timeoutMs, ctx.signal);
        const label = parseLabel(tax, reply);
        ctx.complete(
          () =>
            db
              .prepare("INSERT OR REPLACE INTO domain_labels (question_id, taxonomy, label, source, raw, created_at) VALUES (?, ?, ?, 'teacher', ?, ?)")
              .run(id, tax.name, label, reply.slice(0, 2000), new Date().toISOString()),
          { label, other: label === OTHER },
        );
        return;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        lastError = (e as Error).message;
        await new Promise((r) => setTimeout(r, Math.min(8_000, 250 * 2 ** attempt)));
      }
    }
    ctx.fail(`The teacher "${t.name}" could not label question ${id} after ${ctx.params.maxAttempts} attempts: ${lastError}. Check the endpoint in the Teacher step and resume the job.`);
  },
};

/** Copies the imported domain column into a taxonomy's labels (source 'column'), for users who label by hand. */
export function labelsFromColumn(db: DB, taxonomy: string): number {
  const put = db.prepare("INSERT OR IGNORE INTO domain_labels (question_id, taxonomy, label, source, created_at) VALUES (?, ?, ?, 'column', ?)");
  const at = new Date().toISOString();
  return db.transaction(() => questionDomains(db).reduce((n, q) => n + put.run(q.id, taxonomy, q.domain, at).changes, 0))();
}
