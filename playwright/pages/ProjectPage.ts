import { expect, type Locator, type Page } from '@playwright/test';

/** The Project step: picker (create, open, sample, recent) and the dashboard. */
export class ProjectPage {
  readonly createDir: Locator;
  readonly createName: Locator;
  readonly createButton: Locator;
  readonly openDir: Locator;
  readonly openButton: Locator;
  readonly sampleDir: Locator;
  readonly sampleButton: Locator;
  readonly recent: Locator;
  readonly projectName: Locator;
  readonly closeButton: Locator;

  constructor(readonly page: Page) {
    this.createDir = page.locator('#create-dir');
    this.createName = page.locator('#create-name');
    this.createButton = page.getByRole('button', { name: 'Create project', exact: true });
    this.openDir = page.locator('#open-dir');
    this.openButton = page.getByRole('button', { name: 'Open project', exact: true });
    this.sampleDir = page.locator('#sample-dir');
    this.sampleButton = page.getByRole('button', { name: 'Create the sample project' });
    this.recent = page.getByTestId('recent-list');
    this.projectName = page.getByTestId('project-name');
    this.closeButton = page.getByRole('button', { name: 'Close project' });
  }

  count(stage: 'questions' | 'excluded' | 'traces' | 'selected' | 'accepted'): Locator {
    return this.page.getByTestId(`count-${stage}-value`);
  }

  async create(dir: string, name?: string): Promise<void> {
    await this.createDir.fill(dir);
    if (name) await this.createName.fill(name);
    await this.createButton.click();
  }

  async expectDashboard(name: string): Promise<void> {
    await expect(this.projectName).toHaveText(name);
    await expect(this.count('questions')).not.toHaveText('–');
  }
}
