import { expect, type Locator, type Page } from '@playwright/test';

/** The Evaluate step: models, benchmarks, budgets, the run's progress and results. */
export class EvaluatePage {
  readonly maxThinking: Locator;
  readonly limit: Locator;
  readonly start: Locator;
  readonly progress: Locator;
  readonly bar: Locator;

  constructor(readonly page: Page) {
    this.maxThinking = page.locator('#eval-max-thinking');
    this.limit = page.locator('#eval-limit');
    this.start = page.getByRole('button', { name: 'Start evaluation' });
    this.progress = page.getByTestId('eval-progress');
    this.bar = this.progress.getByRole('progressbar');
  }

  modelOption(key: string): Locator {
    return this.page.locator(`[data-testid="eval-model-option"][data-key="${key}"]`);
  }

  bench(id: string): Locator {
    return this.page.locator(`[data-testid="bench-option"][data-id="${id}"]`);
  }

  /** Opens "Add a model folder", types the folder and the label, adds it. */
  async addFolder(dir: string, label: string): Promise<void> {
    await this.page.locator('summary', { hasText: 'Add a model folder' }).click();
    await this.page.locator('#eval-add-dir').fill(dir);
    await this.page.locator('#eval-add-label').fill(label);
    await this.page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(this.page.locator('#eval-add-dir')).toHaveValue('', { timeout: 30_000 });
  }

  /** Opens "Import a benchmark file", types the file and the name, imports it. */
  async importBench(file: string, name: string): Promise<void> {
    await this.page.locator('summary', { hasText: 'Import a benchmark file' }).click();
    await this.page.locator('#bench-file').fill(file);
    await this.page.locator('#bench-name').fill(name);
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
  }
}
