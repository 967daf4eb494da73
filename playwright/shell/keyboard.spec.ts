import { expect, test } from '../fixtures';
import { STEPS } from '../pages/AppPage';

test.describe('Keyboard navigation', () => {
  test('Alt+ArrowDown and Alt+ArrowUp move through the steps, with aria-current on the active one', async ({ app, page }, testInfo) => {
    await app.open();
    await app.expectActive('project');
    for (const id of STEPS.slice(1)) {
      await page.keyboard.press('Alt+ArrowDown');
      await app.expectActive(id);
      await expect(page).toHaveURL(new RegExp(`#/${id}$`));
      await app.snap(testInfo, `step-${id}`);
    }
    await page.keyboard.press('Alt+ArrowUp');
    await app.expectActive('train');
    // The step survives a reload (it lives in the address bar's hash).
    await page.reload();
    await app.expectActive('train');
  });

  test('arrow keys, Home and End move within the focused rail', async ({ app, page }) => {
    await app.open();
    await app.step('project').focus();
    await page.keyboard.press('ArrowDown');
    await app.expectActive('teacher');
    await expect(app.step('teacher')).toBeFocused();
    await page.keyboard.press('End');
    await app.expectActive('evaluate');
    await page.keyboard.press('Home');
    await app.expectActive('project');
  });

  test("'?' opens the shortcut help and Escape closes it", async ({ app, page }, testInfo) => {
    await app.open();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Next step');
    // Besides the keys, what the words of this step mean.
    await expect(dialog.getByTestId('help-concepts')).toContainText('Project');
    await app.snap(testInfo, 'help-overlay');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test("'?' on a step explains that step's concepts, in both languages", async ({ app, page }) => {
    await app.open('#/evaluate');
    await page.keyboard.press('?');
    const concepts = page.getByRole('dialog').getByTestId('help-concepts');
    await expect(concepts).toContainText('Budget forcing');
    await expect(concepts).toContainText('pass@1');
    await page.keyboard.press('Escape');
    await app.step('traces').click();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog').getByTestId('help-concepts')).toContainText('Verdict');
    await page.keyboard.press('Escape');
    await app.language('中文').click();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog').getByTestId('help-concepts')).toContainText('判定');
    await page.keyboard.press('Escape');
    await app.language('English').click();
  });
});
