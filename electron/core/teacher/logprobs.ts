// Top-k logprobs as teacher servers return them (OpenAI chat and completions formats), parsed into one
// compact shape per generated token, and encoded as one binary record per trace (logprobs-store.ts writes them).

/**
 * One generated token: its text (or its exact bytes when the text lost some: part of a UTF-8 character), its
 * logprob, and the server's top alternatives (the token itself usually among them).
 */
export interface TokenLogprob {
  token: string | Buffer;
  logprob: number;
  top: { token: string | Buffer; logprob: number }[];
}

interface ChatTop {
  token?: string;
  logprob?: number;
  bytes?: number[] | null;
}
interface ChatEntry extends ChatTop {
  top_logprobs?: ChatTop[] | null;
}
/** `choices[].logprobs`: chat (`content`, also `reasoning_content` on some servers) or legacy completions. */
export interface ChoiceLogprobs {
  content?: ChatEntry[] | null;
  reasoning_content?: ChatEntry[] | null;
  tokens?: string[];
  token_logprobs?: (number | null)[];
  top_logprobs?: (Record<string, number> | null)[] | null;
}

/** The token's text, or its exact bytes when the text lost some (`bytes` from the server, or vLLM's "bytes:\\x.."). */
function bytesOf(t: ChatTop): string | Buffer {
  const s = t.token ?? '';
  if (!s.includes('\ufffd') && !s.startsWith('bytes:')) return s;
  if (Array.isArray(t.bytes)) return Buffer.from(t.bytes);
  // vLLM writes undecodable byte tokens as "bytes:\xe4\xb8"
  if (s.startsWith('bytes:') && /^bytes:(\\x[0-9a-f]{2})+$/i.test(s)) return Buffer.from(s.slice(6).replace(/\\x/g, ''), 'hex');
  return s;
}

const lp = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : -Infinity);

/** Appends the tokens of one choice's `logprobs` (a streamed chunk's or a whole response's) to `out`. */
export function collectLogprobs(l: ChoiceLogprobs | null | undefined, out: TokenLogprob[]): void {
  if (!l || typeof l !== 'object') return;
  for (const list of [l.reasoning_content, l.content]) {
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      out.push({ token: bytesOf(e), logprob: lp(e.logprob), top: Array.isArray(e.top_logprobs) ? e.top_logprobs.map((t) => ({ token: bytesOf(t), logprob: lp(t.logprob) })) : [] });
    }
  }
  if (Array.isArray(l.tokens)) {
    l.tokens.forEach((tok, i) => {
      const top = l.top_logprobs?.[i];
      out.push({
        token: tok,
        logprob: lp(l.token_logprobs?.[i]),
        top: top ? Object.entries(top).map(([t, v]) => ({ token: t, logprob: lp(v) })) : [],
      });
    });
  }
}

// ---- float16 (IEEE 754 half), round to nearest ----
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalf(v: number): number {
  if (v === -Infinity || v < -65504) return 0xfc00;
  f32[0] = v;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (Number.isNaN(v)) return 0x7e00;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    return sign | ((mant + (1 << (shift - 1))) >>> shift);
  }
  const h = sign | (exp << 10) | (mant >>> 13);
  return mant & 0x1000 ? h + 1 : h;
}

export function fromHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * One trace as bytes (little-endian):
 *   "DLP1", u32 n (tokens), u8 k (alternatives per token), u8 w (index width, 2 or 4), u32 s (strings),
 *   s × (u16 length, bytes)           — the distinct token byte strings of this trace,
 *   n × (idx token, f16 logprob, k × idx alternative, k × f16 logprob) — fixed width, so a reader can view
 *   them as one array; a missing alternative has idx 2^(8w)−1 and logprob −inf.
 */
export function encodeRecord(tokens: readonly TokenLogprob[], k: number): Buffer {
  const ids = new Map<string, number>();
  const strings: Buffer[] = [];
  const idOf = (t: string | Buffer): number => {
    const key = typeof t === 'string' ? t : `\u0000b${t.toString('latin1')}`;
    let i = ids.get(key);
    if (i === undefined) {
      i = strings.length;
      ids.set(key, i);
      const b = typeof t === 'string' ? Buffer.from(t, 'utf8') : t;
      strings.push(b.length > 0xffff ? b.subarray(0, 0xffff) : b);
    }
    return i;
  };
  const tok = new Uint32Array(tokens.length);
  const alt = new Uint32Array(tokens.length * k);
  tokens.forEach((t, i) => {
    tok[i] = idOf(t.token);
    for (let j = 0; j < k; j++) {
      const a = t.top[j];
      alt[i * k + j] = a ? idOf(a.token) : 0xffffffff;
    }
  });
  const w = strings.length < 0xffff ? 2 : 4;
  const none = w === 2 ? 0xffff : 0xffffffff;
  const strBytes = strings.reduce((a, b) => a + 2 + b.length, 0);
  const row = w + 2 + k * (w + 2);
  const buf = Buffer.allocUnsafe(14 + strBytes + tokens.length * row);
  buf.write('DLP1', 0, 'latin1');
  buf.writeUInt32LE(tokens.length, 4);
  buf.writeUInt8(k, 8);
  buf.writeUInt8(w, 9);
  buf.writeUInt32LE(strings.length, 10);
  let o = 14;
  for (const s of strings) {
    buf.writeUInt16LE(s.length, o);
    s.copy(buf, o + 2);
    o += 2 + s.length;
  }
  const put = (v: number) => {
    if (w === 2) buf.writeUInt16LE(v === 0xffffffff ? none : v, o);
    else buf.writeUInt32LE(v, o);
    o += w;
  };
  tokens.forEach((t, i) => {
    put(tok[i] as number);
    buf.writeUInt16LE(toHalf(t.logprob), o);
    o += 2;
    for (let j = 0; j < k; j++) put(alt[i * k + j] as number);
    for (let j = 0; j < k; j++) {
      buf.writeUInt16LE(toHalf(t.top[j]?.logprob ?? -Infinity), o);
      o += 2;
    }
  });
  return buf;
}

/** The inverse of encodeRecord (alternatives beyond the server's count are left out). */
export function decodeRecord(buf: Buffer): TokenLogprob[] {
  if (buf.toString('latin1', 0, 4) !== 'DLP1') throw new Error('not a Distillery logprob record (bad magic)');
  const n = buf.readUInt32LE(4);
  const k = buf.readUInt8(8);
  const w = buf.readUInt8(9);
  const ns = buf.readUInt32LE(10);
  let o = 14;
  const strings: Buffer[] = [];
  for (let i = 0; i < ns; i++) {
    const len = buf.readUInt16LE(o);
    strings.push(buf.subarray(o + 2, o + 2 + len));
    o += 2 + len;
  }
  const none = w === 2 ? 0xffff : 0xffffffff;
  const get = () => {
    const v = w === 2 ? buf.readUInt16LE(o) : buf.readUInt32LE(o);
    o += w;
    return v;
  };
  const out: TokenLogprob[] = [];
  for (let i = 0; i < n; i++) {
    const t = strings[get()] as Buffer;
    const logprob = fromHalf(buf.readUInt16LE(o));
    o += 2;
    const idx = Array.from({ length: k }, get);
    const top: TokenLogprob['top'] = [];
    for (let j = 0; j < k; j++) {
      const v = fromHalf(buf.readUInt16LE(o));
      o += 2;
      const id = idx[j] as number;
      if (id !== none) top.push({ token: strings[id] as Buffer, logprob: v });
    }
    out.push({ token: t, logprob, top });
  }
  return out;
}
