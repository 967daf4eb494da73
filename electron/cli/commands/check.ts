import { checkEquivalence } from '../../core/verify/equivalence';
import type { Verdict } from '../../core/verify/types';

export type CheckIO = {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (p: string) => Promise<string>;
};

const USAGE = 'usage: distillery check "ANSWER" "REFERENCE" [--json] | distillery check --batch FILE [--json]';

function line(v: Verdict, json: boolean): string {
  if (json) return JSON.stringify({ equivalent: v.equivalent, method: v.method, reason: v.reason, extracted: v.extracted });
  const mark = v.equivalent === true ? 'EQUIVALENT' : v.equivalent === false ? 'DIFFERENT' : 'UNDECIDED';
  return `${mark} [${v.method}] ${v.reason}${v.extracted !== null ? ` (extracted: ${v.extracted.length > 80 ? v.extracted.slice(0, 80) + '…' : v.extracted})` : ''}`;
}

function batchLine(text: string, n: number): Verdict {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { equivalent: null, method: 'none', reason: `line ${n}: not valid JSON`, extracted: null };
  }
  const o = obj as { answer?: unknown; reference?: unknown } | null;
  if (!o || typeof o !== 'object' || typeof o.answer !== 'string' || typeof o.reference !== 'string') {
    return { equivalent: null, method: 'none', reason: `line ${n}: expected {"answer": string, "reference": string}`, extracted: null };
  }
  return checkEquivalence(o.answer, o.reference);
}

/** `distillery check`: returns the process exit code (0 ok, 2 bad arguments or unreadable file). */
export async function runCheck(args: string[], io: CheckIO): Promise<number> {
  let json = false;
  let batch: string | null = null;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--json') json = true;
    else if (a === '--batch') {
      const f = args[++i];
      if (f === undefined) {
        io.stderr(`check: --batch needs a file path. ${USAGE}\n`);
        return 2;
      }
      batch = f;
    } else if (a === '--help' || a === '-h') {
      io.stdout(USAGE + '\n');
      return 0;
    } else if (a.startsWith('--') && a.length > 2) {
      io.stderr(`check: unknown option ${a}. ${USAGE}\n`);
      return 2;
    } else positional.push(a);
  }
  if (batch !== null) {
    if (positional.length) {
      io.stderr(`check: --batch takes no ANSWER/REFERENCE arguments. ${USAGE}\n`);
      return 2;
    }
    let text: string;
    try {
      text = await io.readFile(batch);
    } catch (e) {
      io.stderr(`check: cannot read ${batch}: ${(e as Error).message}\n`);
      return 2;
    }
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((l, i) => {
      // Blank lines still get a verdict so output line k always answers input line k.
      const v = l.trim() ? batchLine(l, i + 1) : { equivalent: null, method: 'none' as const, reason: `line ${i + 1}: empty line`, extracted: null };
      io.stdout(line(v, json) + '\n');
    });
    return 0;
  }
  if (positional.length !== 2) {
    io.stderr(`check: expected ANSWER and REFERENCE, got ${positional.length} argument(s). ${USAGE}\n`);
    return 2;
  }
  io.stdout(line(checkEquivalence(positional[0] as string, positional[1] as string), json) + '\n');
  return 0;
}
