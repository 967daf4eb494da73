/**
 * Budget forcing (s1, Muennighoff et al. 2025) over any TextGenerator: the chat template is rendered in the
 * app, thinking is generated up to `maxThinking` tokens of the model's own tokenizer — never one more —,
 * an early end of thinking is replaced by "Wait" while the minimum is not reached, and a thought cut by the
 * budget gets the end-of-thinking delimiter and s1's "Final Answer:" cue before the answer is generated.
 */
import type { ChatMessage } from '../chat/template';
import type { TextGenerator } from '../chat/generator';
import type { LoadedTokenizer } from '../tokens';
import { UserError } from '../util/errors';
import type { ForcingResult } from './types';

export const FINAL_CUE = 'Final Answer:';

export interface ForcingOptions {
  /** The conversation; or `question`, asked as one user turn. */
  messages?: readonly ChatMessage[];
  question?: string;
  maxThinking: number;
  /** Below this many thinking tokens an early end of thinking becomes "Wait" (while waits are left). */
  minThinking?: number;
  /** K: how many "Wait"s may be inserted at most. */
  waits?: number;
  waitWord?: string;
  finalCue?: string;
  maxAnswerTokens?: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface ForcingHooks {
  /** The whole thinking so far (it may shrink once, when the last piece is cut to the budget). */
  onThinking?(text: string): void;
  onWait?(waits: number): void;
  /** The whole answer so far (with the cue when one was forced). */
  onAnswer?(text: string): void;
  /** Once, when the first text of the generation arrives. */
  onFirstText?(ttftMs: number): void;
}

/** The prompt that opens the thinking: the rendered conversation, then the think delimiter on its own line. */
export function thinkingPrompt(gen: TextGenerator, messages: readonly ChatMessage[]): string {
  const t = gen.template;
  const rendered = t.render(messages, { addGenerationPrompt: true });
  // Templates of reasoning models (Qwen3, R1 distills) already open the thinking themselves.
  const tail = rendered.trimEnd();
  if (tail.endsWith(t.thinkOpen)) return `${tail}\n`;
  return `${rendered}${t.thinkOpen}\n`;
}

/** `text` cut to at most `max` tokens of `tok`, re-counted until it fits (a cut may split a character). */
export function truncateToTokens(tok: LoadedTokenizer, text: string, max: number): { text: string; tokens: number } {
  const ids = tok.encode(text);
  if (ids.length <= max) return { text, tokens: ids.length };
  if (max <= 0) return { text: '', tokens: 0 };
  let keep = max;
  for (;;) {
    // A byte-level cut inside a character decodes to U+FFFD, which is not what the model wrote: drop it.
    const cut = tok.decode(ids.slice(0, keep)).replace(/\uFFFD+$/, '');
    const n = tok.count(cut);
    if (n <= max) return { text: cut, tokens: n };
    keep -= n - max;
    if (keep <= 0) return { text: '', tokens: 0 };
  }
}

/** Runs one budget-forced generation; see the module comment. */
export async function budgetForce(gen: TextGenerator, o: ForcingOptions, hooks: ForcingHooks = {}): Promise<ForcingResult> {
  const messages: readonly ChatMessage[] = o.messages ?? (o.question !== undefined ? [{ role: 'user', content: o.question }] : []);
  if (messages.length === 0) throw new UserError('Budget forcing needs a question or a conversation; none was given.', 'no_messages');
  const max = Math.max(0, Math.floor(o.maxThinking));
  const min = Math.min(max, Math.max(0, Math.floor(o.minThinking ?? 0)));
  const k = Math.max(0, Math.floor(o.waits ?? 0));
  const waitWord = o.waitWord ?? 'Wait';
  const cue = o.finalCue ?? FINAL_CUE;
  const tok = gen.tokenizer;
  const close = gen.template.thinkClose;
  const prompt = thinkingPrompt(gen, messages);

  const t0 = performance.now();
  let ttft: number | null = null;
  let generatedTokens = 0;
  let genMs = 0;
  const sample = { temperature: o.temperature, seed: o.seed, signal: o.signal };
  const firstText = () => {
    if (ttft !== null) return;
    ttft = performance.now() - t0;
    hooks.onFirstText?.(ttft);
  };

  let thinking = '';
  let thinkingTokens = 0;
  let waitsInserted = 0;
  let hitBudget = false;
  while (max > 0) {
    const remaining = max - thinkingTokens;
    if (remaining <= 0) {
      hitBudget = true;
      break;
    }
    const before = thinking;
    const r = await gen.continue({
      ...sample,
      prompt: prompt + before,
      maxTokens: remaining,
      stop: [close],
      onText: (t) => {
        if (t) firstText();
        hooks.onThinking?.(before + t);
      },
    });
    genMs += r.totalMs;
    let piece = r.text;
    // A server that ignores stop strings still must not leak the delimiter into the thinking.
    const at = piece.indexOf(close);
    const closed = at >= 0 || r.finishReason === 'stop';
    if (at >= 0) piece = piece.slice(0, at);
    if (piece) firstText();
    const fit = truncateToTokens(tok, before + piece, max);
    const cut = fit.text !== before + piece;
    thinking = fit.text;
    generatedTokens += Math.max(0, fit.tokens - thinkingTokens);
    thinkingTokens = fit.tokens;
    if (cut) {
      hitBudget = true;
      hooks.onThinking?.(thinking);
      break;
    }
    if (!closed) {
      // Stopped by the length limit. The server's count and ours can differ at the seams: go on while our
      // count leaves room and the server still produces text.
      if (thinkingTokens >= max || !piece) {
        hitBudget = true;
        break;
      }
      continue;
    }
    if (thinkingTokens < min && waitsInserted < k) {
      waitsInserted++;
      const next = truncateToTokens(tok, `${thinking}\n${waitWord}`, max);
      thinking = next.text;
      thinkingTokens = next.tokens;
      hooks.onWait?.(waitsInserted);
      hooks.onThinking?.(thinking);
      continue;
    }
    break;
  }

  const answerPrompt = hitBudget ? `${prompt}${thinking}${close}\n\n${cue}` : `${prompt}${thinking}${close}`;
  const prefix = hitBudget ? cue : '';
  const r = await gen.continue({
    ...sample,
    prompt: answerPrompt,
    maxTokens: Math.max(1, Math.floor(o.maxAnswerTokens ?? 1024)),
    onText: (t) => {
      if (t) firstText();
      hooks.onAnswer?.(prefix + t);
    },
  });
  genMs += r.totalMs;
  if (r.text) firstText();
  const answer = prefix + r.text;
  hooks.onAnswer?.(answer);
  const answerTokens = r.text ? tok.count(r.text) : 0;
  generatedTokens += answerTokens;
  const totalMs = performance.now() - t0;
  return {
    thinking,
    answer,
    thinkingTokens,
    answerTokens,
    waitsInserted,
    hitBudget,
    ttftMs: ttft,
    totalMs,
    tokensPerSecond: genMs > 0 && generatedTokens > 0 ? generatedTokens / (genMs / 1000) : null,
    prompt,
  };
}
