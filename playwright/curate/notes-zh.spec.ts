import { expect, mutate, test } from '../fixtures';
import { TracesPage } from '../pages/traces';
import { closedPort } from '../ports';

/**
 * Issue 19.11: Curate in Chinese showed the engine's English note ("quality: 320 of 320 dropped because
 * they have no trace yet…"). Notes now carry a code and params, and the UI says them in its language.
 */
test('Curate in 中文 on the sample: the engine notes are in Chinese, no English sentence', async ({ app, page, request, host, uniqueDir }, testInfo) => {
  await mutate(request, host, 'project.sample', { dir: uniqueDir('curate-notes-zh') });
  await app.open('#/curate');
  const notes = page.getByTestId('notes');
  await expect(notes).toContainText('no trace yet');
  await app.language('中文').click();
  await expect(notes).toContainText('还没有推理轨迹');
  await expect(notes).toContainText('学生模型');
  // No Latin sentence: words of three letters or more in a row are English text left untranslated.
  for (const li of await notes.locator('li').allTextContents()) expect(li).not.toMatch(/[A-Za-z]{3,}\s+[A-Za-z]{3,}\s+[A-Za-z]{3,}/);
  await app.snap(testInfo, 'curate-notes-zh');
  await app.language('English').click();
});

test('Jobs in 中文: a job is named in Chinese, not with its English label', async ({ app, page, request, host, uniqueDir }) => {
  await mutate(request, host, 'project.sample', { dir: uniqueDir('jobs-zh') });
  await mutate(request, host, 'verification.run', {});
  await app.open('#/project');
  const jobs = page.getByTestId('jobs-list');
  await expect(jobs).toContainText('check answers');
  await app.language('中文').click();
  await expect(jobs).toContainText('检查答案');
  await expect(jobs).not.toContainText('check answers');
  await app.language('English').click();
});

test('Traces in 中文: the generation progress panel names the job in Chinese', async ({ app, page, request, host, uniqueDir }) => {
  await mutate(request, host, 'project.sample', { dir: uniqueDir('traces-label-zh') });
  await mutate(request, host, 'teacher.save', { name: 'down', baseUrls: [`http://127.0.0.1:${await closedPort()}/v1`], model: 'm' });
  await app.open('#/traces');
  const traces = new TracesPage(page);
  await traces.mode.selectOption('limit');
  await traces.n.fill('1');
  await traces.start.click();
  const label = page.getByTestId('gen-job-label');
  await expect(label).toHaveText('Generate with down');
  await app.language('中文').click();
  await expect(label).toHaveText('用 down 生成');
  await app.language('English').click();
});
