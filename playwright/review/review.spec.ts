import fs from 'node:fs';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';
import { buildTinyModel, cli, PYTHON, ReviewPage, TINY_MODEL, writePool } from './page';

test.describe('Review step', () => {
  test('without a project, sends the user to the Project step', async ({ app, page }) => {
    await app.open('#/review');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review');
    await page.getByRole('button', { name: 'Go to Project' }).click();
    await app.expectActive('project');
  });

  test('reviews five samples by keyboard, edits one (saved across a reload), compares, undoes, resolves a two-window conflict and exports', async ({ app, page, request, host, uniqueDir }, testInfo) => {
    test.setTimeout(300_000);
    const dir = uniqueDir('review');
    await mutate(request, host, 'project.create', { dir, name: 'Review e2e' });
    const file = path.join(path.dirname(dir), `${path.basename(dir)}.jsonl`);
    writePool(file, 8);
    const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
    expect(cli(['import', dir, file, '--json'], env)).toContain('"imported":8');
    cli(['verify', dir, '--json'], env);

    await app.open('#/review');
    await app.expectActive('review');
    const rv = new ReviewPage(page);
    await expect(rv.reviewed).toHaveText('0 / 8 reviewed');
    await expect(rv.rows).toHaveCount(8);
    const ids = await rv.rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-trace') ?? ''));
    await rv.expectOpen(ids[0]!);

    // The custom language: thinking boundaries, step markers and LaTeX get their own colours; steps fold.
    const marker = rv.thinking.locator('.view-line span[class*="mtk"]', { hasText: /^Wait$/ });
    await expect(marker).toHaveCSS('color', 'rgb(194, 65, 12)');
    await expect(rv.thinking.locator('.view-line span[class*="mtk"]', { hasText: /^Step\s2:$/ })).toHaveCSS('color', 'rgb(3, 105, 161)');
    await expect(rv.thinking.locator('.view-line span[class*="mtk"]', { hasText: /^\\\[3/ })).toHaveCSS('color', 'rgb(4, 120, 87)');
    await expect(rv.thinking.locator('.codicon-folding-expanded')).not.toHaveCount(0);
    // The question and the side panel render Markdown with KaTeX.
    await expect(page.getByTestId('question').locator('.katex').first()).toBeVisible();
    await expect(page.getByTestId('preview-thinking').locator('.katex-display').first()).toBeVisible();
    await app.snap(testInfo, 'review-open-en');

    // ? shows every shortcut; Esc closes it.
    await rv.leaveEditor();
    await page.keyboard.press('?');
    const help = page.getByTestId('review-help');
    await expect(help).toBeVisible();
    await expect(help.getByTestId('help-row')).toHaveCount(8);
    await expect(help.getByTestId('help-row').filter({ hasText: 'side panel' })).toContainText('P');
    await expect(help).toContainText('Alt');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();

    // Five samples by keyboard: A, R, N, A, then C with a reason → reject with comment. Each decision moves on.
    await page.keyboard.press('a');
    await rv.expectOpen(ids[1]!);
    await page.keyboard.press('r');
    await rv.expectOpen(ids[2]!);
    await page.keyboard.press('n');
    await rv.expectOpen(ids[3]!);
    await page.keyboard.press('a');
    await rv.expectOpen(ids[4]!);
    await page.keyboard.press('c');
    const dialog = page.getByTestId('comment-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: /Wrong final answer/ }).click();
    await dialog.getByRole('button', { name: 'Reject with comment' }).click();
    await rv.expectOpen(ids[5]!);
    await expect(rv.reviewed).toHaveText('5 / 8 reviewed');
    const statuses = await Promise.all(ids.slice(0, 5).map((id) => rv.row(id).getAttribute('data-status')));
    expect(statuses).toEqual(['accepted', 'rejected', 'needs_work', 'accepted', 'rejected']);
    // K / J move without deciding.
    await page.keyboard.press('k');
    await rv.expectOpen(ids[4]!);
    await expect(page.getByTestId('sample-comment')).toContainText('Wrong final answer');
    await page.keyboard.press('j');
    await rv.expectOpen(ids[5]!);
    await app.snap(testInfo, 'review-decided-en');

    // Filters: status and search.
    await page.getByTestId('filter-status').selectOption('accepted');
    await expect(rv.rows).toHaveCount(2);
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('filter-search').fill('Problem 7');
    await expect(rv.rows).toHaveCount(1);
    await page.getByTestId('filter-search').fill('');
    await expect(rv.rows).toHaveCount(8);

    // Edit the first sample: saved within a second, still there after a reload; token count follows.
    await rv.row(ids[0]!).click();
    await rv.expectOpen(ids[0]!);
    const before = Number(await page.getByTestId('thinking-tokens').getAttribute('data-tokens'));
    await rv.typeAtEnd(rv.thinking, '\nLet me double-check: the reviewer verified this sum.');
    await expect(rv.saveState).toHaveAttribute('data-state', 'saved', { timeout: 5_000 });
    await expect(rv.saveState).toContainText('Saved at');
    await expect(page.getByTestId('thinking-tokens')).not.toHaveAttribute('data-tokens', String(before));
    await page.reload();
    await rv.expectOpen(ids[0]!);
    await expect(rv.lines(rv.thinking)).toContainText('double-check');
    await expect(rv.row(ids[0]!).getByText('✎')).toBeVisible();

    // The diff against the teacher's original, and the history (author, kind).
    await page.getByRole('button', { name: 'Compare…' }).click();
    const diff = page.getByTestId('diff-editor');
    await expect(diff.locator('.monaco-diff-editor')).toBeVisible();
    await expect(diff.locator('.char-insert, .line-insert').first()).toBeVisible();
    await app.snap(testInfo, 'review-diff-en');
    await page.getByRole('button', { name: 'Back to editing' }).click();
    await rv.tab('History').click();
    const revisions = page.getByTestId('revision');
    await expect(revisions.first()).toHaveAttribute('data-kind', 'edit');
    await expect(revisions.first()).toContainText('reviewer');
    await expect(revisions.last()).toHaveAttribute('data-kind', 'original');

    // Two windows on the same sample: the later save sees a conflict; nothing is overwritten silently.
    const other = await page.context().newPage();
    await other.goto(`${host.url}#/review`);
    const rv2 = new ReviewPage(other);
    await rv2.expectOpen(ids[0]!);
    await rv2.typeAtEnd(rv2.thinking, '\nSecond window: THEIRS.');
    await expect(rv2.saveState).toHaveAttribute('data-state', 'saved', { timeout: 5_000 });
    await rv.typeAtEnd(rv.thinking, '\nFirst window: MINE.');
    await expect(rv.saveState).toHaveAttribute('data-state', 'conflict', { timeout: 5_000 });
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toContainText('Nothing was overwritten');
    await expect(conflict.getByTestId('conflict-diff').locator('.monaco-diff-editor')).toBeVisible();
    await app.snap(testInfo, 'review-conflict-en');
    await conflict.getByRole('button', { name: 'Take theirs' }).click();
    await expect(conflict).toBeHidden();
    await expect(rv.saveState).toHaveAttribute('data-state', 'saved');
    await expect(rv.lines(rv.thinking)).toContainText('THEIRS');
    await expect(rv.lines(rv.thinking)).not.toContainText('MINE');
    await other.close();

    // Undo (the history is in the project, so it works after a restart too) walks back one revision.
    await rv.tab('History').click();
    await page.getByRole('button', { name: 'Undo last change' }).click();
    await expect(rv.lines(rv.thinking)).not.toContainText('THEIRS');
    await expect(rv.lines(rv.thinking)).toContainText('double-check');
    await expect(revisions.first()).toHaveAttribute('data-kind', 'undo');

    // Export the accepted samples for training, and a review bundle.
    await page.getByRole('button', { name: 'Export…' }).click();
    const share = page.getByTestId('share-dialog');
    await expect(share.getByTestId('export-preview')).toContainText('2 samples');
    await share.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(share.getByTestId('export-result')).toContainText('train.jsonl');
    await expect(share.getByTestId('export-result')).toContainText('README.md');
    await app.snap(testInfo, 'review-export-en');
    await share.getByRole('tab', { name: 'Review bundle' }).click();
    await share.getByRole('button', { name: 'Export bundle' }).click();
    await expect(share.getByTestId('bundle-exported')).toContainText('8 samples written');
    await share.getByRole('button', { name: 'Close' }).click();

    await app.language('中文').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('审阅');
    await expect(rv.reviewed).toHaveText('已审阅 5 / 8');
    await app.snap(testInfo, 'review-zh');
    await app.language('English').click();

    // Typing at the end of a long wrapped paragraph rewrites only the view line that changed, not the whole
    // paragraph's (vite/monaco-wrapped-lines.ts; Monaco as shipped rewrites all of them on every key).
    await rv.row(ids[7]!).click();
    await rv.expectOpen(ids[7]!);
    await rv.typeAtEnd(rv.thinking, '\n');
    await page.keyboard.insertText(`Wait, ${'the reviewer checks every term of this sum once more, '.repeat(8)}`);
    await expect.poll(() => rv.lines(rv.thinking).locator('.view-line', { hasText: 'once more' }).count()).toBeGreaterThanOrEqual(4);
    expect(await rv.viewLineRewrites(rv.thinking, 'abcdef')).toBeLessThanOrEqual(6);
    await expect(rv.saveState).toHaveAttribute('data-state', 'saved', { timeout: 5_000 });
  });

  test.describe('with a teacher served by transformers serve', () => {
    test.skip(!fs.existsSync(PYTHON), `No Python environment at ${PYTHON}: run "npm run setup:python" to serve the tiny model.`);
    test.beforeAll(() => {
      test.setTimeout(900_000);
      buildTinyModel();
    });

    test('regenerates the thinking from a step: the continuation arrives as a diff, and accepting saves it', async ({ app, page, request, host, uniqueDir }, testInfo) => {
      test.setTimeout(600_000);
      const dir = uniqueDir('review-regen');
      await mutate(request, host, 'project.create', { dir, name: 'Regenerate e2e' });
      const file = path.join(path.dirname(dir), `${path.basename(dir)}.jsonl`);
      writePool(file, 3);
      const env = { ...process.env, HOME: host.home, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_E2E_CONFIG ?? '' };
      cli(['import', dir, file, '--json'], env);

      // A real `transformers serve` for the tiny model (started by the app), registered as a teacher.
      const started = await mutate(request, host, 'localServers.start', { modelDir: TINY_MODEL, kind: 'transformers', device: 'cpu' });
      const server = ((await started.json()) as { result: { data: { id: number; baseUrl: string; model: string; status: string } } }).result.data;
      expect(server.status).toBe('ready');
      try {
        await mutate(request, host, 'teacher.save', { name: 'tiny', preset: 'transformers', baseUrls: [server.baseUrl], model: server.model });

        await app.open('#/review');
        const rv = new ReviewPage(page);
        await expect(rv.rows).toHaveCount(3);
        const first = (await rv.rows.first().getAttribute('data-trace')) ?? '';
        await rv.expectOpen(first);

        // The cursor on the "Wait" step, then Alt+G: the Regenerate tab says where the teacher restarts.
        await rv.thinking.locator('.view-line span[class*="mtk"]', { hasText: /^Wait$/ }).click();
        await page.keyboard.press('Home');
        await page.keyboard.press('Alt+g');
        await expect(page.getByTestId('regen-cursor')).toHaveText('From line 4, column 1 of the thinking');
        await expect(page.locator('#regen-teacher')).toHaveValue('tiny');
        await page.locator('#regen-max').fill('12');
        await page.getByRole('button', { name: 'Regenerate from the cursor' }).click();
        const proposal = page.getByTestId('proposal');
        await expect(proposal).toBeVisible({ timeout: 240_000 });
        await expect(proposal).toContainText('Proposal from');
        await expect(proposal.getByTestId('proposal-diff').locator('.monaco-diff-editor')).toBeVisible();
        await expect(proposal.getByTestId('proposal-diff').locator('.char-insert, .line-insert, .char-delete, .line-delete').first()).toBeVisible();
        await app.snap(testInfo, 'review-regenerate-proposal-en');

        // Accept: saved as a "regenerate" revision; the kept prefix is still there, the old tail is gone.
        await proposal.getByRole('button', { name: 'Accept the proposal' }).click();
        await expect(proposal).toBeHidden();
        await expect(rv.saveState).toHaveAttribute('data-state', 'saved');
        await expect(rv.lines(rv.thinking)).toContainText('Write the sum');
        await expect(rv.lines(rv.thinking)).not.toContainText('both ways agree');
        await rv.tab('History').click();
        await expect(page.getByTestId('revision').first()).toHaveAttribute('data-kind', 'regenerate');
        await app.snap(testInfo, 'review-regenerated-en');
      } finally {
        await mutate(request, host, 'localServers.stop', { id: server.id });
      }
    });
  });
});
