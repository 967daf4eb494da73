import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCurate } from '../../cli/commands/curate';
import { runExport } from '../../cli/commands/export';
import { runReview } from '../../cli/commands/review';
import type { CliIO } from '../../cli/io';
import { JobRunner } from '../jobs';
import { importFile } from '../pool/importer';
import { createProject, type Project } from '../store/project';
import { generateKind, startOrResume } from '../teacher/generate';
import { saveTeacher } from '../teacher/store';
import { startScriptedServer, type ScriptedServer } from '../teacher/testing/scripted-server';

/**
 * Issue 17 items 3, 11 and 12 on a real project: 40 questions answered by a teacher that does not reason (a
 * scripted OpenAI-compatible server that answers without thinking, 26 of the 40 cut at max tokens), curated and
 * exported through the CLI commands.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-honesty-'));
process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
let project: Project;
let server: ScriptedServer;

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
  return { cli, out, err };
};

beforeAll(async () => {
  project = createProject(path.join(tmp, 'p'), 'No thinking');
  const file = path.join(tmp, 'questions.jsonl');
  const rows = Array.from({ length: 40 }, (_, i) => ({
    question: `Question ${i}${i < 26 ? ' (long)' : ''}: what is ${i} + ${i + 1}?`,
    answer: String(2 * i + 1),
    ...(i % 2 === 0 ? { domain: 'arithmetic' } : {}),
  }));
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const imp = await importFile(project, file);
  expect(imp.imported).toBe(40);
  server = await startScriptedServer((r) => ({ kind: 'ok', reasoning: 'none', tokens: 6, finish: r.prompt.includes('(long)') ? 'length' : 'stop' }));
  saveTeacher(project.db, { name: 'smol', baseUrls: [server.url], model: 'scripted' });
  const runner = new JobRunner(project).register(generateKind);
  const { jobId } = startOrResume(runner, { teacher: 'smol', concurrency: 8 });
  const job = await runner.wait(jobId);
  await runner.close();
  expect(job.done).toBe(40);
});

afterAll(async () => {
  await server?.close();
  project?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a pool answered without thinking', () => {
  it('curation says which rule dropped the pool and why (item 3)', async () => {
    const c = io();
    expect(await runCurate([project.dir, '--json'], c.cli)).toBe(0);
    const r = JSON.parse(c.out[0] as string) as { selected: number; notes: string[] };
    expect(r.selected).toBe(0);
    expect(r.notes).toContain(
      'quality: 40 of 40 dropped because they have no thinking — the teacher does not reason; turn on the reasoning prompt (or split mode) in Teacher, then generate again with "redo answers without thinking".',
    );
  });

  it('uses one word for questions without a domain: unlabelled (item 11)', async () => {
    const recipe = path.join(tmp, 'recipe.json');
    fs.writeFileSync(recipe, JSON.stringify({ quality: { requireThinking: false, dropUnterminated: false } }));
    const c = io();
    expect(await runCurate([project.dir, '--recipe', recipe, '--json'], c.cli)).toBe(0);
    const r = JSON.parse(c.out[0] as string) as { selected: number; domains: Record<string, number> };
    expect(r.selected).toBe(40);
    expect(r.domains).toEqual({ arithmetic: 20, unlabelled: 20 });
    expect(await runCurate([project.dir, '--freeze'], io().cli)).toBe(0);
  });

  it('export refuses empty thinking unless asked, and the card reports thinking-less and truncated samples (item 3)', async () => {
    const out = path.join(tmp, 'out-refused');
    await expect(runExport([project.dir, '--format', 'trl', '--include', 'all', '--out', out], io().cli)).rejects.toThrow(
      /^40 of the 40 samples to export have no thinking \(their teacher did not reason\).*--allow-empty-thinking/,
    );
    expect(fs.existsSync(out)).toBe(false);

    const ok = path.join(tmp, 'out-allowed');
    expect(await runExport([project.dir, '--format', 'trl', '--include', 'all', '--out', ok, '--val', '0', '--allow-empty-thinking'], io().cli)).toBe(0);
    const card = fs.readFileSync(path.join(ok, 'README.md'), 'utf8');
    expect(card).toContain('40 of the 40 samples have no thinking (their teacher did not reason)');
    expect(card).toContain('26 of the 40 samples were cut at the teacher\'s token limit (finish_reason length)');
    const manifest = JSON.parse(fs.readFileSync(path.join(ok, 'export.json'), 'utf8')) as {
      counts: { samples: number; noThinking: number; truncated: number };
      allowEmptyThinking: boolean;
      provenance: { curation: { funnel: { stage: string; in: number; out: number }[] } };
    };
    expect(manifest.counts).toMatchObject({ samples: 40, noThinking: 40, truncated: 26 });
    expect(manifest.allowEmptyThinking).toBe(true);

    // Item 12: the card's funnel table holds the numbers of export.json's funnel, not blanks.
    const funnel = manifest.provenance.curation.funnel;
    expect(funnel.length).toBeGreaterThanOrEqual(3);
    for (const st of funnel) expect(card).toContain(`| ${st.stage} | ${st.in} | ${st.out} | ${st.in - st.out} |`);
    expect(card).toContain('| pool | 40 | 40 | 0 |');
    expect(card).not.toMatch(/\| pool \| *\|/);
  });

  it('review --set warns about questions outside the frozen selection (item 11)', async () => {
    const recipe = path.join(tmp, 'recipe10.json');
    fs.writeFileSync(recipe, JSON.stringify({ target: 10, quality: { requireThinking: false, dropUnterminated: false } }));
    expect(await runCurate([project.dir, '--recipe', recipe], io().cli)).toBe(0);
    expect(await runCurate([project.dir, '--freeze'], io().cli)).toBe(0);
    const selected = new Set(project.db.prepare('SELECT question_id FROM selection').pluck().all() as number[]);
    expect(selected.size).toBe(10);
    const all = project.db.prepare('SELECT id FROM questions ORDER BY id').pluck().all() as number[];
    const inside = all.find((id) => selected.has(id)) as number;
    const outside = all.filter((id) => !selected.has(id)).slice(0, 2);
    const text = io();
    expect(await runReview([project.dir, '--set', 'accepted', '--ids', [inside, ...outside].join(',')], text.cli)).toBe(0);
    expect(text.out[0]).toMatch(/^Marked 3 samples accepted\./);
    expect(text.err).toEqual(outside.map((id) => expect.stringMatching(new RegExp(`^warning: question ${id} is outside the frozen curation selection, so the export .* leaves it out`)) as unknown as string));
    const json = io();
    expect(await runReview([project.dir, '--set', 'accepted', '--ids', [inside, ...outside].join(','), '--json'], json.cli)).toBe(0);
    expect(JSON.parse(json.out[0] as string)).toMatchObject({ updated: 3, outside_selection: outside });
  });
});
