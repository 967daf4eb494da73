import { expect, test } from '../fixtures';

// renderer/app/Dialog.tsx: every dialog of the app is this one component; the shortcut help stands for them all.
test.describe('Dialogs', () => {
  test('focus moves in, Tab stays inside, Escape and a backdrop click close, focus goes back', async ({ app, page }) => {
    await app.open();
    const step = app.step('teacher');
    await step.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    const close = dialog.getByRole('button', { name: 'Close' });
    await expect(close).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(close).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(close).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(step).toBeFocused();

    await page.keyboard.press('?');
    await expect(dialog).toBeVisible();
    // A click inside the panel keeps it; one on the backdrop closes it.
    await dialog.getByRole('heading', { name: 'Keyboard shortcuts' }).click();
    await expect(dialog).toBeVisible();
    await page.mouse.click(5, 5);
    await expect(dialog).toBeHidden();
    await expect(step).toBeFocused();
  });
});
