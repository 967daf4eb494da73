import fs from 'node:fs';
import path from 'node:path';
import { startChatServer, type ChatServer } from '../../electron/core/augment/testing';
import { HANDBOOK_FACTS, writeHandbook } from '../../electron/core/docs/handbook';
import { expect, mutate, test } from '../fixtures';
import { CuratePage } from '../pages/curate';
import { QuestionsPage } from '../pages/questions';
import { TracesPage } from '../pages/traces';

const SYNTH_Q = 'Two nights in a Berlin hotel at EUR 150 a night: how much does Northwind reimburse?';
const UNANSWERED = 'What is one divided by two?';

/**
 * The scripted teacher (loopback): for the handbook's travel passage one supported question, for its scope passage
 * one with an invented quote; every other passage an empty list. Reasoning requests get a thinking and a boxed answer; the
 * question without a reference is answered 1/2, 0.5, \frac{1}{2}, 3 in turn (a pseudo-label 3/4).
 */
let server: ChatServer;
const asked = new Map<string, number>();
test.beforeAll(async () => {
  server = await startChatServer((prompt) => {
    if (prompt.includes('Reply with JSON only')) {
      if (prompt.includes(HANDBOOK_FACTS.en)) return JSON.stringify({ questions: [{ type: 'calculation', question: SYNTH_Q, answer: 'EUR 260', quote: HANDBOOK_FACTS.en }] });
      if (prompt.includes('This handbook applies to all employees')) {
        return JSON.stringify({ questions: [{ type: 'what_if', question: 'What if a receipt came after 90 days?', answer: 'Not reimbursed', quote: 'Receipts are accepted for 90 days.' }] });
      }
      return '{"questions": []}';
    }
    const key = prompt.includes(UNANSWERED) ? 'half' : 'other';
    const n = (asked.get(key) ?? 0) + 1;
    asked.set(key, n);
    if (key === 'half') return `<think>Divide one by two, attempt ${n}.</think>So the answer is \\boxed{${['1/2', '0.5', '\\frac{1}{2}', '3'][(n - 1) % 4]}}.`;
    return '<think>Two nights at the Berlin limit of EUR 130 each.</think>The reimbursement is \\boxed{260}.';
  });
});
test.afterAll(() => server.close());

test('a question written from a dropped PDF shows its file, page and quote in Review, a pseudo-label its agreement; Curate drops the teacher-unsure one', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(240_000);
  const dir = uniqueDir('provenance');
  const data = uniqueDir('provenance-data');
  const [pdf] = writeHandbook(data);
  fs.writeFileSync(path.join(data, 'q.jsonl'), `${JSON.stringify({ question: UNANSWERED })}\n`);
  await mutate(request, host, 'project.create', { dir, name: 'Provenance e2e' });
  await mutate(request, host, 'pool.import', { file: path.join(data, 'q.jsonl') });
  await mutate(request, host, 'teacher.save', { name: 'scripted', baseUrls: [server.url], model: 'scripted-model' });

  // Documents → preview → synthesize, in the Questions step's Sources tab.
  await app.open('#/questions');
  const q = new QuestionsPage(page);
  await q.tab('Sources').click();
  await page.getByTestId('docs-file-input').setInputFiles(pdf!);
  await expect(page.getByTestId('docs-report')).toContainText('1 added, 0 duplicates, 0 failed, 0 skipped');
  await page.getByRole('button', { name: 'Preview five questions' }).click();
  const preview = page.getByTestId('synth-preview');
  await expect(preview).toContainText('The whole run: 6 chunks');
  await expect(preview).toContainText('the quote does not occur in the chunk: "Receipts are accepted for 90 days."');
  await page.getByRole('button', { name: 'Write questions from all chunks' }).click();
  await expect(page.getByTestId('synth-done')).toContainText('Done: 1 questions added to the pool');

  // Traces for both questions, then the pseudo-label of the one without an answer (3 more samples, 3 of 4 agree).
  await app.step('traces').click();
  const traces = new TracesPage(page);
  await traces.start.click();
  await expect(traces.progress).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await traces.questions.filter({ hasText: 'Berlin hotel' }).click();
  await expect(traces.detail.getByTestId('detail-source-quote')).toHaveText(HANDBOOK_FACTS.en);
  await app.step('questions').click();
  await q.tab('Augment & pseudo-labels').click();
  await page.locator('#pseudo-samples').fill('4');
  await page.locator('#pseudo-min').fill('0.8');
  await page.getByRole('button', { name: 'Make pseudo-labels' }).click();
  await expect(page.getByTestId('pseudo-summary')).toContainText('1 of 1 questions without an answer have a pseudo-label; 1 are "teacher unsure".', { timeout: 60_000 });

  // Review: the synthesized question's source — file, page, heading, and the quote marked in the passage's text.
  await app.step('review').click();
  await page.getByTestId('queue-row').filter({ hasText: 'Berlin hotel' }).first().click();
  await expect(page.getByTestId('question')).toContainText(SYNTH_Q);
  const prov = page.getByTestId('provenance');
  await expect(prov.getByTestId('provenance-source-doc')).toContainText('handbook-en.pdf, pages 1–1');
  await expect(prov.getByTestId('provenance-source-doc')).toContainText('2 Travel');
  await expect(prov.getByTestId('provenance-source-quote')).toHaveText(HANDBOOK_FACTS.en);
  await expect(prov.getByTestId('provenance-source-text')).toContainText('Business trips must be approved');
  await app.snap(testInfo, 'review-provenance-en');

  // The question without an answer: its reference is a pseudo-label, shown with its agreement, never as a checked one.
  await page.getByTestId('queue-row').filter({ hasText: 'one divided by two' }).first().click();
  await expect(page.getByTestId('question')).toContainText(UNANSWERED);
  await expect(page.getByTestId('provenance').getByTestId('pseudo-badge')).toHaveText('Pseudo-label 3/4');
  await expect(page.getByTestId('provenance').getByTestId('pseudo-unsure')).toHaveText('teacher unsure');
  await expect(page.getByTestId('provenance-pseudo')).toContainText('it was not checked by a person');
  await app.language('中文').click();
  await expect(page.getByTestId('provenance').getByTestId('pseudo-badge')).toHaveText('伪标签 3/4');
  await expect(page.getByTestId('provenance')).toContainText('这道题的来源');
  await app.language('English').click();

  // Curate: the agreement as a signal — dropping teacher-unsure questions takes the unsure one out, with its reason.
  await app.step('curate').click();
  const cur = new CuratePage(page);
  await expect(page.getByTestId('agreement-summary')).toHaveText('Pseudo-labels in the pool: 1, of which teacher unsure: 1.');
  await expect(cur.out('pool')).toHaveText('2');
  const before = Number(await cur.out('quality').textContent());
  await page.getByLabel('Drop teacher-unsure questions').check();
  await expect(cur.out('quality')).toHaveText(String(before - 1));
  await cur.run.click();
  await expect(page.getByTestId('run-msg')).toContainText('Run #1 stored');
  await expect(cur.row(1).getByTestId('reason')).toContainText('the teacher was unsure of the pseudo-label (agreement 0.75, 3 of 4 samples)');
  await app.snap(testInfo, 'curate-agreement-en');
});
