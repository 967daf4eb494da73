import { expect, mutate, test } from '../fixtures';
import { startScriptedServer, type ScriptedServer } from '../../electron/core/teacher/testing/scripted-server';
import { TeacherPage } from '../pages/teacher';

/**
 * Issue 17 item 3: a teacher that does not reason (it answers without thinking, as SmolLM2 does) is found by the
 * Test button, which offers the reasoning prompt; switched on, the test asks again and thinking arrives in <think> tags.
 * The server is scripted (fault injection of that behaviour): with the reasoning prompt in the question it thinks.
 */
let server: ScriptedServer;

test.beforeAll(async () => {
  server = await startScriptedServer((r) => (r.prompt.includes('<think>') ? { kind: 'ok', reasoning: 'think', tokens: 8 } : { kind: 'ok', reasoning: 'none', tokens: 8 }));
});
test.afterAll(async () => {
  await server?.close();
});

test('the Test button finds a teacher that does not reason and switches the reasoning prompt on', async ({ app, page, request, host, uniqueDir }) => {
  await mutate(request, host, 'project.sample', { dir: uniqueDir('reasoning') });
  await mutate(request, host, 'teacher.save', { name: 'smol', baseUrls: [server.url], model: 'scripted' });
  await app.open('#/teacher');
  const teacher = new TeacherPage(page);
  const item = teacher.teacher('smol');
  await item.getByRole('button', { name: 'Test' }).click();
  const note = item.getByTestId('no-thinking');
  await expect(note).toContainText('No thinking came back');
  await expect(item.getByTestId('test-result')).toContainText('no reasoning seen');

  await note.getByRole('button', { name: 'Ask it to reason (reasoning prompt)' }).click();
  await expect(item.getByTestId('test-result')).toContainText('inline <think> tags');
  await expect(item.getByTestId('no-thinking')).toHaveCount(0);
  expect(server.requests.at(-1)?.prompt).toContain('inside <think> and </think> tags');

  // The panel shows what is stored: the reasoning prompt mode, the default text in both languages on offer.
  await item.getByRole('button', { name: 'Prompt and reasoning' }).click();
  const panel = item.getByTestId('teacher-prompting');
  await expect(panel.getByRole('radio', { name: /reasoning prompt/ })).toBeChecked();
  await panel.getByRole('button', { name: 'Default (Chinese)' }).click();
  await expect(panel.getByRole('textbox', { name: 'Reasoning prompt' })).toHaveValue(/请先在 <think> 和 <\/think> 标签之间逐步思考/);
  await panel.getByRole('radio', { name: /split mode/ }).check();
  await panel.getByRole('button', { name: 'Save prompt settings' }).click();
  await expect(panel.getByRole('status')).toContainText('Saved.');
});

test('Review: the export says how many samples have no thinking and needs the box ticked; the pool scope notes the selection', async ({ app, page, request, host, uniqueDir }) => {
  const plain = await startScriptedServer(() => ({ kind: 'ok', reasoning: 'none', tokens: 6 }));
  try {
    await mutate(request, host, 'project.sample', { dir: uniqueDir('no-thinking-export') });
    await mutate(request, host, 'teacher.save', { name: 'plain', baseUrls: [plain.url], model: 'scripted' });
    await mutate(request, host, 'teacher.generate', { teacher: 'plain', questions: { mode: 'limit', n: 3 }, concurrency: 3 });
    await expect.poll(() => plain.completed.size, { timeout: 60_000 }).toBe(3);
    await app.open('#/review');
    await page.getByRole('button', { name: 'Export…' }).click();
    const share = page.getByTestId('share-dialog');
    await share.locator('#export-include').selectOption('all');
    const note = share.getByTestId('export-no-thinking');
    await expect(note).toContainText('3 of these samples have no thinking');
    await share.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(share).toContainText('3 of the 3 samples to export have no thinking');
    await note.getByRole('checkbox').check();
    await share.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(share.getByTestId('export-result')).toContainText('README.md');
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Queue over' }).selectOption('pool');
    await expect(page.getByTestId('outside-selection-note')).toContainText('the export takes the selection');
  } finally {
    await plain.close();
  }
});
