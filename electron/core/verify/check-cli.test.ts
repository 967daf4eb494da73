import { describe, expect, it } from 'vitest';
import { runCheck } from '../../cli/commands/check';

function io(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => err.push(s),
      readFile: async (p: string) => {
        const f = files[p];
        if (f === undefined) throw new Error(`ENOENT: no such file '${p}'`);
        return f;
      },
    },
  };
}

describe('distillery check', () => {
  it('prints one JSON verdict', async () => {
    const t = io();
    expect(await runCheck(['\\frac{1}{2}', '0.5', '--json'], t.io)).toBe(0);
    expect(JSON.parse(t.out.join(''))).toEqual({ equivalent: true, method: 'numeric', reason: 'numeric: 0.5 = 0.5', extracted: '\\frac{1}{2}' });
  });
  it('prints a readable line without --json', async () => {
    const t = io();
    expect(await runCheck(['0.5', '5'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/^DIFFERENT \[numeric\] numeric: 0.5 ≠ 5/);
  });
  it('batch: one line per input line, in order, malformed lines included', async () => {
    const file = [
      JSON.stringify({ answer: '\\boxed{3}', reference: '3' }),
      '{oops',
      JSON.stringify({ answer: 1, reference: '1' }),
      '',
      JSON.stringify({ answer: '(2,1)', reference: '(1,2)' }),
    ].join('\n') + '\n';
    const t = io({ 'b.jsonl': file });
    expect(await runCheck(['--batch', 'b.jsonl', '--json'], t.io)).toBe(0);
    const lines = t.out.join('').trim().split('\n').map((l) => JSON.parse(l) as { equivalent: boolean | null; reason: string });
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.equivalent)).toEqual([true, null, null, null, false]);
    expect(lines[1]?.reason).toMatch(/line 2/);
    expect(lines[2]?.reason).toMatch(/line 3/);
    expect(lines[3]?.reason).toMatch(/line 4/);
  });
  it.each([[[]], [['only-one']], [['a', 'b', 'c']], [['--batch']], [['--nope', 'a', 'b']], [['--batch', 'f', 'extra']]])('bad arguments %j → exit 2 with one stderr line', async (args) => {
    const t = io({ f: '' });
    expect(await runCheck(args, t.io)).toBe(2);
    expect(t.err.join('').trim().split('\n')).toHaveLength(1);
    expect(t.out).toHaveLength(0);
  });
  it('unreadable batch file → exit 2', async () => {
    const t = io();
    expect(await runCheck(['--batch', 'missing.jsonl'], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/missing.jsonl/);
  });
});
