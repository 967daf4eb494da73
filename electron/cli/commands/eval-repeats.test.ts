import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDir } from '../../core/eval/benchmarks';
import type { ReportJson } from '../../core/eval/report';
import { startCompletionsServer, type CompletionCall, type CompletionsServer } from '../../core/eval/testing/completions-server';
import type { Comparison } from '../../core/eval/types';
import { createProject } from '../../core/store/project';
import { saveTeacher } from '../../core/teacher/store';
import { loadTokenizerFile } from '../../core/tokens';
import { hasPython, tinyModel } from '../../core/train/testing';

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let projectDir: string;
let modelDir: string;
const servers: CompletionsServer[] = [];
const cli = (...args: string[]) =>
  execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), ...args], { reject: false, env: { DISTILLERY_CONFIG_DIR: path.join(dir, 'config') }, cwd: dir, all: true });

const math500 = builtinDir()
  ? fs.readFileSync(path.join(builtinDir() as string, 'math500.jsonl'), 'utf8').trim().split('\n').slice(0, 20).map((l) => JSON.parse(l) as { problem: string; answer: string })
  : [];
const inThinking = (c: CompletionCall) => c.prompt.lastIndexOf('</think>') < c.prompt.lastIndexOf('<think>');

/** What does not depend on timing or identity: everything but ids, dates and the measured speeds. */
function numbersOf(r: ReportJson) {
  return {
    config: r.config,
    cells: r.cells,
    scaling: r.scaling,
    comparisons: r.comparisons,
    pins: r.pins,
    questions: r.questions.map((q) => ({ ...q, samples: q.samples.map(({ ttftMs: _t, totalMs: _m, tokensPerSecond: _s, ...rest }) => rest) })),
  };
}

describe.skipIf(!hasPython() || !builtinDir())('distillery eval --repeats / --compare (real processes, the tiny model’s tokenizer, scripted servers)', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-eval-repeats-'));
    modelDir = tinyModel();
    const tok = loadTokenizerFile(path.join(modelDir, 'tokenizer.json'));
    // The answer depends on the question and the generation seed, as a sampled model's would: with an even
    // seed "strong" misses every fourth question, with an odd one every third; "weak" answers the others.
    // Repeats (other seeds) so give other numbers.
    const script = (right: (i: number, seed: number) => boolean) => (c: CompletionCall) => {
      const i = math500.findIndex((q) => c.prompt.includes(q.problem));
      if (inThinking(c)) return 'I add the parts and check the result twice.\n</think>';
      return `\n\nThe answer is \\boxed{${right(i, c.seed ?? 0) ? math500[i]!.answer : '-31337'}}.`;
    };
    const strongRight = (i: number, s: number) => (s % 2 === 0 ? i % 4 !== 0 : i % 3 !== 0);
    servers.push(await startCompletionsServer(tok, script(strongRight)));
    servers.push(await startCompletionsServer(tok, script((i, s) => !strongRight(i, s))));
    projectDir = path.join(dir, 'p');
    const p = createProject(projectDir);
    saveTeacher(p.db, { name: 'strong', baseUrls: [servers[0]!.url], model: 'scripted-strong' });
    saveTeacher(p.db, { name: 'weak', baseUrls: [servers[1]!.url], model: 'scripted-weak' });
    p.close();
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const args = ['eval', '', '--model', 'strong', '--model', 'weak', '--bench', 'math500', '--limit', '20', '--max-thinking', '16', '--repeats', '2', '--compare', 'strong,weak', '--concurrency', '2'];

  it('prints means with 95% intervals, each repeat, pass@k and the paired comparison; the same settings twice give the same report to the digit', async () => {
    args[1] = projectDir;
    const first = await cli(...args, '--template', modelDir);
    expect(first.exitCode, String(first.all)).toBe(0);
    const out = first.stdout;
    // 20 questions × 1 sample × 2 repeats per model.
    expect(out).toMatch(/^ {2}strong +\[max 16\] +accuracy \d+\.\d% \(95% CI \d+\.\d–\d+\.\d\) +majority \d+\.\d% \(95% CI \d+\.\d–\d+\.\d\) +avg thinking \d+ tokens +\(n=20, samples=40\)$/m);
    expect(out).toMatch(/^ {2}weak +\[max 16\] +accuracy \d+\.\d% \(95% CI /m);
    expect(out).toMatch(/^ {4}pass@1 per repeat \d+\.\d%, \d+\.\d% +pass@2 \d+\.\d% \(95% CI \d+\.\d–\d+\.\d\)$/m);
    const compare = /^compare (strong − weak on builtin:math500 \[max 16\]: .+)$/m.exec(out)?.[1];
    expect(compare, out).toMatch(/: significant, strong is ahead and the interval leaves out 0\.$/);

    const reportDir = path.dirname(/Report: (.+)$/m.exec(out)![1]!);
    const a = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8')) as ReportJson;
    const strong = a.cells.find((c) => c.model === 'strong')!;
    const weak = a.cells.find((c) => c.model === 'weak')!;
    // The printed figures are the report's.
    expect(out).toContain(`accuracy ${(strong.accuracy! * 100).toFixed(1)}% (95% CI ${(strong.accuracyCi![0] * 100).toFixed(1)}–${(strong.accuracyCi![1] * 100).toFixed(1)})`);
    expect(strong.repeats).toBe(2);
    // Seeds differ between repeats, so the scripted answers do too; the mean is the mean of the repeats.
    expect(strong.accuracyByRepeat[0]).not.toBe(strong.accuracyByRepeat[1]);
    expect(strong.accuracy).toBeCloseTo((strong.accuracyByRepeat[0]! + strong.accuracyByRepeat[1]!) / 2, 12);
    expect(strong.accuracy! + weak.accuracy!).toBeCloseTo(1, 12);
    expect(strong.accuracyCi![0]).toBeLessThanOrEqual(strong.accuracy!);
    expect(strong.accuracyCi![1]).toBeGreaterThanOrEqual(strong.accuracy!);
    expect(a.comparisons).toHaveLength(1);
    expect(a.comparisons[0]).toMatchObject({ a: 'strong', b: 'weak', n: 20, significant: true });
    expect(a.pins?.seeds.repeats).toHaveLength(2);
    expect(a.pins?.sampling).toMatchObject({ repeats: 2, samples: 1, temperature: 0.7 });
    expect(a.pins?.models.map((m) => m.servedModel)).toEqual(['scripted-strong', 'scripted-weak']);
    const html = fs.readFileSync(path.join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('Paired comparisons');
    expect(html).toContain('Pinned settings');
    expect(html).toContain(a.pins!.models[0]!.files[0]!.sha256);

    // The same command once more: a new run (the first is done) with the same numbers, to the digit.
    const second = await cli(...args, '--template', modelDir, '--json');
    expect(second.exitCode, String(second.all)).toBe(0);
    const j = JSON.parse(second.stdout.trim().split('\n').at(-1)!) as { run: string; comparisons: Comparison[]; report: { json: string } };
    const b = JSON.parse(fs.readFileSync(j.report.json, 'utf8')) as ReportJson;
    expect(b.run.id).not.toBe(a.run.id);
    expect(numbersOf(b)).toEqual(numbersOf(a));
    expect(j.comparisons).toEqual(a.comparisons);

    // eval-compare on the finished run: the same comparison; an unknown label is one sentence naming the labels.
    const c = await cli('eval-compare', projectDir, j.run, '--a', 'strong', '--b', 'weak', '--json');
    expect(c.exitCode, String(c.all)).toBe(0);
    expect((JSON.parse(c.stdout) as { comparisons: Comparison[] }).comparisons).toEqual(a.comparisons);
    const text = await cli('eval-compare', projectDir, j.run, '--a', 'weak', '--b', 'strong');
    expect(text.stdout).toMatch(/^weak − strong on builtin:math500 \[max 16\]: −\d+\.\d points .*: significant, strong is ahead/);
    const bad = await cli('eval-compare', projectDir, j.run, '--a', 'strong', '--b', 'nobody');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('has no model labelled "nobody"; its models are "strong", "weak"');
    const badFlag = await cli(...args.slice(0, -4), '--compare', 'strong,nobody', '--template', modelDir);
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toContain('--compare names "nobody", which is not a model of this evaluation (its labels: strong, weak)');
  });
});
