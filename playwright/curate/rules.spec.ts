import { expect, mutate, test } from '../fixtures';

/**
 * Curate → Quality → Advanced → "Add rule": the new rule starts off with an EMPTY, focused pattern box showing an
 * example, and an enabled rule without a working pattern says so on the rule itself (its name, what is wrong, what to do).
 */
test.describe('Curate formatting rules', () => {
  test.beforeEach(async ({ app: _app, request, host, uniqueDir }) => {
    await mutate(request, host, 'project.sample', { dir: uniqueDir('curate-rules') });
  });

  test('Add rule: empty focused pattern with a placeholder; empty or broken enabled rules explained inline', async ({ app, page }, testInfo) => {
    await app.open('#/curate');
    await page.getByTestId('advanced-quality').locator('summary').click();
    const rules = page.getByTestId('format-rules').locator('li');
    const before = await rules.count();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect(rules).toHaveCount(before + 1);
    const rule = rules.last();
    const pattern = rule.getByLabel('Pattern (regular expression)');
    await expect(pattern).toHaveValue('');
    await expect(pattern).toBeFocused();
    await expect(pattern).toHaveAttribute('placeholder', 'e.g. \\bproof\\b');
    await expect(rule).toContainText('A question whose field matches the pattern is dropped.');
    const name = await rule.getByLabel('Name').inputValue();
    // Off and empty: the live preview still works.
    await expect(page.getByTestId('preview-selected')).toBeVisible();
    await app.snap(testInfo, 'curate-add-rule-en');

    // On and empty: one sentence on the rule.
    await rule.getByLabel(`Rule ${name} on`).check();
    await expect(rule.getByRole('alert')).toHaveText(`Rule “${name}” is on but its pattern is empty: type a regular expression, or turn the rule off.`);
    await expect(pattern).toHaveAttribute('aria-invalid', 'true');
    // A pattern that does not compile: the regex error, named.
    await pattern.fill('a(b');
    await expect(rule.getByRole('alert')).toContainText(`Rule “${name}”: the pattern is not a valid regular expression (`);
    await expect(rule.getByRole('alert')).toContainText('Correct it, or turn the rule off.');
    // A working pattern: no sentence.
    await pattern.fill('\\bproof\\b');
    await expect(rule.getByRole('alert')).toHaveCount(0);
    await expect(pattern).toHaveAttribute('aria-invalid', 'false');

    await app.language('中文').click();
    await page.getByRole('button', { name: '添加规则' }).click();
    await expect(rules.last().getByLabel('模式（正则表达式）')).toHaveAttribute('placeholder', '例如 \\bproof\\b');
    await app.language('English').click();
  });
});
