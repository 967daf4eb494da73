import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs';
import { LocalServers } from '../localserve/manager';
import { createSampleProject } from '../sample';
import type { Project } from '../store/project';
import { generateKind } from '../teacher/generate';
import { saveTeacher } from '../teacher/store';
import { hasPython, tinyModel } from '../train/testing';
import { verifyKind } from '../verify/job';
import { difficultyFilterStatus, startDifficultyFilter } from './filter';
import { curate } from './pipeline';
import { s1Recipe } from './recipe';

const IDS = [1, 2, 3, 4];

describe.skipIf(!hasPython())('one-click difficulty filter (generate with the filter model, then verify) against transformers serve', () => {
  let tmp: string;
  let project: Project;
  const servers = new LocalServers();
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-filter-'));
    process.env.DISTILLERY_CONFIG_DIR = path.join(tmp, 'config');
    project = createSampleProject(path.join(tmp, 'p'));
    project.db.prepare(`UPDATE questions SET excluded = 1, exclude_reason = 'test' WHERE id NOT IN (${IDS.join(',')})`).run();
  });
  afterAll(async () => {
    await servers.stopAll();
    project?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses an unregistered filter model in a sentence', () => {
    const runner = new JobRunner(project).register(generateKind).register(verifyKind);
    expect(() => startDifficultyFilter(runner, { models: ['nobody'], scope: 'all' })).toThrow(/nobody/);
    expect(difficultyFilterStatus(runner)).toBeNull();
  });

  it('runs generate (k samples) for the filter model, then the answer check; difficulty reads the stored verdicts', async () => {
    const modelDir = tinyModel();
    const info = await servers.start(modelDir, { kind: 'transformers', device: 'cpu', readyTimeoutMs: 600_000 });
    saveTeacher(project.db, { name: 'filter-tiny', baseUrls: [info.baseUrl], model: modelDir });
    const runner = new JobRunner(project).register(generateKind).register(verifyKind);
    // No trace of a reasoning teacher exists, so "candidates" would be empty under the default quality rules.
    expect(() => startDifficultyFilter(runner, { models: ['filter-tiny'], samples: 2 })).toThrow(/No question passes the quality stage/);
    const first = startDifficultyFilter(runner, { models: ['filter-tiny'], samples: 2, scope: 'all', maxTokens: 8 });
    expect(first).toMatchObject({ phase: 'generating', questions: IDS.length, samples: 2 });
    const gen = first.jobs[0]!;
    expect(gen).toMatchObject({ kind: 'generate', model: 'filter-tiny' });
    const g = await runner.wait(gen.jobId);
    expect(g.status, servers.log(info.id).slice(-20).join('\n')).toBe('done');
    // The chain starts the check on its own once generation is done.
    let st = difficultyFilterStatus(runner);
    for (let i = 0; i < 100 && st?.jobs.length !== 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      st = difficultyFilterStatus(runner);
    }
    expect(st?.jobs.map((j) => j.kind)).toEqual(['generate', 'verify']);
    const v = await runner.wait(st!.jobs[1]!.jobId);
    expect(v.status).toBe('done');
    expect(difficultyFilterStatus(runner)?.phase).toBe('done');
    await runner.close();

    const traces = project.db.prepare("SELECT question_id, COUNT(*) AS n FROM traces WHERE teacher = 'filter-tiny' GROUP BY question_id ORDER BY question_id").all() as { question_id: number; n: number }[];
    expect(traces).toEqual(IDS.map((id) => ({ question_id: id, n: 2 })));
    const unchecked = project.db.prepare("SELECT COUNT(*) FROM traces t WHERE t.teacher = 'filter-tiny' AND t.status = 'done' AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.trace_id = t.id)").pluck().get();
    expect(unchecked).toBe(0);
    // Difficulty sees two checked attempts per question (a random tiny model solves none of them).
    const r = curate(project, s1Recipe({ quality: { enabled: false }, difficulty: { filterModels: ['filter-tiny'] }, diversity: { enabled: false }, target: 10 }));
    expect(r.notes.join(' ')).not.toMatch(/no checked filter-model attempt/);
    const done = project.db.prepare("SELECT COUNT(*) FROM traces WHERE teacher = 'filter-tiny' AND status = 'done'").pluck().get() as number;
    expect(done).toBe(IDS.length * 2);
  }, 900_000);
});
