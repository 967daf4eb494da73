import path from 'node:path';
import { writeHandbook } from '../docs/handbook';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { createProject, type Project } from '../store/project';
import { generateSample } from './generators';
import { rng } from './rng';

export { SAMPLE_DOMAINS } from './generators';

/** Creates the embedded sample project: 320 generated questions over 8 domains, with a Chinese subset. */
export function createSampleProject(dir: string, name = 'Sample project'): Project {
  const project = createProject(dir, name);
  const questions = generateSample(rng(20250131), 40);
  const t = new Date().toISOString();
  const put = project.db.prepare(
    "INSERT INTO questions (ext_id, question, answer, domain, source, lang, created_at) VALUES (?, ?, ?, ?, 'sample', ?, ?)",
  );
  project.db.transaction(() => {
    questions.forEach((q, i) => put.run(`sample-${String(i + 1).padStart(3, '0')}`, q.question, q.answer, q.domain, q.lang, t));
  })();
  // The domain sample: a small expense and tax handbook (English and Chinese, PDF and DOCX) to try documents →
  // questions with (the Sources tab's "Add the sample handbook", or `distillery docs add DIR DIR/artifacts/documents/sample-handbook`).
  const hb = path.join(project.artifactsDir, 'documents', 'sample-handbook');
  mkdirPrivate(hb);
  writeHandbook(hb, (f, d) => writePrivateFile(f, d));
  return project;
}
