import { expect, test } from '../fixtures';
import type { Step } from './AppPage';

/**
 * The shared spec of a step whose engine is not built yet: it describes itself and its needs in both
 * languages and shows no data. Replace the step's spec with real ones when the step lands.
 */
export function plannedStepSpec(step: Exclude<Step, 'project'>, title: { en: string; zh: string }, needs: RegExp) {
  test.describe(`${title.en} step`, () => {
    test('says what it does and what it needs, in English and Chinese, with no made-up data', async ({ app, page }, testInfo) => {
      await app.open(`#/${step}`);
      await app.expectActive(step);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title.en);
      await expect(app.main).toContainText('What this step does');
      await expect(page.getByTestId('step-needs')).toContainText(needs);
      await expect(app.main).not.toContainText(/coming soon/i);
      await expect(app.main.locator('table, [role="progressbar"], canvas')).toHaveCount(0);
      await app.snap(testInfo, `${step}-en`);

      await app.language('中文').click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title.zh);
      await expect(app.main).toContainText('需要什么');
      await app.snap(testInfo, `${step}-zh`);
    });
  });
}
