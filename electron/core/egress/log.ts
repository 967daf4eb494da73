/**
 * The egress log: one JSON line per connection attempt that would leave this machine (host, port, who,
 * allowed or refused, time, session), in the config folder, rotated at 1 MiB with three older files kept.
 * Loopback connections are not egress and are not logged: a generation job makes thousands of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { appendPrivateFile, mkdirPrivate } from '../util/private-fs';
import { configDir } from '../util/paths';

export interface EgressEntry {
  t: string;
  host: string;
  port: number;
  who: string;
  allowed: boolean;
  session: string;
  pid: number;
}

export const EGRESS_FILE = 'egress.jsonl';
const MAX_BYTES = 1024 * 1024;
const KEEP = 3;

/** This engine process: the Project step's "in this session" counts only its own attempts. */
export const SESSION = { id: `${new Date().toISOString()}-${process.pid}`, started: new Date().toISOString() };
const counts = { allowed: 0, refused: 0 };

export function egressLogFile(): string {
  return path.join(configDir(), EGRESS_FILE);
}

function rotate(file: string): void {
  for (let i = KEEP - 1; i >= 1; i--) {
    const from = `${file.replace(/\.jsonl$/, '')}.${i}.jsonl`;
    if (fs.existsSync(from)) fs.renameSync(from, `${file.replace(/\.jsonl$/, '')}.${i + 1}.jsonl`);
  }
  fs.renameSync(file, `${file.replace(/\.jsonl$/, '')}.1.jsonl`);
}

export function recordEgress(e: { host: string; port: number; who: string; allowed: boolean }): void {
  if (e.allowed) counts.allowed++;
  else counts.refused++;
  const entry: EgressEntry = { t: new Date().toISOString(), ...e, session: SESSION.id, pid: process.pid };
  const file = egressLogFile();
  try {
    mkdirPrivate(path.dirname(file));
    if (fs.existsSync(file) && fs.statSync(file).size >= MAX_BYTES) rotate(file);
    appendPrivateFile(file, `${JSON.stringify(entry)}\n`);
  } catch {
    // An unwritable config folder must not turn a refusal into a crash; the counts above still say it.
  }
}

/** The entries of the current file and the rotated ones, oldest first; unreadable lines are skipped. */
export function readEgressLog(): EgressEntry[] {
  const file = egressLogFile();
  const files = [...Array.from({ length: KEEP }, (_, i) => `${file.replace(/\.jsonl$/, '')}.${KEEP - i}.jsonl`), file];
  const out: EgressEntry[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as EgressEntry;
        if (typeof e.host === 'string' && typeof e.allowed === 'boolean') out.push(e);
      } catch {
        // a line cut by a crash: the rest of the log still counts
      }
    }
  }
  return out;
}

export interface EgressSummary {
  file: string;
  session: { id: string; started: string; allowed: number; refused: number };
  /** Every entry kept in the log (all sessions and processes: the CLI and the app write the same file). */
  total: { allowed: number; refused: number };
  /** The newest entries, newest first. */
  recent: EgressEntry[];
}

export function egressSummary(limit = 20): EgressSummary {
  const all = readEgressLog();
  return {
    file: egressLogFile(),
    session: { ...SESSION, ...counts },
    total: { allowed: all.filter((e) => e.allowed).length, refused: all.filter((e) => !e.allowed).length },
    recent: all.slice(-limit).reverse(),
  };
}
