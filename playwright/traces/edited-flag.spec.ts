import fs from 'node:fs';
import path from 'node:path';
import { startChatServer, type ChatServer } from '../../electron/core/augment/testing';
import { expect, mutate, test } from '../fixtures';
import { TracesPage } from '../pages/traces';

let server: ChatServer | null = null;

test.afterAll(async () => {
  await server?.close();
});

/**
 * A teacher that answers without thinking gets the "missing thinking" flag; once a reviewer writes the
 * thinking in Review, the Traces detail shows the edited trace without the flag (and the flag comes back
 * when the edit is undone).
 */
test('the Traces detail drops "missing thinking" after the thinking was edited in Review', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(120_000);
  server = await startChatServer(() => 'The answer is \\boxed{4}.');
  const dir = uniqueDir('edited-flag');
  const data = uniqueDir('edited-flag-data');
  fs.mkdirSync(data, { recursive: true });
  fs.writeFileSync(path.join(data, 'pool.jsonl'), JSON.stringify({ question: 'What is 2 + 2?', answer: '4' }) + '\n');
  await mutate(request, host, 'project.create', { dir, name: 'Edited flag' });
  await mutate(request, host, 'pool.import', { file: path.join(data, 'pool.jsonl') });
  await mutate(request, host, 'teacher.save', { name: 'terse', baseUrls: [server.url], model: 'm' });

  await app.open('#/traces');
  const traces = new TracesPage(page);
  await traces.start.click();
  await expect(traces.progress).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await traces.questions.first().click();
  const attempt = traces.detail.getByTestId('attempt').first();
  await expect(attempt.getByTestId('flag')).toHaveText(['missing thinking']);

  // The reviewer writes the thinking (Review's autosave, over the same API the editor uses).
  const q = encodeURIComponent(JSON.stringify({ offset: 0, limit: 10 }));
  const res = await request.get(`${host.origin}/api/trpc/teacher.traces?input=${q}`, { headers: { Authorization: `Bearer ${host.token}` } });
  const traceId = ((await res.json()) as { result: { data: { rows: { id: number }[] } } }).result.data.rows[0]!.id;
  await mutate(request, host, 'review.save', { traceId, baseRevision: 0, thinking: 'Two and two make four.', answer: 'The answer is \\boxed{4}.', author: 'e2e' });

  await page.reload();
  await traces.questions.first().click();
  await expect(attempt.getByTestId('thinking')).toHaveText('Two and two make four.');
  await expect(attempt.getByTestId('flag')).toHaveCount(0);
  await app.snap(testInfo, 'traces-edited-no-flag-en');

  // Undone: the teacher's text again, and its flag with it.
  await mutate(request, host, 'review.undo', { traceId, author: 'e2e' });
  await page.reload();
  await traces.questions.first().click();
  await expect(attempt.getByTestId('flag')).toHaveText(['missing thinking']);
});
