import path from 'node:path';
import { writeHandbook } from '../docs/handbook';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { insertQuestions } from '../pool/question-rows';
import { createProject, type Project } from '../store/project';
import { generateSample } from './generators';
import { rng } from './rng';

export { SAMPLE_DOMAINS } from './generators';

/** Creates the embedded sample project: 320 generated questions over 8 domains, with a Chinese subset. */
export function createSampleProject(dir: string, name = 'Sample project'): Project {
  const project = createProject(dir, name);
  const questions = generateSample(rng(20250131), 40);
  const t = new Date().toISOString();
  insertQuestions(
    project.db,
    questions.map((q, i) => ({ extId: `sample-${String(i + 1).padStart(3, '0')}`, question: q.question, answer: q.answer, domain: q.domain, source: 'sample', lang: q.lang, createdAt: t })),
  );
  // The domain sample: a small expense and tax handbook (English and Chinese, PDF and DOCX) to try documents →
  // questions with (the Sources tab's "Add the sample handbook", or `distillery docs add DIR DIR/artifacts/documents/sample-handbook`).
  const hb = path.join(project.artifactsDir, 'documents', 'sample-handbook');
  mkdirPrivate(hb);
  writeHandbook(hb, (f, d) => writePrivateFile(f, d));
  return project;
}
