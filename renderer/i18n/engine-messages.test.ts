import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import enErrors from './en/errors.json';
import enJobs from './en/jobs.json';
import enNotes from './en/notes.json';
import zhErrors from './zh-CN/errors.json';
import zhJobs from './zh-CN/jobs.json';
import zhNotes from './zh-CN/notes.json';

const root = path.resolve(import.meta.dirname, '../../electron/core');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes(`${path.sep}testing${path.sep}`)) out.push(p);
  }
  return out;
}

/** Every code the engine gives a UserError (`new UserError(sentence, 'code')`), with a file that uses it. */
function engineCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const f of sources(root)) {
    const s = fs.readFileSync(f, 'utf8');
    const re = /new UserError\(/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
      let depth = 1;
      let i = m.index + m[0].length;
      const start = i;
      while (i < s.length && depth > 0) {
        const c = s[i];
        if (c === '(' || c === '{' || c === '[') depth++;
        else if (c === ')' || c === '}' || c === ']') depth--;
        i++;
      }
      const code = /,\s*'([a-z_]+)'\s*,?\s*$/.exec(s.slice(start, i - 1))?.[1] ?? 'user_error';
      if (!codes.has(code)) codes.set(code, path.relative(root, f));
    }
  }
  return codes;
}

/** Every durable job kind the engine registers (`kind: 'name'` in a JobKind, or an exported *_KIND). */
function jobKinds(): Set<string> {
  const kinds = new Set<string>();
  for (const f of sources(root)) {
    const s = fs.readFileSync(f, 'utf8');
    for (const m of s.matchAll(/export const [A-Z_]*_KIND = '([a-z-]+)'/g)) kinds.add(m[1]!);
    if (/: JobKind</.test(s)) for (const m of s.matchAll(/^\s+kind: '([a-z-]+)',$/gm)) kinds.add(m[1]!);
  }
  return kinds;
}

/**
 * Every code of an engine message (util/messages.ts: notes, warnings): `message('code', …)` calls, and
 * `code: 'name'` entries in the files that build messages (tables of codes such as curate/notes.ts).
 */
function messageCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const f of sources(root)) {
    const s = fs.readFileSync(f, 'utf8');
    if (!/from '(\.\.\/)+util\/messages'|from '\.\/messages'/.test(s)) continue;
    for (const m of s.matchAll(/\bmessage\(\s*'([a-z_]+)'/g)) if (!codes.has(m[1]!)) codes.set(m[1]!, path.relative(root, f));
    for (const m of s.matchAll(/\bcode: '([a-z_]+)'/g)) if (!codes.has(m[1]!)) codes.set(m[1]!, path.relative(root, f));
  }
  return codes;
}

describe("the engine's messages can be shown in both languages", () => {
  it('every engine message (notes, warnings) has a sentence in English and Chinese', () => {
    const codes = messageCodes();
    expect(codes.has('curate_drop_no_trace')).toBe(true);
    const notes = [enNotes, zhNotes] as Record<string, string>[];
    const missing = [...codes].filter(([c]) => !notes.every((n) => typeof n[c] === 'string' && n[c].length > 0)).map(([c, f]) => `${c} (${f})`);
    expect(missing, 'add <code> to renderer/i18n/en/notes.json and zh-CN/notes.json').toEqual([]);
  });

  it('a curation note names no English sentence where a code can say it', () => {
    // The notes built for the UI (curate): no `notes.push('…')` of a bare string is left.
    const bare = ['curate/pipeline.ts', 'curate/clusters.ts', 'curate/bands.ts', 'curate/notes.ts'].filter((f) => /notes\.push\(\s*[`'"]/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(bare).toEqual([]);
  });

  it('every UserError code has a headline in English and Chinese', () => {
    const codes = engineCodes();
    expect(codes.size).toBeGreaterThan(100);
    const errors = [enErrors, zhErrors] as Record<string, string>[];
    const missing = [...codes].filter(([c]) => !errors.every((e) => typeof e[c] === 'string' && e[c].length > 0)).map(([c, f]) => `${c} (${f})`);
    expect(missing, 'add <code> to renderer/i18n/en/errors.json and zh-CN/errors.json').toEqual([]);
  });

  it('every job kind has a name in English and Chinese', () => {
    const kinds = jobKinds();
    expect(kinds.has('generate')).toBe(true);
    const names = [enJobs.kinds, zhJobs.kinds] as Record<string, string>[];
    const missing = [...kinds].filter((k) => !names.every((n) => typeof n[k] === 'string'));
    expect(missing, 'add kinds.<kind> to renderer/i18n/en/jobs.json and zh-CN/jobs.json').toEqual([]);
  });
});
