import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { QuestionsPage } from '../pages/questions';

/**
 * A scripted OpenAI-compatible teacher and judge on loopback: 3 of every 4 answers are one half in some notation,
 * the 4th is 3 (agreement 3/4); a rubric prompt gets per-criterion JSON.
 */
async function scriptedServer(): Promise<{ url: string; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const j = JSON.parse(body || '{}') as { messages?: { content: string }[]; stream?: boolean };
      const prompt = j.messages?.at(-1)?.content ?? '';
      const text = prompt.includes('Criteria:')
        ? JSON.stringify({ scores: [{ criterion: 'Explains why', score: 8, reason: 'gives the reason' }] })
        : `<think>working ${++n}</think>So the answer is \\boxed{${['1/2', '0.5', '\\frac{1}{2}', '3'][(n - 1) % 4]}}.`;
      if (j.stream === false) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((r) => server.close(() => r())) };
}

test('a pseudo-label shows as a badge with its agreement, and the rubric calibration view says the judge is not trusted yet', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  test.setTimeout(180_000);
  const teacher = await scriptedServer();
  try {
    const dir = uniqueDir('distil');
    const data = uniqueDir('distil-data');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'q.jsonl'), `${JSON.stringify({ question: 'What is one divided by two?' })}\n${JSON.stringify({ question: 'What is 2 + 2?', answer: '4' })}\n`);
    await mutate(request, host, 'project.create', { dir, name: 'Distil e2e' });
    await mutate(request, host, 'pool.import', { file: path.join(data, 'q.jsonl') });
    await mutate(request, host, 'teacher.save', { name: 'scripted', baseUrls: [teacher.url], model: 'scripted-model' });

    await app.open('#/questions');
    const q = new QuestionsPage(page);
    await q.tab('Augment & pseudo-labels').click();
    await page.locator('#pseudo-samples').fill('4');
    await page.locator('#pseudo-min').fill('0.8');
    await page.getByRole('button', { name: 'Make pseudo-labels' }).click();
    await expect(page.getByTestId('pseudo-summary')).toContainText('1 of 1 questions without an answer have a pseudo-label; 1 are "teacher unsure".', { timeout: 60_000 });
    await expect(page.getByTestId('pseudo-summary')).toContainText('0.7-0.8');

    // The Pool: the question without an answer carries the badge, never shown as its reference answer.
    await q.tab('Pool').click();
    await q.rows().filter({ hasText: 'one divided by two' }).click();
    await expect(q.detail.getByTestId('pseudo-badge')).toHaveText('Pseudo-label 3/4');
    await expect(q.detail.getByTestId('pseudo-unsure')).toHaveText('teacher unsure');
    await expect(q.detail).toContainText('No reference answer');
    await app.snap(testInfo, 'pseudo-label-badge-en');
    await app.language('中文').click();
    await expect(q.detail.getByTestId('pseudo-badge')).toHaveText('伪标签 3/4');
    await expect(q.detail.getByTestId('pseudo-unsure')).toHaveText('教师不确定');
    await app.language('English').click();

    // Rubric: write one, judge two traces, mark one by hand; the calibration view warns (1 mark < 20).
    await app.step('traces').click();
    const editor = page.getByTestId('rubric-editor');
    await editor.locator('#rubric-name').fill('clarity');
    await editor.getByLabel('Criterion 1', { exact: true }).fill('Explains why');
    await editor.getByLabel('What it asks for 1', { exact: true }).fill('says why the answer holds');
    await editor.getByRole('button', { name: 'Save rubric' }).click();
    await expect(editor).toContainText('Saved.');
    await page.locator('#rubric-limit').fill('2');
    await page.getByRole('button', { name: 'Judge with the rubric' }).click();
    const verdicts = page.getByTestId('rubric-verdicts');
    await expect(verdicts.locator('tbody tr')).toHaveCount(2, { timeout: 60_000 });
    await expect(verdicts).toContainText('Explains why 8/10 — gives the reason');
    await verdicts.locator('tbody tr').first().getByRole('button', { name: 'Judge right' }).click();
    const cal = page.getByTestId('calibration');
    await expect(cal.getByTestId('calibration-marks')).toHaveText('1 verdicts marked by hand.');
    await expect(cal.getByTestId('calibration-scripted')).toContainText('100%');
    await expect(cal.getByTestId('calibration-scripted')).toContainText('too few marks');
    await expect(page.getByTestId('calibration-warning')).toContainText('Not calibrated yet: scripted has 1 marks and 100% agreement.');
    await app.snap(testInfo, 'rubric-calibration-en');
    await app.language('中文').click();
    await expect(cal.getByTestId('calibration-scripted')).toContainText('标注太少');
    await app.language('English').click();
  } finally {
    await teacher.close();
  }
});
