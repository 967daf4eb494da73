import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { ask, checkReady, chunkCtx, connect, judgeReply, synthParams, type SynthInput, type Verdict } from './synth';
import { synthPrompt } from './prompt';

export interface PreviewResult {
  items: (Verdict & { chunkId: number; document: string; headingPath: string[]; pageFrom: number; pageTo: number })[];
  chunksTried: number;
  chunksTotal: number;
  /** The whole run, extrapolated from the preview's requests. */
  estimate: { requests: number; seconds: number; promptTokens: number; completionTokens: number; price: number | null; perChunkSeconds: number };
}

/**
 * Five questions from three chunks (spread over the chosen documents) before the whole run: asked and judged
 * exactly as the job will, but nothing is written. The estimate extrapolates the preview's own latency and
 * token use to every chunk, at the job's concurrency, priced with the teacher's prices where it has them.
 */
export async function previewSynthesis(project: Project, input: SynthInput, signal: AbortSignal = new AbortController().signal): Promise<PreviewResult> {
  const p = synthParams.parse(input);
  const ids = checkReady(project.db, p);
  const picks = ids.length <= 3 ? ids : [ids[0]!, ids[Math.floor(ids.length / 2)]!, ids[ids.length - 1]!];
  // Five questions over three chunks: 2 + 2 + 1 (fewer chunks: the five are shared among them).
  const counts = picks.map((_, i) => Math.floor(5 / picks.length) + (i < 5 % picks.length ? 1 : 0));
  const conn = connect(project.db, p.teacher);
  const items: PreviewResult['items'] = [];
  let ms = 0;
  let pt = 0;
  let ct = 0;
  const results = await Promise.all(
    picks.map(async (id, i) => {
      const chunk = chunkCtx(project.db, id)!;
      const n = counts[i]!;
      try {
        const a = await ask(conn, synthPrompt({ ...chunk, n, types: p.types, language: p.language }), p, signal);
        return { chunk, a, verdicts: judgeReply(project.db, chunk, a.content, { perChunk: n, types: p.types }) };
      } catch (e) {
        if (signal.aborted) throw e;
        return { chunk, error: (e as Error).message };
      }
    }),
  );
  const failed = results.filter((r) => 'error' in r);
  if (failed.length === results.length) throw new UserError(`The preview could not ask the teacher: ${(failed[0] as { error: string }).error}. Check the teacher in the Teacher step, then preview again.`, 'teacher_failed');
  const none = { type: null, question: null, answer: null, quote: null, quoteStart: null, quoteEnd: null, duplicateOf: null, raw: '' };
  for (const r of results) {
    if ('error' in r) {
      items.push({ ...none, status: 'rejected', reason: `the request failed: ${r.error}`, chunkId: r.chunk.id, document: r.chunk.document, headingPath: r.chunk.headingPath, pageFrom: r.chunk.pageFrom, pageTo: r.chunk.pageTo });
      continue;
    }
    const { chunk, a, verdicts } = r;
    ms += a.ms;
    // The run asks for perChunk questions, the preview for fewer: scale the reply's size to match.
    const n = verdicts.length || 1;
    pt += a.promptTokens;
    ct += (a.completionTokens / n) * p.perChunk;
    for (const v of verdicts) items.push({ ...v, chunkId: chunk.id, document: chunk.document, headingPath: chunk.headingPath, pageFrom: chunk.pageFrom, pageTo: chunk.pageTo });
  }
  const asked = results.length - failed.length;
  const per = ms / asked / 1000;
  const promptTokens = Math.round((pt / asked) * ids.length);
  const completionTokens = Math.round((ct / asked) * ids.length);
  const t = conn.teacher;
  const price = t.priceInput !== null || t.priceOutput !== null ? Math.round((((t.priceInput ?? 0) * promptTokens + (t.priceOutput ?? 0) * completionTokens) / 1e6) * 10_000) / 10_000 : null;
  return {
    items,
    chunksTried: picks.length,
    chunksTotal: ids.length,
    estimate: { requests: ids.length, seconds: Math.round((per * ids.length) / p.concurrency), promptTokens, completionTokens, price, perChunkSeconds: Math.round(per * 10) / 10 },
  };
}
