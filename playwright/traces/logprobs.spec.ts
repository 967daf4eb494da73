import { expect, mutate, test } from '../fixtures';
import { startScriptedServer, type ScriptedServer } from '../../electron/core/teacher/testing/scripted-server';
import { TracesPage } from '../pages/traces';

let server: ScriptedServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('"Capture top-k logprobs" asks the server for them, and a server that sends none is named in the progress (en, zh)', async ({ app, page, request, host, uniqueDir }) => {
  test.setTimeout(150_000);
  // the first answer comes at once, the others slowly: the job is still running when the note appears
  let n = 0;
  server = await startScriptedServer(() => ({ kind: 'ok', tokens: 6, noLogprobs: true, delayPerTokenMs: n++ === 0 ? 0 : 2_000 }));
  await mutate(request, host, 'project.sample', { dir: uniqueDir('logprobs') });
  await mutate(request, host, 'teacher.save', { name: 'nolp', baseUrls: [server.url], model: 'scripted' });
  await app.open('#/traces');
  const traces = new TracesPage(page);
  await traces.mode.selectOption('limit');
  await traces.n.fill('3');
  const k = page.locator('#gen-top-k');
  await expect(k).toBeDisabled();
  await page.getByTestId('gen-logprobs').check();
  await k.fill('3');
  await traces.start.click();

  const note = page.getByTestId('gen-logprobs-missing');
  await expect(note).toContainText('The teacher server sent no logprobs although top-3 were asked for', { timeout: 60_000 });
  expect(server.requests[0]?.body).toMatchObject({ logprobs: true, top_logprobs: 3 });
  await app.language('中文').click();
  await expect(note).toContainText('已请求 top-3 对数概率');
  await app.language('English').click();
});
