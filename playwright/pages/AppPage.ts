import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { Host } from '../fixtures';

export const STEPS = ['project', 'teacher', 'questions', 'traces', 'curate', 'review', 'train', 'evaluate'] as const;
export type Step = (typeof STEPS)[number];

/** The app frame: header, wizard rail, main area. */
export class AppPage {
  readonly header: Locator;
  readonly rail: Locator;
  readonly main: Locator;

  constructor(
    readonly page: Page,
    readonly host: Host,
  ) {
    this.header = page.locator('header');
    this.rail = page.locator('nav[aria-label]');
    this.main = page.locator('main');
  }

  /** Opens the app with the URL the CLI printed (token included). */
  async open(hash = ''): Promise<void> {
    await this.page.goto(this.host.url + hash);
    await expect(this.rail).toBeVisible();
    await expect(this.main).not.toContainText(/Loading…|加载中…/);
  }

  step(id: Step): Locator {
    return this.rail.locator(`a[data-step="${id}"]`);
  }

  async activeStep(): Promise<string | null> {
    return this.rail.locator('a[aria-current="step"]').getAttribute('data-step');
  }

  async expectActive(id: Step): Promise<void> {
    await expect(this.step(id)).toHaveAttribute('aria-current', 'step');
    await expect(this.main).toHaveAttribute('data-step', id);
  }

  language(label: 'English' | '中文'): Locator {
    return this.header.getByRole('button', { name: label, exact: true });
  }

  /** Keeps a full-page screenshot as a test artifact (attached to the report, saved under test-results/). */
  async snap(testInfo: TestInfo, name: string): Promise<void> {
    const path = testInfo.outputPath(`${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  }
}
