// Captured teacher logprobs on disk: PROJECT/artifacts/logprobs/<job>/ holds
//   meta.json        {format, job, teacher, model, top_k, note}
//   shard-00000.bin  … records of logprobs.ts's encodeRecord, appended (a new shard past SHARD_BYTES)
//   index.jsonl      one line per trace: {trace, q, s, shard, off, len, n, crc, tkey}
// A record's bytes are written before its index line, and both inside the transaction that stores the
// trace, so an index line always points at whole bytes. Opening the folder again (a resumed job) drops a
// torn last line, keeps the last line per trace, cuts each shard after its last indexed byte, and rewrites
// the index atomically: a killed job leaves neither duplicates nor a half record behind.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { decodeRecord, type TokenLogprob } from './logprobs';

export const CAPTURED_FORMAT = 'distillery-captured-logprobs-1';
export const SHARD_BYTES = 64 * 1024 * 1024;
export const LOGPROBS_DIR = 'logprobs';

export interface IndexEntry {
  trace: number;
  q: number;
  s: number;
  shard: string;
  off: number;
  len: number;
  n: number;
  crc: number;
  /** SHA-1 of thinking + "\0" + answer as stored: how the trainer finds the exported example of this trace. */
  tkey: string;
}

export interface CaptureMeta {
  format: string;
  job: number;
  teacher: string;
  model: string;
  top_k: number;
  note: string | null;
}

export const traceKey = (thinking: string | null, answer: string | null): string =>
  createHash('sha1').update(`${thinking ?? ''}\0${answer ?? ''}`).digest('hex');

export const captureDir = (artifactsDir: string, jobId: number): string => path.join(artifactsDir, LOGPROBS_DIR, String(jobId));

const shardName = (i: number) => `shard-${String(i).padStart(5, '0')}.bin`;

/** The index's entries, the last per trace, and whether the file held anything else (torn line, duplicates, bytes past a shard). */
export function readIndex(dir: string): { entries: IndexEntry[]; dirty: boolean } {
  const file = path.join(dir, 'index.jsonl');
  if (!fs.existsSync(file)) return { entries: [], dirty: false };
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  let dirty = !text.endsWith('\n') && text.length > 0;
  const last = new Map<number, IndexEntry>();
  const sizes = new Map<string, number>();
  for (const line of lines) {
    if (!line) continue;
    let e: IndexEntry;
    try {
      e = JSON.parse(line) as IndexEntry;
    } catch {
      dirty = true;
      continue;
    }
    let size = sizes.get(e.shard);
    if (size === undefined) {
      size = fs.existsSync(path.join(dir, e.shard)) ? fs.statSync(path.join(dir, e.shard)).size : 0;
      sizes.set(e.shard, size);
    }
    if (e.off + e.len > size) {
      dirty = true;
      continue;
    }
    if (last.has(e.trace)) dirty = true;
    last.delete(e.trace);
    last.set(e.trace, e);
  }
  return { entries: [...last.values()], dirty };
}

/** Appends one job's records; one instance per running job (the job runner gives a job one owner). */
export class LogprobWriter {
  private shard = 0;
  private size = 0;
  records = 0;
  tokens = 0;
  /** Bytes written this session: records and index lines. */
  bytes = 0;

  /**
   * `stored` says which traces the database holds: a line written just before a kill, whose transaction never
   * committed, is dropped with its bytes (always the last ones written).
   */
  constructor(
    readonly dir: string,
    private meta: CaptureMeta,
    stored?: (trace: number) => boolean,
  ) {
    mkdirPrivate(dir);
    const read = readIndex(dir);
    const entries = stored ? read.entries.filter((e) => stored(e.trace)) : read.entries;
    const dirty = read.dirty || entries.length !== read.entries.length;
    const ends = new Map<string, number>();
    for (const e of entries) ends.set(e.shard, Math.max(ends.get(e.shard) ?? 0, e.off + e.len));
    const shards = fs.readdirSync(dir).filter((f) => /^shard-\d{5}\.bin$/.test(f)).sort();
    for (const f of shards) {
      const end = ends.get(f) ?? 0;
      if (fs.statSync(path.join(dir, f)).size !== end) fs.truncateSync(path.join(dir, f), end);
    }
    if (dirty) {
      const tmp = path.join(dir, 'index.jsonl.tmp');
      writePrivateFile(tmp, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      fs.renameSync(tmp, path.join(dir, 'index.jsonl'));
    }
    const old = readMeta(dir);
    if (old?.note && !meta.note) this.meta = { ...meta, note: old.note };
    this.writeMeta();
    this.shard = shards.length ? Number(/\d{5}/.exec(shards.at(-1) as string)?.[0]) : 0;
    this.openShard();
  }

  // No descriptor is held open (a job has no end hook): each write appends and closes.
  private openShard(): void {
    const file = path.join(this.dir, shardName(this.shard));
    this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  private writeMeta(): void {
    const tmp = path.join(this.dir, 'meta.json.tmp');
    writePrivateFile(tmp, `${JSON.stringify(this.meta, null, 2)}\n`);
    fs.renameSync(tmp, path.join(this.dir, 'meta.json'));
  }

  get note(): string | null {
    return this.meta.note;
  }

  /** Sets the job's note once (the first sentence stays). */
  setNote(note: string): void {
    if (this.meta.note) return;
    this.meta = { ...this.meta, note };
    this.writeMeta();
  }

  /** Writes a trace's record then its index line; call inside the transaction that stores the trace. */
  write(record: Buffer, e: Omit<IndexEntry, 'shard' | 'off' | 'len' | 'crc'>): IndexEntry {
    if (this.size > 0 && this.size + record.length > SHARD_BYTES) {
      this.shard++;
      this.openShard();
    }
    const entry: IndexEntry = { ...e, shard: shardName(this.shard), off: this.size, len: record.length, crc: zlib.crc32(record) };
    fs.appendFileSync(path.join(this.dir, entry.shard), record, { mode: 0o600 });
    this.size += record.length;
    const line = `${JSON.stringify(entry)}\n`;
    fs.appendFileSync(path.join(this.dir, 'index.jsonl'), line, { mode: 0o600 });
    this.records++;
    this.tokens += e.n;
    this.bytes += record.length + Buffer.byteLength(line);
    return entry;
  }
}

export function readMeta(dir: string): CaptureMeta | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as CaptureMeta;
  } catch {
    return null;
  }
}

/** A trace's tokens as captured (checks the record's CRC). */
export function readRecord(dir: string, e: IndexEntry): TokenLogprob[] {
  const fd = fs.openSync(path.join(dir, e.shard), 'r');
  try {
    const buf = Buffer.alloc(e.len);
    fs.readSync(fd, buf, 0, e.len, e.off);
    if (zlib.crc32(buf) !== e.crc) throw new Error(`the logprob record of trace ${e.trace} in ${path.join(dir, e.shard)} is damaged (CRC mismatch)`);
    return decodeRecord(buf);
  } finally {
    fs.closeSync(fd);
  }
}

/** True for a folder of captured logprobs (one job's, or artifacts/logprobs holding several). */
export function isCapturedFolder(dir: string): boolean {
  if (readMeta(dir)?.format === CAPTURED_FORMAT) return true;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return false;
  return fs.readdirSync(dir).some((d) => readMeta(path.join(dir, d))?.format === CAPTURED_FORMAT);
}

/** Summary over a captured folder: jobs, traces, tokens and the largest k. */
export function capturedSummary(dir: string): { jobs: number; traces: number; tokens: number; bytes: number; topK: number } {
  const jobs = readMeta(dir) ? [dir] : fs.readdirSync(dir).map((d) => path.join(dir, d)).filter((d) => readMeta(d)?.format === CAPTURED_FORMAT);
  let traces = 0;
  let tokens = 0;
  let bytes = 0;
  let topK = 0;
  for (const j of jobs) {
    const { entries } = readIndex(j);
    traces += entries.length;
    for (const e of entries) {
      tokens += e.n;
      bytes += e.len;
    }
    topK = Math.max(topK, readMeta(j)?.top_k ?? 0);
  }
  return { jobs: jobs.length, traces, tokens, bytes, topK };
}
