import { expect, type Locator, type Page } from '@playwright/test';

/** The Questions step: tabs, import panel (file, mapping, preview, result) and the pool view. */
export class QuestionsPage {
  readonly heading: Locator;
  readonly fileInput: Locator;
  readonly browseButton: Locator;
  readonly fileBrowser: Locator;
  readonly preview: Locator;
  readonly previewRejects: Locator;
  readonly importButton: Locator;
  readonly accounting: Locator;
  readonly importRejects: Locator;
  readonly saveReport: Locator;
  readonly reportPath: Locator;
  readonly search: Locator;
  readonly domainFilter: Locator;
  readonly statusFilter: Locator;
  readonly grid: Locator;
  readonly total: Locator;
  readonly detail: Locator;
  readonly shortcuts: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.fileInput = page.locator('#import-file');
    this.browseButton = page.getByRole('button', { name: /^(Browse…|浏览…)$/ }).first();
    this.fileBrowser = page.getByRole('dialog');
    this.preview = page.getByTestId('import-preview');
    this.previewRejects = page.getByTestId('preview-rejects');
    this.importButton = page.getByRole('button', { name: 'Import', exact: true });
    this.accounting = page.getByTestId('accounting');
    this.importRejects = page.getByTestId('import-rejects');
    this.saveReport = page.getByRole('button', { name: 'Save rejected rows as JSONL' });
    this.reportPath = page.getByTestId('report-path');
    this.search = page.locator('#pool-search');
    this.domainFilter = page.getByRole('combobox', { name: /^(Domain|领域)$/ });
    this.statusFilter = page.getByRole('combobox', { name: /^(Status|状态)$/ });
    this.grid = page.getByRole('grid');
    this.total = page.getByTestId('pool-total');
    this.detail = page.getByTestId('detail-pane');
    this.shortcuts = page.getByTestId('shortcuts');
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  mapping(field: 'question' | 'answer' | 'solution' | 'domain' | 'id' | 'thinking' | 'attempt'): Locator {
    return this.page.locator(`#map-${field}`);
  }

  count(kind: 'read' | 'imported' | 'duplicates' | 'rejected'): Locator {
    return this.page.getByTestId(`count-${kind}`);
  }

  /** Data rows of the virtualised grid currently in the DOM (the header row excluded). */
  rows(): Locator {
    return this.grid.locator('[role="row"][data-row-id]');
  }

  row(text: string | RegExp): Locator {
    return this.rows().filter({ hasText: text });
  }

  /** Opens the server-side file browser at the folder typed in the field, and picks a file from it. */
  async chooseFile(folder: string, fileName: string): Promise<void> {
    await this.fileInput.fill(folder);
    await this.browseButton.click();
    await expect(this.page.getByTestId('file-browser-path')).toHaveText(folder);
    await this.fileBrowser.getByRole('button', { name: fileName }).click();
    await expect(this.fileBrowser).toHaveCount(0);
  }
}
