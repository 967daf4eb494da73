import { DISCOVERY_PORTS } from './presets';
import { AttemptError, joinUrl, requestJson } from './http';
import { teacherConnection } from './credentials';
import { authHeaders, chatStream } from './client';
import { buildPrompt, splitBeforeAnswer, type ReasoningMode } from './prompting';
import { splitReasoning } from './stream';
import type { Teacher } from './store';

export interface DiscoveredServer {
  baseUrl: string;
  port: number;
  /** A guess from the port and the answer's shape; the user confirms it. */
  server: string;
  models: { id: string; contextLength: number | null }[];
}

interface ModelsAnswer {
  data?: { id?: string; max_model_len?: number; context_length?: number; owned_by?: string; meta?: { n_ctx_train?: number } }[];
}

function contextOf(m: NonNullable<ModelsAnswer['data']>[number]): number | null {
  return m.max_model_len ?? m.context_length ?? m.meta?.n_ctx_train ?? null;
}

function guessServer(port: number, a: ModelsAnswer): string {
  const m = a.data?.[0];
  if (m?.max_model_len !== undefined) return m.owned_by === 'sglang' ? 'sglang' : 'vllm';
  if (m?.owned_by === 'llamacpp' || m?.meta) return 'llamacpp';
  if (m?.owned_by === 'library' || port === 11434) return 'ollama';
  switch (port) {
    case 30000:
      return 'sglang';
    case 1234:
      return 'lmstudio';
    case 8080:
      return 'llamacpp';
    default:
      return m?.owned_by === 'local' ? 'transformers' : 'openai-compatible';
  }
}

export async function listModels(baseUrl: string, headers: Record<string, string> = {}, timeoutMs = 1_500): Promise<DiscoveredServer['models']> {
  const a = (await requestJson({ url: joinUrl(baseUrl, 'models'), method: 'GET', headers, timeoutMs })) as ModelsAnswer;
  return (a.data ?? []).filter((m) => typeof m.id === 'string').map((m) => ({ id: m.id as string, contextLength: contextOf(m) }));
}

/** The sentence for a teacher whose model name the server does not serve (transformers serve answers 400 to any other name). */
export function modelMismatchSentence(served: readonly string[], model: string, teacher: string): string {
  return (
    `the server serves ${served.map((m) => `"${m}"`).join(', ')}; the teacher is set to "${model}" — set the teacher's model to one of them ` +
    `(distillery teacher add PROJECT --name ${teacher} --url URL --model ID again, or the Teacher step)`
  );
}

/** When the server lists its models and the teacher's is not among them: modelMismatchSentence; else null (also when it lists none). */
export async function modelMismatch(baseUrl: string, headers: Record<string, string>, model: string, teacher: string, timeoutMs = 5_000): Promise<string | null> {
  let ids: string[];
  try {
    ids = (await listModels(baseUrl, headers, timeoutMs)).map((m) => m.id);
  } catch {
    return null;
  }
  return ids.length === 0 || ids.includes(model) ? null : modelMismatchSentence(ids, model, teacher);
}

/** "Find local servers": asks each usual loopback port for its models, briefly, all at once. */
export async function discover(opts: { host?: string; ports?: readonly number[]; timeoutMs?: number } = {}): Promise<DiscoveredServer[]> {
  const host = opts.host ?? '127.0.0.1';
  const found = await Promise.all(
    (opts.ports ?? DISCOVERY_PORTS).map(async (port) => {
      const baseUrl = `http://${host}:${port}/v1`;
      try {
        const signal = AbortSignal.timeout(opts.timeoutMs ?? 1_500);
        const a = (await requestJson({ url: joinUrl(baseUrl, 'models'), method: 'GET', headers: {}, timeoutMs: opts.timeoutMs ?? 1_500, signal })) as ModelsAnswer;
        if (!a || !Array.isArray(a.data)) return null;
        const models = a.data.filter((m) => typeof m.id === 'string').map((m) => ({ id: m.id as string, contextLength: contextOf(m) }));
        return { baseUrl, port, server: guessServer(port, a), models };
      } catch {
        return null;
      }
    }),
  );
  return found.filter((x): x is DiscoveredServer => x !== null);
}

export interface TestReport {
  ok: boolean;
  endpoint: string;
  latencyMs: number | null;
  firstTokenMs: number | null;
  /** Where reasoning arrived: 'reasoning', 'reasoning_content', 'think_tag', or null when none came back. */
  reasoning: string | null;
  contextLength: number | null;
  finishReason: string | null;
  usage: { prompt: number | null; completion: number | null } | null;
  sample: string | null;
  flags: string[];
  error: string | null;
  /** When /v1/models lists other models than the teacher's: the sentence saying which to set; else null. */
  modelHint: string | null;
}

/** Sends one short request to each endpoint of a teacher and reports what came back. */
export async function testTeacher(t: Teacher, opts: { timeoutMs?: number; maxTokens?: number; reasoning?: { mode: ReasoningMode; prompt: string | null } } = {}): Promise<TestReport[]> {
  // The teacher's reasoning setting applies to the test too, so that switching it on shows its effect at once.
  const question = 'What is 7 + 5? Think briefly, then answer with the number.';
  const content = opts.reasoning ? buildPrompt('{question}', { question, answer: null, domain: null, id: 0 }, opts.reasoning) : question;
  const conn = teacherConnection(t);
  const headers = authHeaders(conn, { 'content-type': 'application/json' });
  return Promise.all(
    t.baseUrls.map(async (endpoint, i): Promise<TestReport> => {
      // The report shows the redacted URL; the requests go to the real one.
      const url = conn.baseUrls[i] ?? endpoint;
      const report: TestReport = { ok: false, endpoint, latencyMs: null, firstTokenMs: null, reasoning: null, contextLength: null, finishReason: null, usage: null, sample: null, flags: [], error: null, modelHint: null };
      try {
        const models = await listModels(url, headers, opts.timeoutMs ?? 10_000);
        report.contextLength = models.find((m) => m.id === t.model)?.contextLength ?? null;
        if (models.length > 0 && !models.some((m) => m.id === t.model)) report.modelHint = modelMismatchSentence(models.map((m) => m.id), t.model, t.name);
      } catch {
        // Not every API lists models; the chat request below is the real test.
      }
      const body = JSON.stringify({
        model: t.model,
        messages: [{ role: 'user', content }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: opts.maxTokens ?? 256,
      });
      const t0 = Date.now();
      try {
        const s = await chatStream(url, headers, body, { timeoutMs: opts.timeoutMs ?? 60_000 }, () => {
          report.firstTokenMs ??= Date.now() - t0;
        });
        report.latencyMs = Date.now() - t0;
        let parsed = splitReasoning(s.reasoning.join(''), s.reasoningField, s.content.join(''));
        if (opts.reasoning?.mode === 'split') parsed = splitBeforeAnswer(parsed, s.content.join(''));
        report.ok = true;
        report.reasoning = parsed.reasoningSource;
        report.flags = parsed.flags;
        report.finishReason = s.finishReason;
        report.usage = s.usage ? { prompt: s.usage.prompt_tokens ?? null, completion: s.usage.completion_tokens ?? null } : null;
        report.sample = (parsed.answer ?? s.content.join('')).slice(0, 200);
      } catch (e) {
        report.error = e instanceof AttemptError || e instanceof Error ? e.message : String(e);
        if (report.modelHint) report.error += `; ${report.modelHint}`;
      }
      return report;
    }),
  );
}
