import { collectLogprobs, type ChoiceLogprobs, type TokenLogprob } from './logprobs';

export type ReasoningSource = 'reasoning' | 'reasoning_content' | 'think_tag' | 'split';

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/** Thrown for a stream that cannot be trusted (bad chunk, server error event): the attempt is discarded. */
export class StreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamError';
  }
}

interface Chunk {
  // `delta` for chat completions; `text` for the legacy completions endpoint (continuations, budget forcing).
  choices?: {
    delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null };
    text?: string | null;
    finish_reason?: string | null;
    logprobs?: ChoiceLogprobs | null;
  }[];
  usage?: Usage | null;
  error?: { message?: string } | string;
  model?: string;
}

/** Bytes of "data:" at the start of an SSE line. */
const D = 0x64;
const A = 0x61;
const T = 0x74;
const COLON = 0x3a;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const MAX_LINE = 8 * 1024 * 1024;

/**
 * Incremental parser for an OpenAI-style SSE chat stream. It is fed whole network buffers and scans them
 * at the byte level for line breaks (a 0x0A byte never occurs inside a UTF-8 sequence, so every whole line
 * decodes on its own and a character split across buffers is kept as bytes until its line is complete).
 * Only `data:` lines are decoded; comments, `event:`, `id:` and `retry:` lines are skipped without
 * allocating. Text deltas are kept as parts and joined once at the end, so that a token costs one
 * JSON.parse and one array push.
 */
export class ChatStream {
  /** Bytes of an unfinished line carried over from the previous buffer (rare: servers write whole events). */
  private rest: Buffer | null = null;
  private data = '';
  readonly content: string[] = [];
  readonly reasoning: string[] = [];
  /** Delta counts: a fallback for token counts when the server sends no usage. */
  contentDeltas = 0;
  reasoningDeltas = 0;
  reasoningField: 'reasoning' | 'reasoning_content' | null = null;
  finishReason: string | null = null;
  usage: Usage | null = null;
  model: string | null = null;
  sawDone = false;
  events = 0;
  /**
   * Fast path: the chunks of one stream differ only in the text of their one delta. After a full
   * JSON.parse shows that a chunk carries nothing but one text delta, the bytes around that string are
   * kept as a template; a later chunk that matches the template byte for byte outside its string has
   * the very same structure, so only the string itself needs decoding.
   */
  private readonly templates: Template[] = [];
  /** The generated tokens' top-k logprobs, when asked for (null: not asked). */
  readonly logprobs: TokenLogprob[] | null;

  constructor(opts: { logprobs?: boolean } = {}) {
    this.logprobs = opts.logprobs ? [] : null;
  }

  /**
   * A whole (non-streamed) chat or completions response, for a server that answers `stream: true` with one
   * JSON object: the same fields as the streamed chunks, from `message` instead of `delta`.
   */
  whole(text: string): void {
    let r: { choices?: { message?: Record<string, string | null>; text?: string | null; finish_reason?: string | null; logprobs?: ChoiceLogprobs | null }[]; usage?: Usage; model?: string; error?: { message?: string } | string };
    try {
      r = JSON.parse(text) as typeof r;
    } catch {
      throw new StreamError(`the server answered with invalid JSON (${JSON.stringify(text.slice(0, 80))})`);
    }
    if (r?.error) throw new StreamError(`the server reported an error: ${typeof r.error === 'string' ? r.error : (r.error.message ?? 'unknown')}`);
    const ch = r?.choices?.[0];
    if (!ch) throw new StreamError('the server answered with no choices');
    this.model = r.model ?? null;
    this.usage = r.usage ?? null;
    const m = ch.message ?? {};
    const reasoning = m.reasoning ?? m.reasoning_content;
    if (reasoning) {
      this.reasoning.push(reasoning);
      this.reasoningField = m.reasoning ? 'reasoning' : 'reasoning_content';
    }
    const content = m.content ?? ch.text;
    if (content) this.content.push(content);
    if (this.logprobs) collectLogprobs(ch.logprobs, this.logprobs);
    this.finishReason = ch.finish_reason ?? null;
  }

  /** Feeds one network buffer; returns the number of deltas it carried (a live token count). */
  push(input: Buffer | string): number {
    const before = this.contentDeltas + this.reasoningDeltas;
    let buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    if (this.rest) {
      buf = Buffer.concat([this.rest, buf]);
      this.rest = null;
    }
    const len = buf.length;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(LF, start);
      if (nl < 0) break;
      let end = nl;
      if (end > start && buf[end - 1] === CR) end--;
      if (end === start) this.dispatch();
      else if (end - start >= 5 && buf[start] === D && buf[start + 1] === A && buf[start + 2] === T && buf[start + 3] === A && buf[start + 4] === COLON) {
        const from = buf[start + 5] === SPACE ? start + 6 : start + 5;
        const line = buf.toString('utf8', from, end);
        this.data = this.data ? `${this.data}\n${line}` : line;
      } // comments (":"), event:, id:, retry: lines carry nothing we use
      start = nl + 1;
    }
    if (start < len) {
      if (len - start > MAX_LINE) throw new StreamError('the server sent a line longer than 8 MB without a line break');
      // Copy: the caller's buffer may be reused once we return.
      this.rest = Buffer.from(buf.subarray(start));
    }
    return this.contentDeltas + this.reasoningDeltas - before;
  }

  /** Call at end of body: a final event without its blank line still counts. */
  end(): void {
    const tail = this.rest;
    this.rest = null;
    if (tail && tail.toString('utf8').trim()) this.push(Buffer.concat([tail, Buffer.from('\n\n')]));
    else this.dispatch();
  }

  private dispatch(): void {
    const d = this.data;
    if (!d) return;
    this.data = '';
    this.events++;
    if (d === '[DONE]') {
      this.sawDone = true;
      return;
    }
    for (const t of this.templates) {
      const v = t.match(d);
      if (v === undefined) continue;
      this.delta(t.field, v);
      return;
    }
    let c: Chunk;
    try {
      c = JSON.parse(d) as Chunk;
    } catch {
      throw new StreamError(`the server sent an invalid stream chunk (${JSON.stringify(d.slice(0, 80))})`);
    }
    if (c === null || typeof c !== 'object') throw new StreamError(`the server sent an invalid stream chunk (${JSON.stringify(d.slice(0, 80))})`);
    if (c.error) throw new StreamError(`the server reported an error mid-stream: ${typeof c.error === 'string' ? c.error : (c.error.message ?? 'unknown')}`);
    if (c.model && !this.model) this.model = c.model;
    if (c.usage) this.usage = c.usage;
    const ch = c.choices?.[0];
    if (!ch) return;
    if (ch.logprobs) {
      if (this.logprobs) collectLogprobs(ch.logprobs, this.logprobs);
    } else if (this.templates.length < 3) this.learn(d, c); // a chunk with logprobs is never a template: they differ per token
    const delta = ch.delta;
    if (delta) {
      if (delta.reasoning) {
        this.reasoning.push(delta.reasoning);
        this.reasoningDeltas++;
        this.reasoningField ??= 'reasoning';
      } else if (delta.reasoning_content) {
        this.reasoning.push(delta.reasoning_content);
        this.reasoningDeltas++;
        this.reasoningField ??= 'reasoning_content';
      }
      if (delta.content) {
        this.content.push(delta.content);
        this.contentDeltas++;
      }
    } else if (ch.text) {
      this.content.push(ch.text);
      this.contentDeltas++;
    }
    if (ch.finish_reason) this.finishReason = ch.finish_reason;
  }

  private delta(field: TextField, v: string): void {
    if (field === 'content') {
      this.content.push(v);
      this.contentDeltas++;
    } else {
      this.reasoning.push(v);
      this.reasoningDeltas++;
      this.reasoningField ??= field;
    }
  }

  /** Keeps a chunk as a template when it carries exactly one non-empty text delta and nothing else of use. */
  private learn(d: string, c: Chunk): void {
    if (c.usage || c.error || (c.model && c.model !== this.model) || c.choices?.length !== 1) return;
    const ch = c.choices[0];
    if (!ch || ch.finish_reason) return;
    const delta = ch.delta;
    if (!delta || typeof delta !== 'object') return;
    const keys = Object.keys(delta).filter((k) => delta[k as keyof typeof delta] !== null && delta[k as keyof typeof delta] !== undefined);
    if (keys.length !== 1) return;
    const field = keys[0] as TextField;
    if (field !== 'content' && field !== 'reasoning' && field !== 'reasoning_content') return;
    const value = delta[field];
    if (typeof value !== 'string' || !value) return;
    // "reasoning" must not also match inside "reasoning_content": this needs the closing quote.
    if (field === 'reasoning' && delta.reasoning_content !== undefined) return;
    if (this.templates.some((t) => t.field === field)) return;
    const key = `"${field}":"`;
    const at = d.indexOf(key);
    if (at < 0 || d.indexOf(key, at + 1) >= 0) return;
    const start = at + key.length;
    const end = stringEnd(d, start);
    if (end < 0 || decodeString(d, start, end) !== value) return;
    this.templates.push(new Template(field, d.slice(0, start), d.slice(end + 1)));
  }

  /** True when the stream ended as a complete response; anything else is discarded and retried. */
  complete(): boolean {
    return this.finishReason !== null;
  }
}

type TextField = 'content' | 'reasoning' | 'reasoning_content';

/** Index of the quote that closes the JSON string whose text starts at `from`; -1 when there is none. */
function stringEnd(d: string, from: number): number {
  let i = from;
  for (;;) {
    const q = d.indexOf('"', i);
    if (q < 0) return -1;
    let bs = 0;
    for (let j = q - 1; j >= from && d.charCodeAt(j) === 92; j--) bs++;
    if (bs % 2 === 0) return q;
    i = q + 1;
  }
}

/** The text of the JSON string d[from, end); undefined when it is not a valid JSON string. */
function decodeString(d: string, from: number, end: number): string | undefined {
  const raw = d.slice(from, end);
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch < 0x20 || ch === 92) {
      plain = false;
      break;
    }
  }
  if (plain) return raw;
  try {
    const v = JSON.parse(`"${raw}"`) as unknown;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

class Template {
  constructor(
    readonly field: TextField,
    private readonly prefix: string,
    private readonly suffix: string,
  ) {}

  /** The delta text when `d` is this template around a valid JSON string; undefined otherwise. */
  match(d: string): string | undefined {
    const p = this.prefix;
    const sfx = this.suffix;
    if (d.length < p.length + sfx.length + 2 || !d.startsWith(p) || !d.endsWith(sfx)) return undefined;
    const end = d.length - sfx.length - 1;
    if (stringEnd(d, p.length) !== end) return undefined;
    const v = decodeString(d, p.length, end);
    return v ? v : undefined;
  }
}

export interface Parsed {
  thinking: string | null;
  answer: string | null;
  reasoningSource: ReasoningSource | null;
  flags: string[];
}

/**
 * Splits a response into thinking and answer: the `reasoning` field, then `reasoning_content`, then
 * inline <think>…</think>. Missing or unterminated thinking is flagged, never guessed.
 */
export function splitReasoning(reasoning: string, reasoningField: 'reasoning' | 'reasoning_content' | null, content: string): Parsed {
  const flags: string[] = [];
  if (reasoningField && reasoning.trim()) {
    if (content.includes('<think>') || content.includes('</think>')) flags.push('think_tag_in_answer');
    const answer = content.trim() ? content.trim() : null;
    if (answer === null) flags.push('no_answer');
    return { thinking: reasoning.trim(), answer, reasoningSource: reasoningField, flags };
  }
  const open = content.indexOf('<think>');
  const close = content.indexOf('</think>');
  if (close >= 0 && (open < 0 || open < close)) {
    // Some chat templates open <think> in the prompt, so only the closing tag comes back.
    const thinking = content.slice(open >= 0 ? open + 7 : 0, close).trim();
    const answer = content.slice(close + 8).trim() || null;
    if (open > 0 && content.slice(0, open).trim()) flags.push('text_before_think');
    if (!thinking) flags.push('empty_thinking');
    if (answer === null) flags.push('no_answer');
    return { thinking, answer, reasoningSource: 'think_tag', flags };
  }
  if (open >= 0) {
    flags.push('unterminated_thinking');
    return { thinking: null, answer: null, reasoningSource: 'think_tag', flags };
  }
  flags.push('no_thinking');
  const answer = content.trim() || null;
  if (answer === null) flags.push('no_answer');
  return { thinking: null, answer, reasoningSource: null, flags };
}
