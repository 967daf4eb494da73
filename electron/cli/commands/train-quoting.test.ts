import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../../core/store/project';
import { shellLine, shellQuote } from '../../core/util/shell-quote';
import type { CliIO } from '../io';
import { runTrain } from './train';

function memIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
}

const TINY = { architectures: ['Qwen2ForCausalLM'], hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 1000, tie_word_embeddings: true, torch_dtype: 'bfloat16' };
/** A folder name that runs code if a printed command leaves it unquoted, and breaks on spaces, quotes and %. */
const HOSTILE = "my proj $(touch PWNED) it's 100% `touch PWNED2`";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-quote-'));
  dirs.push(root);
  const base = path.join(root, 'tiny');
  fs.mkdirSync(base);
  fs.writeFileSync(path.join(base, 'config.json'), JSON.stringify(TINY));
  const project = path.join(root, HOSTILE);
  return { root, base, project };
}

/** What bash makes of a printed line: its words, one per line, via printf (the command itself is never run). */
async function wordsOf(line: string, cwd: string): Promise<string[]> {
  await execa('bash', ['-n', '-c', line]);
  const r = await execa('bash', ['-c', `printf '%s\\0' ${line}`], { cwd });
  return String(r.stdout).split('\0').slice(0, -1);
}

const pwned = (root: string) => ['PWNED', 'PWNED2'].filter((f) => fs.existsSync(path.join(root, f)) || fs.existsSync(f));

/**
 * Slurm's own tokenizer for #SBATCH lines, ported from src/sbatch/opt.c (_get_argument): whitespace separates,
 * "…" and '…' group, a backslash escapes the next character (inside quotes too), an unquoted # ends the line.
 */
function sbatchArgs(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) return args;
    let arg = '';
    let quote = '';
    let escaped = false;
    for (; i < line.length && (quote || !/\s/.test(line[i]!)); i++) {
      const c = line[i]!;
      if (escaped) escaped = false;
      else if (c === '\\') {
        escaped = true;
        continue;
      } else if (quote) {
        if (c === quote) {
          quote = '';
          continue;
        }
      } else if (c === '"' || c === "'") {
        quote = c;
        continue;
      } else if (c === '#') return args;
      arg += c;
    }
    args.push(arg);
  }
}

describe('shellQuote', () => {
  it('round-trips any string through bash; safe words stay bare', async () => {
    const cases = ['', 'plain/path-1.0', "it's", '$(touch PWNED)', '`x`', 'a b\tc', 'line\nbreak', '"dq" \\ back', '*?[x]', '~', 'A=B', '中文 路径', "''"];
    expect(await wordsOf(shellLine(cases), os.tmpdir())).toEqual(cases);
    expect(shellQuote('/opt/venv/bin/accelerate')).toBe('/opt/venv/bin/accelerate');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('train --nodes: every printed command is quoted (issue 15, item 10)', { timeout: 120_000 }, () => {
  it('--dry-run writes nothing, so it offers no line to paste: the commands are argument lists with the run folder as <run>', async () => {
    const { root, base, project } = setup();
    const io = memIO();
    expect(await runTrain([project, '--base', base, '--dataset', path.join(root, 'ds'), '--nodes', '2', '--gpus', '2', '--gpu-memory-gib', '80', '--main-ip', '10.0.0.1', '--dry-run', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out.join('')) as Record<string, unknown> & { command: string[]; node_commands: string[][]; sbatch: string };
    const runDir = path.join(project, 'artifacts', 'runs', '<run>');
    expect(r.command).toContain(path.join(runDir, 'config.json'));
    expect(r.node_commands).toHaveLength(2);
    for (const c of r.node_commands) expect(c.at(-1)).toBe(path.join(runDir, 'config.json'));
    expect(r.sbatch).toBe(path.join(runDir, 'launch.sbatch'));
    expect(Object.keys(r).filter((k) => k.endsWith('_line') || k.endsWith('_lines'))).toEqual([]);
    expect(fs.existsSync(project)).toBe(false);
    expect(pwned(root)).toEqual([]);
  });

  it('a real launch without sbatch: the printed lines, the sbatch script and its #SBATCH --output survive the path', async () => {
    const { root, base, project } = setup();
    createProject(project).close();
    const dataset = path.join(root, 'ds');
    fs.mkdirSync(dataset);
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(root, 'no-bin'); // no sbatch: the command prints what to run by hand
    const io = memIO();
    try {
      expect(await runTrain([project, '--base', base, '--dataset', dataset, '--nodes', '2', '--gpus', '2', '--gpu-memory-gib', '80', '--main-ip', '10.0.0.1'], io)).toBe(0);
    } finally {
      process.env.PATH = savedPath;
    }
    const [runId] = fs.readdirSync(path.join(project, 'artifacts', 'runs'));
    const runDir = path.join(project, 'artifacts', 'runs', runId!);
    const script = path.join(runDir, 'launch.sbatch');

    const submit = /run: (sbatch .*)$/.exec(io.out[0]!)?.[1] ?? '';
    expect(await wordsOf(submit, root)).toEqual(['sbatch', script]);
    const plan = JSON.parse(fs.readFileSync(path.join(runDir, 'plan.json'), 'utf8')) as { node_commands: string[][] };
    const nodeLines = io.out.filter((l) => /^ {2}node \d: /.test(l)).map((l) => l.replace(/^ {2}node \d: /, ''));
    expect(nodeLines).toHaveLength(2);
    for (const [k, line] of nodeLines.entries()) expect(await wordsOf(line, root)).toEqual(plan.node_commands[k]);

    await execa('bash', ['-n', script]);
    const directives = fs.readFileSync(script, 'utf8').split('\n').filter((l) => l.startsWith('#SBATCH'));
    const args = directives.flatMap((l) => sbatchArgs(l.slice('#SBATCH'.length)));
    const escaped = runDir.replace(/%/g, '%%');
    expect(args).toContain(`--output=${escaped}/slurm-%j.out`);
    expect(args).toContain(`--error=${escaped}/slurm-%j.err`);
    expect(args).toContain('--signal=TERM@300');
    // the script's own lines carry the path as data: its cd and exports are quoted
    const env = await execa('bash', ['-c', `eval "$(grep -E '^(cd|export DISTILLERY_RUN_CONFIG)' "$1")"; pwd; printf '%s' "$DISTILLERY_RUN_CONFIG"`, 'x', script], { cwd: root });
    expect(String(env.stdout).split('\n')[1]).toBe(path.join(runDir, 'config.json'));
    expect(pwned(root)).toEqual([]);
  });
});
