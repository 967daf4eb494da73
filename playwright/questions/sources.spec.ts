import fs from 'node:fs';
import path from 'node:path';
import { startChatServer, type ChatServer } from '../../electron/core/augment/testing';
import { FIXTURE_FACTS, writeFixtures } from '../../electron/core/docs/fixtures';
import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

// The scripted teacher: for the travel passage one supported question and one whose quote is invented; every other chunk gets a malformed reply.
let server: ChatServer;
test.beforeAll(async () => {
  server = await startChatServer((prompt) =>
    prompt.includes('Business travel must be approved')
      ? JSON.stringify({
          questions: [
            { type: 'calculation', question: 'Two nights in a capital city at EUR 140 a night: how much is reimbursed?', answer: 'EUR 240', quote: FIXTURE_FACTS.pdfQuote },
            { type: 'what_if', question: 'What if the city were not a capital?', answer: 'EUR 90', quote: 'Outside capitals the limit is EUR 100.' },
          ],
        })
      : 'I cannot answer in JSON today.',
  );
});
test.afterAll(() => server.close());

test('Sources: choose a PDF, see every page accounted for, preview, synthesize, see the question’s source', async ({ app, page, request, host, uniqueDir }) => {
  test.setTimeout(180_000);
  const dir = uniqueDir('sources');
  const data = uniqueDir('sources-data');
  const files = writeFixtures(data);
  await mutate(request, host, 'project.create', { dir, name: 'Sources e2e' });
  await mutate(request, host, 'teacher.save', { name: 'scripted', baseUrls: [server.url], model: 'scripted-model' });

  await app.open('#/questions');
  const q = new QuestionsPage(page);
  await q.tab('Sources').click();
  await page.getByTestId('docs-file-input').setInputFiles(files.pdf);
  const report = page.getByTestId('docs-report');
  await expect(report).toContainText('1 added, 0 duplicates, 0 failed, 0 skipped');
  await expect(report).toContainText('3 (2 with text)');
  await expect(report).toContainText('page 2 is scanned — needs OCR');
  // The upload is kept in the project.
  expect(fs.existsSync(path.join(dir, 'artifacts', 'documents', 'travel.pdf'))).toBe(true);

  await page.getByRole('button', { name: 'Show chunks' }).click();
  await expect(page.getByTestId('docs-chunks')).toContainText(FIXTURE_FACTS.pdfQuote);
  await expect(page.getByTestId('docs-chunks')).toContainText('Travel expenses');

  await page.getByRole('button', { name: 'Preview five questions' }).click();
  const preview = page.getByTestId('synth-preview');
  await expect(preview).toContainText('The whole run: 2 chunks');
  await expect(preview).toContainText('Two nights in a capital city');
  await expect(preview).toContainText('the quote does not occur in the chunk');

  await page.getByRole('button', { name: 'Write questions from all chunks' }).click();
  await expect(page.getByTestId('synth-done')).toContainText('Done: 1 questions added to the pool, 0 duplicates, 2 rejected; 0 chunks failed.');
  await page.getByTestId('synth-done').getByRole('button', { name: 'Show the pool' }).click();

  await q.row(/Two nights in a capital city/).click();
  const source = page.getByTestId('detail-source');
  await expect(source).toContainText('travel.pdf, pages 1–1');
  await expect(source).toContainText('Travel expenses');
  await expect(page.getByTestId('detail-source-quote')).toHaveText(FIXTURE_FACTS.pdfQuote);

});
