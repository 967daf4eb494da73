import type { Block } from './types';

export interface Chunk {
  seq: number;
  text: string;
  /** Character offsets into the document's text (`docText`): text === docText.slice(start, end). */
  start: number;
  end: number;
  pageFrom: number;
  pageTo: number;
  /** The headings above the chunk, outermost first. */
  headingPath: string[];
  tokens: number;
}

export interface Chunked {
  /** The document's text: its blocks in reading order, separated by blank lines. */
  text: string;
  chunks: Chunk[];
}

export interface ChunkOptions {
  /** Largest chunk, in the counter's tokens. */
  maxTokens?: number;
  /** From this size on, a page break ends a chunk (pages are soft boundaries, headings hard ones). */
  minTokens?: number;
}

const CJK_RE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/g;

/** Token estimate without a tokenizer: about four characters per token, one per Chinese character. */
export function estimateTokens(s: string): number {
  const cjk = s.match(CJK_RE)?.length ?? 0;
  return Math.ceil(cjk + (s.length - cjk) / 4);
}
export const ESTIMATE_LABEL = 'estimate (about 4 characters per token, 1 per Chinese character)';

/** Sentence ends, Latin and Chinese, where an oversized paragraph may be cut. */
const SENTENCE_END = /[.!?;。！？；](?=\s|$)|[。！？；]/g;

function splitLong(text: string, start: number, max: number, count: (s: string) => number): { start: number; end: number }[] {
  const cuts: number[] = [];
  for (const m of text.matchAll(SENTENCE_END)) cuts.push(m.index + m[0].length);
  if (cuts[cuts.length - 1] !== text.length) cuts.push(text.length);
  const out: { start: number; end: number }[] = [];
  let from = 0;
  let last = 0;
  for (const c of cuts) {
    if (c > from && count(text.slice(from, c)) > max) {
      if (last > from) {
        out.push({ start: from, end: last });
        from = last;
      }
      // One sentence longer than a chunk: cut it by characters, at a space where there is one.
      while (count(text.slice(from, c)) > max) {
        let end = from + Math.max(1, Math.floor(((c - from) * max) / count(text.slice(from, c))));
        const space = text.lastIndexOf(' ', end);
        if (space > from + (end - from) / 2) end = space + 1;
        out.push({ start: from, end });
        from = end;
      }
    }
    last = c;
  }
  if (from < text.length) out.push({ start: from, end: text.length });
  return out.map((p) => {
    // Offsets stay exact: trim by moving the bounds, never by rewriting the text.
    let s = p.start;
    let e = p.end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    return { start: start + s, end: start + e };
  }).filter((p) => p.end > p.start);
}

/**
 * Chunks a document by its structure: a heading always starts a chunk, paragraphs are added while they fit in
 * `maxTokens`, a page break ends a chunk that is already `minTokens` long, and a paragraph longer than a chunk
 * is cut at sentence ends. Every chunk is an exact slice of the document's text, with its pages and headings.
 */
export function chunkBlocks(blocks: readonly Block[], count: (s: string) => number = estimateTokens, opts: ChunkOptions = {}): Chunked {
  const max = opts.maxTokens ?? 512;
  const min = opts.minTokens ?? Math.floor(max / 2);
  const parts: string[] = [];
  const chunks: Chunk[] = [];
  let offset = 0;
  const headings: { level: number; text: string }[] = [];
  // The chunk being filled keeps its own pieces: slicing the whole text per chunk would be quadratic.
  let cur: { start: number; end: number; pageFrom: number; pageTo: number; path: string[]; tokens: number; content: boolean; pieces: string[] } | null = null;

  const flush = () => {
    if (cur && cur.content) {
      const text = cur.pieces.join('');
      chunks.push({ seq: chunks.length, text, start: cur.start, end: cur.end, pageFrom: cur.pageFrom, pageTo: cur.pageTo, headingPath: cur.path, tokens: count(text) });
    }
    cur = cur && !cur.content ? cur : null;
  };
  const path = () => headings.map((h) => h.text);

  for (const b of blocks) {
    if (parts.length) {
      parts.push('\n\n');
      offset += 2;
    }
    const start = offset;
    parts.push(b.text);
    offset += b.text.length;
    const end = offset;
    const t = count(b.text);
    if (b.kind === 'heading') {
      const level = b.level ?? 1;
      while (headings.length && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text: b.text });
      flush();
      // Headings with nothing under them yet stay in the chunk that their first paragraph opens.
      if (cur) {
        cur.pieces.push('\n\n', b.text);
        cur.end = end;
        cur.pageTo = b.page;
        cur.path = path();
        cur.tokens += t;
      } else cur = { start, end, pageFrom: b.page, pageTo: b.page, path: path(), tokens: t, content: false, pieces: [b.text] };
      continue;
    }
    if (t > max) {
      const lead = cur && !cur.content ? cur : null;
      if (!lead) flush();
      cur = null;
      // The headings that open the first piece count against its size.
      const pieces = splitLong(b.text, start, Math.max(1, max - (lead ? lead.tokens + 1 : 0)), count);
      pieces.forEach((p, i) => {
        const s = i === 0 && lead ? lead.start : p.start;
        const own = b.text.slice(p.start - start, p.end - start);
        const text = i === 0 && lead ? [...lead.pieces, '\n\n'].join('') + b.text.slice(0, p.end - start) : own;
        chunks.push({ seq: chunks.length, text, start: s, end: p.end, pageFrom: i === 0 && lead ? lead.pageFrom : b.page, pageTo: b.page, headingPath: path(), tokens: count(text) });
      });
      continue;
    }
    if (cur && cur.content && (cur.tokens + t > max || (b.page !== cur.pageTo && cur.tokens >= min))) flush();
    if (cur) {
      cur.pieces.push('\n\n', b.text);
      cur.end = end;
      cur.pageTo = b.page;
      cur.tokens += t;
      cur.content = true;
    } else cur = { start, end, pageFrom: b.page, pageTo: b.page, path: path(), tokens: t, content: true, pieces: [b.text] };
  }
  flush();
  return { text: parts.join(''), chunks };
}
