import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Papa from 'papaparse';
import { parquetReadObjects } from 'hyparquet';
import { UserError } from '../util/errors';
import { deeperThan, TOO_DEEP } from './nesting';

/**
 * Readers turn a file into records, one per data row, each with its 1-based line number (the row
 * number for CSV, TSV, Parquet and JSON arrays). A row that cannot be read is a record with an error;
 * only a file that cannot be read at all throws (a UserError naming the file).
 */
export type Format = 'jsonl' | 'json' | 'csv' | 'tsv' | 'parquet';
export const FORMATS: readonly Format[] = ['jsonl', 'json', 'csv', 'tsv', 'parquet'];

export interface RawRecord {
  line: number;
  value?: unknown;
  error?: string;
  /** An excerpt of the raw row, for the reject report. */
  raw?: string;
}

export interface OpenedFile {
  file: string;
  format: Format;
  compressed: boolean;
  records: AsyncIterable<RawRecord>;
}

/** A line longer than this is rejected without being held in memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Whole-file formats (JSON, CSV, Parquet) are read into memory; refuse what cannot fit in a JS string. */
const MAX_WHOLE_FILE_BYTES = 400 * 1024 * 1024;
const RAW_EXCERPT = 300;

const excerpt = (s: string) => (s.length > RAW_EXCERPT ? `${s.slice(0, RAW_EXCERPT)}…` : s);
const MiB = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** Guesses the format from the name (".gz" stripped) and, for JSON, from the first byte. */
export function detectFormat(file: string): Format | null {
  const base = file.toLowerCase().replace(/\.gz$/, '');
  const ext = path.extname(base);
  switch (ext) {
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.json':
      return 'json';
    case '.csv':
      return 'csv';
    case '.tsv':
    case '.tab':
      return 'tsv';
    case '.parquet':
    case '.pq':
      return 'parquet';
    default:
      return null;
  }
}

export function checkFile(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new UserError(`The file ${file} does not exist; check the path.`, 'not_found');
  }
  if (!st.isFile()) throw new UserError(`${file} is not a file; choose a JSONL, JSON, CSV, TSV or Parquet file.`, 'not_a_file');
}

export function openFile(file: string, format: Format | 'auto' = 'auto'): OpenedFile {
  checkFile(file);
  const compressed = isGzip(file);
  let fmt: Format | null = format === 'auto' ? detectFormat(file) : format;
  if (!fmt) {
    throw new UserError(
      `Cannot tell the format of ${file} from its name; name it .jsonl, .json, .csv, .tsv or .parquet (optionally .gz), or pass the format (jsonl, json, csv, tsv, parquet).`,
      'unknown_format',
    );
  }
  if (fmt !== 'parquet') refuseBinary(file, compressed);
  if (fmt === 'json' && format === 'auto' && looksLikeJsonl(file, compressed)) fmt = 'jsonl';
  const f = fmt;
  const records: AsyncIterable<RawRecord> = {
    [Symbol.asyncIterator]: () => {
      switch (f) {
        case 'jsonl':
          return readJsonl(file, compressed)[Symbol.asyncIterator]();
        case 'json':
          return readJson(file, compressed)[Symbol.asyncIterator]();
        case 'csv':
        case 'tsv':
          return readDelimited(file, compressed, f === 'tsv' ? '\t' : ',')[Symbol.asyncIterator]();
        case 'parquet':
          return readParquet(file, compressed)[Symbol.asyncIterator]();
      }
    },
  };
  return { file, format: f, compressed, records };
}

const MAGIC: [string, string][] = [
  ['%PDF', 'a PDF document'],
  ['PK\u0003\u0004', 'a ZIP archive (an .xlsx or .docx is one: save it as CSV)'],
  ['PAR1', 'a Parquet file (name it .parquet)'],
  ['SQLite format 3', 'an SQLite database'],
  ['\u0089PNG', 'a PNG image'],
  ['\u00ff\u00d8\u00ff', 'a JPEG image'],
];

/**
 * A file named .jsonl/.csv/… whose first bytes are binary (a PDF, a spreadsheet, a database) used to be read as
 * zero rows with Import enabled. Say what it is instead. NUL bytes or many control characters mean binary.
 */
function refuseBinary(file: string, compressed: boolean): void {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(8 * 1024);
    const n = fs.readSync(fd, b, 0, b.length, 0);
    fs.closeSync(fd);
    head = compressed ? zlib.gunzipSync(b.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH }) : b.subarray(0, n);
  } catch {
    return;
  }
  const latin = head.toString('latin1');
  const known = MAGIC.find(([m]) => latin.startsWith(m));
  let control = 0;
  for (const c of head) if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) control++;
  if (!known && control === 0) return;
  if (!known && control <= head.length * 0.01 && !head.includes(0)) return;
  const what = known ? known[1] : 'binary data';
  throw new UserError(`${file} is not a text table: it holds ${what}. Choose a JSONL, JSON, CSV, TSV or Parquet file of questions.`, 'not_text');
}

/** A ".json" file whose first two non-blank lines each hold an object is JSON Lines in disguise. */
function looksLikeJsonl(file: string, compressed: boolean): boolean {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, b, 0, b.length, 0);
    fs.closeSync(fd);
    head = compressed ? zlib.gunzipSync(b.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8') : b.subarray(0, n).toString('utf8');
  } catch {
    return false;
  }
  const lines = head.replace(/^\uFEFF/, '').split('\n').filter((l) => l.trim());
  if (lines.length < 2 || !lines[0]!.trim().startsWith('{')) return false;
  try {
    JSON.parse(lines[0]!);
    return true;
  } catch {
    return false;
  }
}

function byteStream(file: string, compressed: boolean): NodeJS.ReadableStream {
  const s = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  return compressed ? s.pipe(zlib.createGunzip()) : s;
}

async function readWhole(file: string, compressed: boolean): Promise<Buffer> {
  const size = fs.statSync(file).size;
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new UserError(`${file} is ${MiB(size)}, more than the ${MiB(MAX_WHOLE_FILE_BYTES)} this format can read at once; convert it to JSON Lines (.jsonl), which is read line by line.`, 'too_large');
  }
  const buf = fs.readFileSync(file);
  if (!compressed) return buf;
  try {
    return zlib.gunzipSync(buf, { maxOutputLength: MAX_WHOLE_FILE_BYTES });
  } catch (e) {
    throw new UserError(`${file} is not a readable gzip file (${(e as Error).message}); check that the download is complete.`, 'bad_gzip');
  }
}

const fatal = new TextDecoder('utf-8', { fatal: true });

function decodeLine(bytes: Uint8Array): string | null {
  try {
    return fatal.decode(bytes);
  } catch {
    return null;
  }
}

/** JSON Lines, streamed: memory stays bounded by MAX_LINE_BYTES whatever the file size. */
async function* readJsonl(file: string, compressed: boolean): AsyncGenerator<RawRecord> {
  let line = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  const finish = (): RawRecord | null => {
    line++;
    if (oversized) {
      const r = { line, error: `field over the size limit: the line is ${MiB(size)}, more than ${MiB(MAX_LINE_BYTES)}` };
      oversized = false;
      size = 0;
      parts = [];
      return r;
    }
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (line === 1 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    const text = decodeLine(bytes);
    if (text === null) return { line, error: 'invalid UTF-8', raw: excerpt(bytes.toString('utf8')) };
    if (!text.trim()) return null;
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch (e) {
      return { line, error: `invalid JSON: ${(e as Error).message}`, raw: excerpt(text) };
    }
    if (deeperThan(value)) return { line, error: TOO_DEEP, raw: excerpt(text) };
    return { line, value, raw: excerpt(text) };
  };
  const add = (chunk: Buffer) => {
    size += chunk.length;
    if (oversized) return;
    if (size > MAX_LINE_BYTES) {
      oversized = true;
      parts = [];
      return;
    }
    parts.push(chunk);
  };
  try {
    for await (const c of byteStream(file, compressed)) {
      const chunk = c as Buffer;
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        add(chunk.subarray(pos, nl));
        const r = finish();
        if (r) yield r;
        pos = nl + 1;
      }
      // Copy the tail: the stream may reuse its buffer.
      if (pos < chunk.length) add(Buffer.from(chunk.subarray(pos)));
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file} could not be read after line ${line} (${(e as Error).message}); check that the file is complete${compressed ? ' and a valid gzip file' : ''}.`, 'io');
  }
  if (size > 0 || oversized) {
    const r = finish();
    if (r) yield r;
  }
}

/** The physical lines (1-based) that are not valid UTF-8; empty when the whole buffer is. */
function badUtf8Lines(buf: Buffer): Set<number> {
  const bad = new Set<number>();
  if (decodeLine(buf) !== null) return bad;
  let start = 0;
  let line = 1;
  for (;;) {
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl;
    if (decodeLine(buf.subarray(start, end)) === null) bad.add(line);
    if (nl < 0) break;
    start = nl + 1;
    line++;
  }
  return bad;
}

function decodeWhole(buf: Buffer): string {
  return new TextDecoder('utf-8').decode(buf).replace(/^\uFEFF/, '');
}

/** JSON: an array of records, or an object holding one (under "data", "rows", ... or its only array). */
async function* readJson(file: string, compressed: boolean): AsyncGenerator<RawRecord> {
  const buf = await readWhole(file, compressed);
  const bad = badUtf8Lines(buf);
  if (bad.size) {
    throw new UserError(`${file} is not valid UTF-8 (first at line ${Math.min(...bad)}); save it as UTF-8, or as JSON Lines so that only the bad lines are rejected.`, 'invalid_utf8');
  }
  const text = decodeWhole(buf);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const { reason, position } = jsonError(text, (e as Error).message);
    const at = position === null ? '' : ` at line ${text.slice(0, position).split('\n').length}`;
    throw new UserError(`${file} is not valid JSON${at} (${reason}); fix the file, or save it as JSON Lines so that only broken lines are rejected.`, 'invalid_json');
  }
  const rows = findArray(doc);
  if (!rows) {
    throw new UserError(`${file} holds no array of records: expected [ {...}, ... ] or an object with one array of records (for example {"data": [...]}).`, 'no_records');
  }
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i];
    // A row too deep to stringify is rejected on its own, with a one-level excerpt.
    if (deeperThan(value)) yield { line: i + 1, error: TOO_DEEP, raw: excerpt(shallowText(value)) };
    else yield { line: i + 1, value, raw: excerpt(JSON.stringify(value) ?? '') };
  }
}

/**
 * JSON.parse's reason on one line, and where it failed. V8 gives "at position N" for some errors and, for an
 * unexpected token, the text around it instead ("...ten chars before, the token, ten after"): found back in the file.
 */
function jsonError(text: string, msg: string): { reason: string; position: number | null } {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return { reason: msg.replace(/\s+/g, ' '), position: Number(pos[1]) };
  const token = /^(Unexpected token '[^']*'), (\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(msg);
  if (!token) return { reason: msg.replace(/\s+/g, ' '), position: null };
  const around = token[3]!;
  const at = text.indexOf(around);
  const unique = at >= 0 && text.indexOf(around, at + 1) < 0;
  return { reason: token[1]!, position: unique && token[2] ? at + 10 : null };
}

function findArray(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (!doc || typeof doc !== 'object') return null;
  const o = doc as Record<string, unknown>;
  for (const k of ['data', 'rows', 'questions', 'items', 'examples', 'records', 'train']) {
    if (Array.isArray(o[k])) return o[k];
  }
  const arrays = Object.values(o).filter((v) => Array.isArray(v) && v.some((x) => x && typeof x === 'object' && !Array.isArray(x)));
  return arrays.length === 1 ? (arrays[0] as unknown[]) : null;
}

/** CSV and TSV with a header row; the line number is the data row number (header excluded). */
async function* readDelimited(file: string, compressed: boolean, delimiter: string): AsyncGenerator<RawRecord> {
  const buf = await readWhole(file, compressed);
  const bad = badUtf8Lines(buf);
  const text = decodeWhole(buf);
  const out: RawRecord[] = [];
  let row = 0;
  let prevCursor = 0;
  let physLine = 1;
  let fields: string[] = [];
  Papa.parse<Record<string, string>>(text, {
    header: true,
    delimiter,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
    step(results) {
      row++;
      const cursor = results.meta.cursor;
      if (row === 1) fields = results.meta.fields ?? [];
      const chunk = text.slice(prevCursor, cursor);
      prevCursor = cursor;
      const lead = /^[\r\n]*/.exec(chunk)![0];
      const body = chunk.slice(lead.length).replace(/[\r\n]+$/, '');
      const newlines = (s: string) => s.split('\n').length - 1;
      const startLine = physLine + newlines(lead);
      const endLine = startLine + newlines(body);
      physLine += newlines(chunk);
      const raw = excerpt(body);
      let badAt = 0;
      if (bad.size) {
        for (let l = endLine; l >= startLine; l--) if (bad.has(l)) badAt = l;
      }
      const err = results.errors[0];
      if (badAt) out.push({ line: row, error: `invalid UTF-8 (line ${badAt} of the file)`, raw });
      else if (err && (err.code === 'MissingQuotes' || err.code === 'InvalidQuotes')) out.push({ line: row, error: `broken CSV quoting: ${err.message}`, raw });
      else if (err && (err.code === 'TooFewFields' || err.code === 'TooManyFields')) {
        out.push({ line: row, error: `wrong number of columns: ${err.message} (the header has ${fields.length})`, raw });
      } else if (err) out.push({ line: row, error: `unreadable row: ${err.message}`, raw });
      else out.push({ line: row, value: results.data, raw });
    },
  });
  yield* out;
}

async function* readParquet(file: string, compressed: boolean): AsyncGenerator<RawRecord> {
  const buf = await readWhole(file, compressed);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
  } catch (e) {
    throw new UserError(`${file} is not a readable Parquet file (${(e as Error).message}); check that it is complete, or export it again.`, 'bad_parquet');
  }
  for (let i = 0; i < rows.length; i++) {
    // plainValue recurses; a row nested past the limit is rejected before it is walked.
    if (deeperThan(rows[i])) {
      yield { line: i + 1, error: TOO_DEEP, raw: excerpt(shallowText(rows[i])) };
      continue;
    }
    const value = plainValue(rows[i]);
    yield { line: i + 1, value, raw: excerpt(safeStringify(value)) };
  }
}

const utf8 = new TextDecoder('utf-8');

/** Parquet values as plain JSON-like values: BigInt → number or text, bytes → text, dates → ISO text. */
function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return utf8.decode(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plainValue(x);
    return o;
  }
  return v;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

/** One level of a value as JSON-like text (nested values shown as […] or {…}): an excerpt that needs no recursion. */
function shallowText(v: unknown): string {
  const one = (x: unknown): string => {
    if (Array.isArray(x)) return '[…]';
    if (x && typeof x === 'object') return '{…}';
    if (typeof x === 'string') return JSON.stringify(x.length > RAW_EXCERPT ? x.slice(0, RAW_EXCERPT) : x);
    return String(x);
  };
  if (Array.isArray(v)) return `[${v.slice(0, 20).map(one).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).slice(0, 20).map(([k, x]) => `${JSON.stringify(k)}:${one(x)}`).join(',')}}`;
  return one(v);
}
