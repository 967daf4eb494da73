import { expect, type Locator, type Page } from '@playwright/test';

/** The Teacher step: teachers list, add/edit form, discovery, local teacher from a model folder. */
export class TeacherPage {
  readonly list: Locator;
  readonly items: Locator;
  readonly form: Locator;
  readonly localDir: Locator;
  readonly localStart: Locator;
  readonly localServers: Locator;
  readonly testResult: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByTestId('teacher-list');
    this.items = page.getByTestId('teacher-item');
    this.form = page.getByTestId('teacher-form');
    this.localDir = page.locator('#local-model-dir');
    this.localStart = page.getByRole('button', { name: 'Start server' });
    this.localServers = page.getByTestId('local-server');
    this.testResult = page.getByTestId('test-result');
  }

  /** Types the folder, starts the server and waits until it reports ready. */
  async startLocal(dir: string, timeout: number): Promise<Locator> {
    await this.localDir.fill(dir);
    await this.localStart.click();
    const server = this.localServers.first();
    await expect(server).toBeVisible({ timeout: 30_000 });
    await expect(server).toHaveAttribute('data-status', 'ready', { timeout });
    return server;
  }

  teacher(name: string | RegExp): Locator {
    return this.items.filter({ hasText: name });
  }
}
