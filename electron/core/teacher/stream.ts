import { StringDecoder } from 'node:string_decoder';

export type ReasoningSource = 'reasoning' | 'reasoning_content' | 'think_tag';

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
  choices?: { delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null }; finish_reason?: string | null }[];
  usage?: Usage | null;
  error?: { message?: string } | string;
  model?: string;
}

/**
 * Incremental parser for an OpenAI-style SSE chat stream. It is fed whole network buffers and handles
 * every event in them in one pass; text deltas are kept as parts and joined once at the end, so that a
 * token costs one JSON.parse and one array push.
 */
export class ChatStream {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
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

  /** Feeds one network buffer; returns the number of deltas it carried (a live token count). */
  push(buf: Buffer | string): number {
    const before = this.contentDeltas + this.reasoningDeltas;
    const text = this.rest + (typeof buf === 'string' ? buf : this.decoder.write(buf));
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      if (end === start) this.dispatch();
      else if (text.startsWith('data:', start)) {
        const from = text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
        const line = text.slice(from, end);
        this.data = this.data ? `${this.data}\n${line}` : line;
      } // comments (":"), event:, id:, retry: lines carry nothing we use
      start = nl + 1;
    }
    this.rest = start === 0 ? text : text.slice(start);
    if (this.rest.length > 8 * 1024 * 1024) throw new StreamError('the server sent a line longer than 8 MB without a line break');
    return this.contentDeltas + this.reasoningDeltas - before;
  }

  /** Call at end of body: a final event without its blank line still counts. */
  end(): void {
    const tail = this.rest + this.decoder.end();
    this.rest = '';
    if (tail.trim()) this.push(`${tail}\n\n`);
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
    }
    if (ch.finish_reason) this.finishReason = ch.finish_reason;
  }

  /** True when the stream ended as a complete response; anything else is discarded and retried. */
  complete(): boolean {
    return this.finishReason !== null;
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
