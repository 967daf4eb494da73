import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { TeacherPage } from '../pages/teacher';
import { TracesPage } from '../pages/traces';

const python = path.resolve('.venv/bin/python');
let modelDir = '';

test.describe('Teacher step: a local teacher, a test, generation and checking', () => {
  test.beforeAll(() => {
    test.skip(!fs.existsSync(python), 'No Python environment at .venv: run npm run setup:python to build the tiny model and serve it.');
    test.setTimeout(600_000);
    modelDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-tiny-')), 'tiny-model');
    execFileSync(python, ['-m', 'distillery_worker', 'tiny-model', '--out', modelDir], { stdio: 'pipe', timeout: 580_000 });
  });

  test.afterAll(() => {
    if (modelDir) fs.rmSync(path.dirname(modelDir), { recursive: true, force: true });
  });

  test('starts a local teacher from a model folder, tests it, distils 20 questions and checks the answers', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(900_000);
    await mutate(request, host, 'project.sample', { dir: uniqueDir('teacher-sample') });
    await app.open('#/teacher');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teacher');
    const teacher = new TeacherPage(page);
    await expect(page.getByText('No teacher yet.', { exact: false })).toBeVisible();
    await app.snap(testInfo, 'teacher-empty-en');

    // Local teacher: the folder typed into the folder input, then ready (transformers serve loads slowly on a busy machine).
    const server = await teacher.startLocal(modelDir, 300_000);
    await expect(server.getByTestId('local-log')).not.toHaveText('');
    await server.getByRole('button', { name: 'Use as teacher' }).click();
    await expect(page.getByRole('status')).toContainText('Saved as teacher “local-tiny-model”');
    const item = teacher.teacher('local-tiny-model');
    await expect(item).toBeVisible();

    // Test: latency, where reasoning arrives, context length.
    await item.getByRole('button', { name: 'Test' }).click();
    const result = item.getByTestId('test-result');
    await expect(result).toBeVisible({ timeout: 120_000 });
    await expect(result).toContainText('Latency');
    await expect(result).toContainText('Reasoning arrives in');
    await expect(result).toContainText('Context length');
    await expect(result).toContainText(/✓ Answered/);
    await app.snap(testInfo, 'teacher-local-tested-en');

    // The edit form shows where the key comes from, never a key.
    await item.getByRole('button', { name: 'Edit' }).click();
    await expect(teacher.form.locator('#teacher-model')).toHaveValue(modelDir);
    await teacher.form.getByRole('button', { name: 'Cancel' }).click();

    // Generation: the first 20 questions, max_tokens 16, live progress up to 100 %.
    await app.step('traces').click();
    const traces = new TracesPage(page);
    await expect(traces.teacher).toHaveValue('local-tiny-model');
    await traces.mode.selectOption('limit');
    await traces.n.fill('20');
    await traces.maxTokens.fill('16');
    await traces.start.click();
    await expect(traces.progress).toBeVisible();
    await expect(traces.bar).toHaveAttribute('aria-valuenow', '100', { timeout: 300_000 });
    await expect(traces.stat('remaining')).toHaveText('0');
    const done = Number(await traces.stat('done').textContent());
    const failed = Number(await traces.stat('failed').textContent());
    expect(done + failed).toBe(20);
    await expect(traces.progress).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

    // Traces: 20 questions, thinking and answer apart, raw on demand.
    await expect(traces.questions).toHaveCount(20, { timeout: 30_000 });
    await expect(traces.detail.getByTestId('attempt').first()).toBeVisible();
    await page.keyboard.press('j');
    await expect(traces.questions.nth(1)).toHaveAttribute('aria-current', 'true');
    // The second question's detail loads after the selection moves and starts with raw hidden: press r until the
    // raw response shows (a press that lands before the load is undone by it).
    const raw = traces.detail.getByTestId('raw');
    await expect(async () => {
      if (!(await raw.isVisible())) await page.keyboard.press('r');
      await expect(raw).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(raw).toContainText('finish');
    await traces.detail.getByTestId('raw').scrollIntoViewIfNeeded();
    await app.snap(testInfo, 'traces-generated-en');

    // Check answers: a verdict badge on every question (✓, ✗ or ?), with the method and reason on hover.
    await traces.check.click();
    await expect(traces.verdicts).toHaveCount(done, { timeout: 120_000 });
    await expect(traces.verdicts.first()).toHaveAttribute('title', /.+: .+/);
    await expect(page.getByTestId('verify-summary')).toContainText(`of ${done} checked`);
    // Beside the badge, the verdict in plain words: at 16 tokens every trace was cut at the limit.
    const plain = traces.detail.getByTestId('verdict-plain').first();
    await expect(plain).toContainText('cut at the token limit');
    await expect(plain.locator('details')).not.toHaveAttribute('open', '');
    await plain.getByText('Technical detail').click();
    await expect(plain.locator('details p')).toHaveText(/.+: .+/);
    await traces.verdictFilter.selectOption('wrong');
    const wrong = await traces.questions.count();
    await traces.verdictFilter.selectOption('any');
    await expect(traces.questions).toHaveCount(20);
    expect(wrong).toBeLessThanOrEqual(20);
    await traces.questions.first().scrollIntoViewIfNeeded();
    await app.snap(testInfo, 'traces-checked-en');

    await app.language('中文').click();
    await expect(page.getByRole('heading', { name: '生成推理轨迹' })).toBeVisible();
    await expect(page.getByRole('button', { name: '检查答案' })).toBeVisible();
    await app.snap(testInfo, 'traces-checked-zh');
    await app.step('teacher').click();
    await expect(page.getByRole('heading', { name: '从模型文件夹启动本地教师模型' })).toBeVisible();
    await expect(page.getByTestId('local-status').first()).toHaveText('就绪');
    await page.getByTestId('local-server').first().scrollIntoViewIfNeeded();
    await app.snap(testInfo, 'teacher-zh');

    // Stop the local server.
    await page.getByTestId('local-server').first().getByRole('button', { name: '停止' }).click();
    await expect(page.getByTestId('local-server')).toHaveCount(0, { timeout: 30_000 });
    await app.language('English').click();
  });
});
