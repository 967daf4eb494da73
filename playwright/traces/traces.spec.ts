import { expect, mutate, test } from '../fixtures';
import { TeacherPage } from '../pages/teacher';
import { TracesPage } from '../pages/traces';

test.describe('Traces step and teacher form, without a server', () => {
  test('without a project, both steps send the user to the Project step', async ({ app, page }) => {
    await app.open('#/traces');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Traces');
    await page.getByRole('button', { name: 'Go to Project' }).click();
    await app.expectActive('project');
  });

  test('adds a teacher with a preset, several endpoints and an env key; shows filters, hints and pending questions', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(120_000);
    await mutate(request, host, 'project.sample', { dir: uniqueDir('traces-sample') });
    await app.open('#/teacher');
    const teacher = new TeacherPage(page);
    await teacher.form.locator('#teacher-preset').selectOption('vllm');
    await expect(teacher.form.getByLabel('Endpoint URLs (base URL ending in /v1) 1')).toHaveValue('http://127.0.0.1:8000/v1');
    await teacher.form.getByRole('button', { name: 'Add endpoint' }).click();
    await teacher.form.getByLabel('Endpoint URLs (base URL ending in /v1) 2').fill('http://127.0.0.1:8001/v1');
    await teacher.form.locator('#teacher-name').fill('qwq');
    await teacher.form.locator('#teacher-model').fill('Qwen/QwQ-32B');
    await teacher.form.getByLabel('Environment variable').check();
    await teacher.form.getByLabel('Variable name').fill('QWQ_KEY');
    await teacher.form.locator('#teacher-price-out').fill('2.5');
    await teacher.form.getByRole('button', { name: 'Save teacher' }).click();
    const item = teacher.teacher('qwq');
    await expect(item).toContainText('2 endpoints');
    await expect(item).toContainText('key from $QWQ_KEY');
    await app.snap(testInfo, 'teacher-form-en');

    await app.step('traces').click();
    const traces = new TracesPage(page);
    await expect(traces.teacher).toHaveValue('qwq');
    await expect(page.locator('#gen-template')).toHaveValue(/\{question\}[\s\S]*\\boxed\{\}/);
    await expect(page.getByTestId('key-hints')).toContainText('j / k');
    await expect(page.getByText('No traces match these filters.')).toBeVisible();
    await traces.statusFilter.selectOption('pending');
    await expect(traces.questions).toHaveCount(50);
    await page.keyboard.press('j');
    await expect(traces.questions.nth(1)).toHaveAttribute('aria-current', 'true');
    await expect(traces.detail).toContainText('No attempt yet for this question.');
    await traces.detail.scrollIntoViewIfNeeded();
    await app.snap(testInfo, 'traces-pending-en');

    await app.language('中文').click();
    await expect(page.getByRole('heading', { name: '生成推理轨迹' })).toBeVisible();
    await app.snap(testInfo, 'traces-pending-zh');
    await app.language('English').click();
  });
});
