// The Generate step's saved settings (one row in the project), read by the step and by export's dataset card.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createProject } from '../store/project';
import { saveGenerationSettings, savedGenerationSettings } from './store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-gen-settings-'));
const project = createProject(path.join(tmp, 'p'), 'p');
afterAll(() => {
  project.db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('is undefined before the first save, then the last saved settings', () => {
  expect(savedGenerationSettings(project.db)).toBeUndefined();
  saveGenerationSettings(project.db, { promptTemplate: 'A {question}', samples: 2 });
  saveGenerationSettings(project.db, { promptTemplate: 'B {question}', systemPrompt: null });
  expect(JSON.parse(savedGenerationSettings(project.db) ?? 'null')).toEqual({ promptTemplate: 'B {question}', systemPrompt: null });
  expect(project.db.prepare('SELECT COUNT(*) FROM generation_settings').pluck().get()).toBe(1);
});
