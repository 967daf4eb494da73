import type { Locator, Page } from '@playwright/test';

/** The Curate step: knobs, live preview (funnel, domains, histogram), runs, decisions. */
export class CuratePage {
  readonly target: Locator;
  readonly minLength: Locator;
  readonly run: Locator;
  readonly funnel: Locator;
  readonly previewSelected: Locator;
  readonly previewStatus: Locator;
  readonly runs: Locator;
  readonly decisions: Locator;
  readonly rows: Locator;
  readonly keptFilter: Locator;
  readonly stageFilter: Locator;
  readonly explain: Locator;

  constructor(readonly page: Page) {
    this.target = page.locator('#cur-target');
    this.minLength = page.locator('#cur-min-length');
    this.run = page.getByRole('button', { name: 'Run', exact: true });
    this.funnel = page.getByTestId('funnel');
    this.previewSelected = page.getByTestId('preview-selected');
    this.previewStatus = page.getByTestId('preview-status');
    this.runs = page.getByTestId('run-row');
    this.decisions = page.getByTestId('decisions');
    this.rows = page.getByTestId('decision-row');
    this.keptFilter = page.locator('#cur-kept');
    this.stageFilter = page.locator('#cur-stage');
    this.explain = page.getByTestId('explain');
  }

  /** The "out" count of a funnel stage. */
  out(stage: 'pool' | 'quality' | 'difficulty' | 'diversity'): Locator {
    return this.page.getByTestId(`funnel-${stage}`).getByTestId('out');
  }

  row(questionId: number): Locator {
    return this.page.locator(`[data-testid="decision-row"][data-question="${questionId}"]`);
  }
}
